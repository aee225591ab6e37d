"""Badge PDFs: a batch of 50 with names in five scripts, every QR decodes to
a payload that verifies, Arabic joined and right to left; the batch runs in
the background with progress and a download."""

import io

import pypdf
import pytest
import zxingcpp
from arabic_reshaper import reshape
from bidi import get_display
from django.core.files.base import ContentFile
from PIL import Image

from accreditation import services, signing
from accreditation.enums import CardSize, PrintJobStatus
from accreditation.models import BadgePrintJob
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

NAMES = [
    ("Nguyễn Thị", "Hương"),  # Vietnamese
    ("محمد", "العتيبي"),  # Arabic
    ("伟", "王"),  # Chinese
    ("Александр", "Иванов"),  # Cyrillic
    ("สมชาย", "ใจดี"),  # Thai
]


def _photo() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 750), (180, 190, 210)).save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name="p.jpg")


@pytest.fixture
def fifty_badges(state_delegation, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    badges = []
    for i in range(50):
        given, family = NAMES[i % 5]
        person = ParticipantFactory(
            delegation=state_delegation, given_names=given, family_name=family
        )
        if i % 2 == 0:
            person.photo.save(f"photo{i}.jpg", _photo(), save=True)
        services.accreditation_approve(participant=person, decided_by=staff)
        badges.append(services.valid_badge(person))
    return badges


def _decode_qr(image) -> str:
    big = image.convert("L").resize((image.width * 8, image.height * 8), Image.NEAREST)
    # QR codes only (a photo's texture can pass for another symbology), and
    # one payload per image (zxing may report the same code twice).
    found = zxingcpp.read_barcodes(big, formats=zxingcpp.BarcodeFormat.QRCode)
    texts = {barcode.text for barcode in found}
    assert len(texts) == 1
    return texts.pop()


def test_batch_pdf_of_fifty_in_five_scripts(
    fifty_badges, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.print_job_start(
            event=fifty_badges[0].event,
            badges=fifty_badges,
            card_size=CardSize.CR80,
            by=staff,
        )
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (PrintJobStatus.DONE, 50, 50)
    reader = pypdf.PdfReader(job.file.path)
    assert len(reader.pages) == 50
    seen = set()
    for page, badge in zip(reader.pages, fifty_badges, strict=True):
        qr_images = [img.image for img in page.images if img.image.width < 100]
        assert len(qr_images) == 1
        payload, event_id = signing.verify(_decode_qr(qr_images[0]))
        assert (payload.badge_id, event_id) == (badge.pk, badge.event_id)
        seen.add(payload.badge_id)
    assert len(seen) == 50
    arabic_page = reader.pages[1].extract_text()
    # Drawn as joined glyphs (Arabic presentation forms) in visual order:
    # pypdf reads right-to-left runs back into logical order, so the page
    # gives the shaped name in logical order only if it was drawn reversed.
    shaped = reshape("محمد العتيبي")
    assert shaped in arabic_page
    assert "محمد" not in arabic_page  # no unjoined letters
    assert all(0xFE70 <= ord(c) <= 0xFEFF for c in shaped.replace(" ", ""))
    assert get_display(shaped) != shaped
    for text in ("Nguyễn Thị Hương", "Александр Иванов"):
        assert text in reader.pages[0 if "Ng" in text else 3].extract_text()
    assert "王" in reader.pages[2].extract_text()


def test_single_badge_pdf_on_each_card_size(fifty_badges):
    for size in CardSize:
        data = services.badge_pdf(badges=fifty_badges[:1], card_size=size)
        assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1


def test_revoked_badges_are_not_printed(fifty_badges, staff):
    from django.core.exceptions import ValidationError

    old = fifty_badges[0]
    services.badge_reprint(badge=old, reason="Lost", by=staff)
    old.refresh_from_db()
    with pytest.raises(ValidationError):
        services.print_job_start(
            event=old.event, badges=[old], card_size="cr80", by=staff
        )
    assert BadgePrintJob.objects.count() == 0

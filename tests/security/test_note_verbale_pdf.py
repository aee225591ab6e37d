"""Finding 6 of issue 8 (note verbale): a PDF was checked by its first
bytes only, so a PDF+ZIP polyglot and HTML after ``%PDF-`` passed. The file
must parse as a PDF, end where the PDF ends and not be a ZIP archive too."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from delegations import uploads
from delegations.enums import DelegationStatus
from tests.factories import DelegationFactory, VerifiedUserFactory
from tests.pdf_files import pdf_bytes

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", HTML)
    return buffer.getvalue()


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("nv.pdf", data, content_type="application/pdf")


REFUSED = [
    ("html after the header", b"%PDF-1.7\n" + HTML, "This file is not a PDF."),
    (
        "html after the header, with an end marker",
        b"%PDF-1.7\n" + HTML + b"\n%%EOF\n",
        "This file is not a PDF.",
    ),
    ("header only", b"%PDF-1.4\n", "This file is not a PDF."),
    (
        "pdf with a zip appended (polyglot)",
        pdf_bytes() + _zip_bytes(),
        "This file is also a ZIP archive; upload a plain PDF.",
    ),
    (
        "zip with a pdf header in front",
        b"%PDF-1.7\n" + _zip_bytes(),
        "This file is also a ZIP archive; upload a plain PDF.",
    ),
    (
        "pdf with html appended",
        pdf_bytes() + HTML,
        "This file has data after the end of the PDF; export it again.",
    ),
    ("pdf without pages", pdf_bytes(pages=0), "This PDF has no pages."),
    (
        "pdf with a password",
        pdf_bytes(password="secret"),
        "The PDF is password-protected; upload it without a password.",
    ),
]


@pytest.mark.parametrize(
    ("data", "message"),
    [(data, message) for _name, data, message in REFUSED],
    ids=[name for name, _data, _message in REFUSED],
)
def test_what_is_not_a_plain_pdf_is_refused(data, message):
    with pytest.raises(ValidationError) as excinfo:
        uploads.clean_pdf(_upload(data))
    assert excinfo.value.messages == [message]


def test_a_real_pdf_is_kept_byte_for_byte():
    data = pdf_bytes(pages=2) + b"\r\n"
    cleaned = uploads.clean_pdf(_upload(data))
    assert cleaned.read() == data
    assert cleaned.name.endswith(".pdf")


@pytest.mark.django_db
def test_portal_upload_of_a_polyglot_is_refused_and_stores_nothing(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    focal_point = VerifiedUserFactory()
    delegation = DelegationFactory(
        focal_point=focal_point, status=DelegationStatus.REGISTERING
    )
    client.force_login(focal_point)
    response = client.post(
        reverse("portal:delegation_note_verbale_upload", args=[delegation.pk]),
        {"document": _upload(pdf_bytes() + _zip_bytes())},
    )
    assert response.status_code == 400
    assert "This file is also a ZIP archive" in response.content.decode()
    delegation.refresh_from_db()
    assert not delegation.note_verbale
    assert list(tmp_path.iterdir()) == []

"""Uploads: photos (JPEG/PNG by content, limits, re-encoded without EXIF),
PDFs (magic bytes, size), and private serving through permission checks."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from delegations import services, uploads
from tests.conftest import staff_two_factor_pass
from tests.factories import DelegationFactory, ParticipantFactory, VerifiedUserFactory
from tests.pdf_files import pdf_bytes


def image_bytes(fmt="JPEG", size=(400, 500), exif=False, color=(200, 220, 240)):
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SpyCam Inc."  # Make
        data[0x8825] = {2: (21.0, 1.0, 42.0), 1: "N"}  # GPS IFD
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_jpeg_photo_is_re_encoded_without_exif_or_gps():
    original = image_bytes(exif=True)
    assert b"SpyCam" in original
    cleaned = uploads.clean_photo(upload("me.jpg", original, "image/jpeg"))
    data = cleaned.read()
    assert b"SpyCam" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert image.size == (400, 500)
    assert cleaned.name.endswith(".jpg")
    assert cleaned.name != "me.jpg"


def test_png_photo_is_accepted_and_stored_as_jpeg():
    cleaned = uploads.clean_photo(upload("me.png", image_bytes("PNG"), "image/png"))
    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert image.format == "JPEG"


def test_jpeg_with_a_multi_picture_segment_is_accepted_as_jpeg():
    # Phones write JPEGs with an MPF segment (a depth or HDR gain map);
    # Pillow calls them "MPO". They are JPEGs: accepted, first picture kept.
    first = Image.new("RGB", (400, 500), (10, 20, 30))
    second = Image.new("RGB", (400, 500), (250, 250, 250))
    out = io.BytesIO()
    first.save(out, format="MPO", save_all=True, append_images=[second])
    assert out.getvalue()[:3] == b"\xff\xd8\xff"
    cleaned = uploads.clean_photo(upload("iphone.jpg", out.getvalue(), "image/jpeg"))
    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert image.format == "JPEG"
        assert image.size == (400, 500)
        assert getattr(image, "n_frames", 1) == 1
        red, green, blue = image.getpixel((200, 250))
        assert (abs(red - 10) <= 3, abs(green - 20) <= 3, abs(blue - 30) <= 3) == (
            True,
            True,
            True,
        )


def test_text_file_named_jpg_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        uploads.clean_photo(upload("photo.jpg", b"<?php echo 'hi'; ?>", "image/jpeg"))
    assert excinfo.value.messages == ["This file is not a JPEG or PNG image."]


def test_gif_is_refused_even_though_it_is_an_image():
    with pytest.raises(ValidationError) as excinfo:
        uploads.clean_photo(upload("photo.jpg", image_bytes("GIF"), "image/jpeg"))
    assert excinfo.value.messages == ["This file is not a JPEG or PNG image."]


def test_oversized_photo_is_refused():
    big = image_bytes() + b"\0" * uploads.PHOTO_MAX_BYTES
    with pytest.raises(ValidationError) as excinfo:
        uploads.clean_photo(upload("big.jpg", big, "image/jpeg"))
    assert excinfo.value.code == "file_too_large"


def test_too_small_photo_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        uploads.clean_photo(upload("tiny.jpg", image_bytes(size=(100, 120))))
    assert excinfo.value.messages == [
        "The photo is 100×120 pixels; it needs at least 300 pixels on each side."
    ]


def test_pdf_is_accepted_when_it_parses():
    cleaned = uploads.clean_pdf(upload("nv.pdf", pdf_bytes()))
    assert cleaned.read().startswith(b"%PDF-")
    assert cleaned.name.endswith(".pdf")


def test_image_named_pdf_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        uploads.clean_pdf(upload("nv.pdf", image_bytes(), "application/pdf"))
    assert excinfo.value.messages == ["This file is not a PDF."]


def test_oversized_pdf_is_refused():
    big = b"%PDF-1.7\n" + b"0" * uploads.PDF_MAX_BYTES
    with pytest.raises(ValidationError) as excinfo:
        uploads.clean_pdf(upload("nv.pdf", big))
    assert excinfo.value.code == "file_too_large"


# Private serving -------------------------------------------------------------


@pytest.fixture
def member_with_photo(db):
    delegation = DelegationFactory(focal_point=VerifiedUserFactory())
    user = VerifiedUserFactory()
    participant = ParticipantFactory(delegation=delegation, user=user)
    services.participant_update(
        participant=participant,
        data={},
        photo=ContentFile(image_bytes(), name="x.jpg"),
    )
    participant.refresh_from_db()
    return participant


def test_photo_is_served_to_the_delegate(client, member_with_photo):
    client.force_login(member_with_photo.user)
    response = client.get(
        reverse("portal:participant_photo", args=[member_with_photo.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"


def test_photo_is_served_to_the_focal_point(client, member_with_photo):
    client.force_login(member_with_photo.delegation.focal_point)
    response = client.get(
        reverse("portal:participant_photo", args=[member_with_photo.pk])
    )
    assert response.status_code == 200


def test_photo_is_404_for_someone_else(client, member_with_photo):
    client.force_login(VerifiedUserFactory())
    response = client.get(
        reverse("portal:participant_photo", args=[member_with_photo.pk])
    )
    assert response.status_code == 404


def test_photo_needs_login(client, member_with_photo):
    response = client.get(
        reverse("portal:participant_photo", args=[member_with_photo.pk])
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_no_public_media_url_serves_the_file(client, member_with_photo):
    name = member_with_photo.photo.name
    assert name.startswith("photos/")
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(f"/{name}").status_code == 404


def test_note_verbale_is_served_only_to_focal_point_and_staff_with_permission(
    client, db
):
    from django.contrib.auth.models import Permission

    focal_point = VerifiedUserFactory()
    delegation = DelegationFactory(focal_point=focal_point)
    services.delegation_upload_note_verbale(
        delegation=delegation, document=ContentFile(b"%PDF-1.4\n", name="a.pdf")
    )
    url = reverse("portal:delegation_note_verbale", args=[delegation.pk])
    client.force_login(focal_point)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n"

    staff = VerifiedUserFactory(is_staff=True)
    staff_two_factor_pass(client, staff)
    assert client.get(url).status_code == 404
    staff.user_permissions.add(Permission.objects.get(codename="view_delegation"))
    from django.test import Client

    password_only = Client()
    password_only.force_login(staff)
    # Permission, but this session did not pass two-factor.
    assert password_only.get(url).status_code == 404
    staff_two_factor_pass(client, staff)
    assert client.get(url).status_code == 200

    client.force_login(VerifiedUserFactory())
    assert client.get(url).status_code == 404

"""Checks and clean-up of uploaded files.

Photos: JPEG or PNG by content (Pillow), not by name; size and dimension
limits; re-encoded as a fresh JPEG so EXIF (camera, GPS) and any trailing
data are gone. Documents: PDF by its magic bytes, with a size limit. Every
stored file gets a random name: nothing the uploader chose reaches the disk.
"""

from __future__ import annotations

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MIN_SIDE = 300
PHOTO_MAX_SIDE = 6000
# "MPO" is Pillow's name for a JPEG with a multi-picture (MPF) segment, as
# phones write them (depth or HDR gain map); only the first picture is kept.
PHOTO_FORMATS = {"JPEG", "MPO", "PNG"}
# Stored photos are scaled down to this longest side: plenty for a badge.
PHOTO_STORED_MAX_SIDE = 1200
PDF_MAX_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


def _size_check(upload, limit: int) -> None:
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
            code="file_too_large",
        )


def clean_photo(upload) -> ContentFile:
    """A re-encoded JPEG of ``upload``, or ValidationError."""
    _size_check(upload, PHOTO_MAX_BYTES)
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This file is not a JPEG or PNG image."), code="not_an_image"
        ) from exc
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            _("The image is too large (at most %(max)s pixels a side)."),
            params={"max": PHOTO_MAX_SIDE},
            code="image_too_large",
        ) from exc
    if image_format not in PHOTO_FORMATS:
        raise ValidationError(
            _("This file is not a JPEG or PNG image."), code="not_an_image"
        )
    if min(width, height) < PHOTO_MIN_SIDE:
        raise ValidationError(
            _(
                "The photo is %(width)s×%(height)s pixels; it needs at least "
                "%(min)s pixels on each side."
            ),
            params={"width": width, "height": height, "min": PHOTO_MIN_SIDE},
            code="image_too_small",
        )
    if max(width, height) > PHOTO_MAX_SIDE:
        raise ValidationError(
            _("The image is too large (at most %(max)s pixels a side)."),
            params={"max": PHOTO_MAX_SIDE},
            code="image_too_large",
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # Respect the camera's orientation before the EXIF goes.
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((PHOTO_STORED_MAX_SIDE, PHOTO_STORED_MAX_SIDE))
            out = io.BytesIO()
            # A fresh image object carries no EXIF/ICC/comments unless given.
            clean = Image.new("RGB", image.size)
            clean.paste(image)
            clean.save(out, format="JPEG", quality=90, optimize=True)
    except (OSError, ValueError) as exc:
        raise ValidationError(
            _("This file is not a JPEG or PNG image."), code="not_an_image"
        ) from exc
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def clean_pdf(upload) -> ContentFile:
    """The PDF's bytes under a random name, or ValidationError."""
    _size_check(upload, PDF_MAX_BYTES)
    upload.seek(0)
    data = upload.read()
    if not data.startswith(PDF_MAGIC):
        raise ValidationError(_("This file is not a PDF."), code="not_a_pdf")
    return ContentFile(data, name=f"{uuid.uuid4().hex}.pdf")

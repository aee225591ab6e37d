"""Checks and clean-up of uploaded files.

Photos: JPEG or PNG by content (Pillow), not by name; size and dimension
limits; re-encoded as a fresh JPEG so EXIF (camera, GPS) and any trailing
data are gone. Documents: a PDF that starts with the PDF header, parses as a
PDF (pypdf) with at least one page, ends with its end-of-file marker and is
not also a ZIP archive (a PDF+ZIP polyglot), with a size limit; it is stored
as uploaded (re-writing it would break a digital signature). Every stored
file gets a random name: nothing the uploader chose reaches the disk.
"""

from __future__ import annotations

import io
import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

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
PDF_EOF = b"%%EOF"
# What may follow the last end-of-file marker (line ends, padding).
PDF_TRAILING_ALLOWED = b" \t\r\n\x00\x0c"


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
    """The PDF's bytes under a random name, or ValidationError: not a PDF
    (by its header, or it does not parse, or has no page), data after its
    end (HTML, a ZIP archive), encrypted with a password, too large."""
    _size_check(upload, PDF_MAX_BYTES)
    upload.seek(0)
    data = upload.read()
    if not data.startswith(PDF_MAGIC):
        raise ValidationError(_("This file is not a PDF."), code="not_a_pdf")
    if zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError(
            _("This file is also a ZIP archive; upload a plain PDF."),
            code="pdf_polyglot",
        )
    end = data.rfind(PDF_EOF)
    if end < 0:
        raise ValidationError(_("This file is not a PDF."), code="not_a_pdf")
    if data[end + len(PDF_EOF) :].strip(PDF_TRAILING_ALLOWED):
        raise ValidationError(
            _("This file has data after the end of the PDF; export it again."),
            code="pdf_trailing_data",
        )
    _parse_pdf(data)
    return ContentFile(data, name=f"{uuid.uuid4().hex}.pdf")


def _parse_pdf(data: bytes) -> None:
    """ValidationError unless ``data`` parses as an unencrypted PDF with at
    least one page."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("The PDF is password-protected; upload it without a password."),
                code="pdf_encrypted",
            )
        pages = len(reader.pages)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ValidationError(_("This file is not a PDF."), code="not_a_pdf") from exc
    if pages < 1:
        raise ValidationError(_("This PDF has no pages."), code="pdf_empty")

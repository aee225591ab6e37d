"""Checks on an uploaded instrument of full powers: a PDF that parses, and
the name and title it gives compared with the request's signatory."""

from __future__ import annotations

import io
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from delegations.uploads import clean_pdf


def parse_full_powers(upload) -> tuple[ContentFile, int]:
    """The PDF (under a random name) and its page count, or ValidationError
    when it is not a PDF, too large, encrypted or unreadable."""
    content = clean_pdf(upload)
    try:
        reader = PdfReader(io.BytesIO(content.read()), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("The PDF is password-protected; upload it without a password."),
                code="pdf_encrypted",
            )
        pages = len(reader.pages)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ValidationError(
            _("This PDF cannot be read; scan or export it again."),
            code="pdf_unreadable",
        ) from exc
    if pages < 1:
        raise ValidationError(_("This PDF has no pages."), code="pdf_empty")
    content.seek(0)
    return content, pages


def normalised(text: str) -> str:
    """Compare names and titles without case, accents written as combining
    marks or extra spaces: "S.E. M. Jean  DUPONT" matches "s.e. m. jean dupont"."""
    text = unicodedata.normalize("NFC", text or "").casefold()
    return re.sub(r"\s+", " ", text).strip()


def matches(a: str, b: str) -> bool:
    return normalised(a) == normalised(b)

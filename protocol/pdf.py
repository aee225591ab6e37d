"""PDF text in every script with ReportLab: DejaVu Sans for Latin,
Vietnamese, Greek and Cyrillic; Noto Sans for Arabic (shaped with
arabic-reshaper and put in visual order with python-bidi), Thai, Hebrew,
Devanagari and others; WenQuanYi Micro Hei for Chinese, Japanese and Korean
(Debian's Noto CJK fonts have PostScript outlines, which ReportLab cannot
embed). ``markup(text)`` splits a string into runs, each in a font that has
its glyphs, as Paragraph markup."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

BASE = "DejaVuSans"
BASE_BOLD = "DejaVuSans-Bold"

_FONT_FILES: dict[str, tuple[str, ...]] = {
    BASE: ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",),
    BASE_BOLD: ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",),
    "NotoSansArabic": ("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",),
    "NotoSansHebrew": ("/usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf",),
    "NotoSansThai": ("/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf",),
    "NotoSansDevanagari": (
        "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf",
    ),
    "NotoSansGeorgian": (
        "/usr/share/fonts/truetype/noto/NotoSansGeorgian-Regular.ttf",
    ),
    "NotoSansArmenian": (
        "/usr/share/fonts/truetype/noto/NotoSansArmenian-Regular.ttf",
    ),
    "NotoSansEthiopic": (
        "/usr/share/fonts/truetype/noto/NotoSansEthiopic-Regular.ttf",
    ),
    "NotoSansKhmer": ("/usr/share/fonts/truetype/noto/NotoSansKhmer-Regular.ttf",),
    "NotoSansLao": ("/usr/share/fonts/truetype/noto/NotoSansLao-Regular.ttf",),
    "NotoSansMyanmar": ("/usr/share/fonts/truetype/noto/NotoSansMyanmar-Regular.ttf",),
    "NotoSansSinhala": ("/usr/share/fonts/truetype/noto/NotoSansSinhala-Regular.ttf",),
    "NotoSansBengali": ("/usr/share/fonts/truetype/noto/NotoSansBengali-Regular.ttf",),
    "NotoSansTamil": ("/usr/share/fonts/truetype/noto/NotoSansTamil-Regular.ttf",),
    "CJK": ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",),
}

# (first, last code point, font) for the scripts DejaVu Sans lacks.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0590, 0x05FF, "NotoSansHebrew"),
    (0x0600, 0x06FF, "NotoSansArabic"),
    (0x0750, 0x077F, "NotoSansArabic"),
    (0x08A0, 0x08FF, "NotoSansArabic"),
    (0xFB50, 0xFDFF, "NotoSansArabic"),
    (0xFE70, 0xFEFF, "NotoSansArabic"),
    (0x0900, 0x097F, "NotoSansDevanagari"),
    (0x0980, 0x09FF, "NotoSansBengali"),
    (0x0B80, 0x0BFF, "NotoSansTamil"),
    (0x0D80, 0x0DFF, "NotoSansSinhala"),
    (0x0E00, 0x0E7F, "NotoSansThai"),
    (0x0E80, 0x0EFF, "NotoSansLao"),
    (0x1000, 0x109F, "NotoSansMyanmar"),
    (0x10A0, 0x10FF, "NotoSansGeorgian"),
    (0x0530, 0x058F, "NotoSansArmenian"),
    (0x1200, 0x139F, "NotoSansEthiopic"),
    (0x1780, 0x17FF, "NotoSansKhmer"),
    (0x1100, 0x11FF, "CJK"),
    (0x2E80, 0x9FFF, "CJK"),
    (0xAC00, 0xD7AF, "CJK"),
    (0xF900, 0xFAFF, "CJK"),
    (0xFF00, 0xFFEF, "CJK"),
)


@functools.cache
def register_fonts() -> None:
    """Register the fonts with ReportLab once per process. A missing base
    font is an error (fonts-dejavu-core); a missing script font leaves that
    script to the base font."""
    for name, candidates in _FONT_FILES.items():
        found = next((p for p in candidates if Path(p).is_file()), None)
        if found is None:
            if name in (BASE, BASE_BOLD):
                raise ImproperlyConfigured(
                    f"Font {candidates[0]} is missing: install fonts-dejavu-core."
                )
            continue
        pdfmetrics.registerFont(TTFont(name, found, subfontIndex=0))
    pdfmetrics.registerFontFamily(BASE, normal=BASE, bold=BASE_BOLD)


def _font_for(char: str) -> str:
    code = ord(char)
    for first, last, font in _RANGES:
        if first <= code <= last:
            return font if font in pdfmetrics.getRegisteredFontNames() else BASE
    return BASE


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def visual(text: str) -> str:
    """Right-to-left text shaped (Arabic letters joined) and in visual
    order, as ReportLab draws left to right; other text unchanged."""
    if not _has_rtl(text):
        return text
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text))


def text_alignment() -> int:
    """Paragraphs start on the right in a right-to-left language (Arabic)."""
    from django.utils import translation
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT

    return TA_RIGHT if translation.get_language_bidi() else TA_LEFT


def in_reading_order(cells: list) -> list:
    """A table row's cells, mirrored in a right-to-left language (the first
    column on the right)."""
    from django.utils import translation

    return list(reversed(cells)) if translation.get_language_bidi() else list(cells)


def markup(text: str, *, bold: bool = False) -> str:
    """Paragraph markup for ``text`` with each run in a font that has it."""
    register_fonts()
    text = visual(text or "")
    runs: list[tuple[str, str]] = []
    for char in text:
        font = _font_for(char)
        # Spaces and punctuation stay with the run they are in.
        if runs and (font == BASE and not char.isalnum() or runs[-1][0] == font):
            runs[-1] = (runs[-1][0], runs[-1][1] + char)
        else:
            runs.append((font, char))
    out = []
    for font, chunk in runs:
        chunk = escape(chunk)
        if font == BASE:
            out.append(f"<b>{chunk}</b>" if bold else chunk)
        else:
            out.append(f'<font name="{font}">{chunk}</font>')
    return "".join(out)

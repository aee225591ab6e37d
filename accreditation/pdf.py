"""Badge PDFs with ReportLab: one badge per page on the common card sizes,
with the photo, the name in its own script, the delegation, the category's
colour and label, and the signed QR code.

Speed (2,500 badges in a few seconds): fonts are registered once per
process; photos are drawn from small JPEG copies kept under
MEDIA_ROOT/badge_photos/, made in the background when the badge is issued
(services/photos.py; ReportLab embeds a JPEG file as it is, without
decoding it); the QR code is a 1-pixel-per-module grey image (a few hundred
bytes, encoded by zxing-cpp), scaled up without smoothing.

Scripts: DejaVu Sans covers Latin (with Vietnamese) and Cyrillic; Arabic is
shaped (arabic-reshaper) and put in visual order (python-bidi), then drawn
with Noto Sans Arabic; Thai with Noto Sans Thai (Debian's fonts-noto-core);
Chinese, Japanese and Korean with WenQuanYi Micro Hei (fonts-wqy-microhei):
Debian's Noto CJK fonts have PostScript outlines, which ReportLab cannot
embed.
"""

from __future__ import annotations

import hashlib
import io
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import zxingcpp
from arabic_reshaper import reshape
from bidi import get_display
from django.conf import settings
from PIL import Image
from reportlab import rl_config
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import inch, mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .enums import CardSize

CARD_SIZES = {
    CardSize.CR80: (54 * mm, 85.6 * mm),
    CardSize.BADGE_4X3: (4 * inch, 3 * inch),
    CardSize.A6: (105 * mm, 148 * mm),
}

_FONT_FILES = {
    "Badge-Latin": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "Badge-Latin-Bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "Badge-Arabic": "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
    "Badge-Thai": "/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf",
    "Badge-CJK": "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
}
_fonts_lock = threading.Lock()
_fonts: dict[str, str] = {}


def fonts() -> dict[str, str]:
    """Font name by role, registered with ReportLab once per process. A
    missing file falls back to the Latin font (and that to Helvetica), so a
    machine without the Noto fonts still prints, with boxes for the scripts
    it lacks."""
    if _fonts:
        return _fonts
    with _fonts_lock:
        if not _fonts:
            # Binary image streams, not ASCII85 (done in pure Python without
            # ReportLab's C accelerator: a third of the time of a batch).
            rl_config.useA85 = 0
            found = {}
            for name, path in _FONT_FILES.items():
                if Path(path).is_file():
                    pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
                    found[name] = name
            latin = found.get("Badge-Latin", "Helvetica")
            bold = found.get("Badge-Latin-Bold", "Helvetica-Bold")
            _fonts.update(
                {
                    "latin": latin,
                    "bold": bold,
                    "arabic": found.get("Badge-Arabic", latin),
                    "thai": found.get("Badge-Thai", latin),
                    "cjk": found.get("Badge-CJK", latin),
                }
            )
    return _fonts


def _script(text: str) -> str:
    for char in text:
        code = ord(char)
        if (
            0x0600 <= code <= 0x06FF
            or 0x0750 <= code <= 0x077F
            or 0xFB50 <= code <= 0xFEFF
        ):
            return "arabic"
        if 0x0E00 <= code <= 0x0E7F:
            return "thai"
        if (
            0x3000 <= code <= 0x30FF
            or 0x3400 <= code <= 0x4DBF
            or 0x4E00 <= code <= 0x9FFF
            or 0xAC00 <= code <= 0xD7AF
            or 0xF900 <= code <= 0xFAFF
        ):
            return "cjk"
    return "latin"


def visual_text(text: str) -> tuple[str, str]:
    """(text as drawn left to right, font name): Arabic shaped and reordered."""
    text = unicodedata.normalize("NFC", text)
    script = _script(text)
    if script == "arabic":
        text = get_display(reshape(text))
    return text, fonts()[script]


# ------------------------------------------------------------------ photos


def _photo_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "badge_photos"


PHOTO_MAX_SIDE = 360


def photo_for_badge(photo_name: str) -> str | None:
    """Path of a small JPEG copy of the stored photo ``photo_name`` (made
    once, then reused), or None without a photo or a readable file."""
    if not photo_name:
        return None
    source = Path(settings.MEDIA_ROOT) / photo_name
    key = hashlib.sha1(photo_name.encode()).hexdigest()
    target = _photo_dir() / f"{key}.jpg"
    try:
        if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
            return str(target)
        with Image.open(source) as image:
            image.draft("RGB", (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            image = image.convert("RGB")
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(f".{threading.get_ident()}.part")
            image.save(partial, format="JPEG", quality=82)
            partial.replace(target)
    except OSError:
        return None
    return str(target)


# ------------------------------------------------------------------ drawing


@dataclass(frozen=True)
class BadgeCard:
    """What one badge shows (plain values: no database access while drawing)."""

    number: str
    honorific: str
    name: str
    function_title: str
    delegation: str
    category_label: str
    colour: str
    event_name: str
    qr_text: str
    photo_path: str | None
    version: int = 1


def _qr_image(text: str) -> ImageReader:
    # zxing-cpp encodes in C++ (segno, in pure Python, took most of a
    # batch's time); 1 pixel per module with the 4-module quiet zone.
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    pixels = code.to_image(scale=1, add_quiet_zones=True)
    height, width = pixels.shape
    return ImageReader(Image.frombytes("L", (width, height), bytes(memoryview(pixels))))


def _fit(text: str, font: str, size: float, width: float, minimum: float = 5) -> float:
    while size > minimum and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _centred(
    canvas: Canvas, text: str, x: float, y: float, width: float, size: float, bold=False
):
    if not text:
        return
    drawn, font = visual_text(text)
    if bold and font == fonts()["latin"]:
        font = fonts()["bold"]
    size = _fit(drawn, font, size, width)
    canvas.setFont(font, size)
    canvas.drawCentredString(x, y, drawn)


def draw_badge(canvas: Canvas, card: BadgeCard, width: float, height: float) -> None:
    """One badge on the current page (portrait or landscape layout)."""
    colour = HexColor(card.colour)
    band = min(height, width) * 0.17
    margin = 3 * mm
    # Category band at the top, with its label in white (and in words: the
    # colour alone says nothing to a colour-blind guard).
    canvas.setFillColor(colour)
    canvas.rect(0, height - band, width, band, stroke=0, fill=1)
    canvas.setFillColor(white)
    _centred(
        canvas,
        card.category_label,
        width / 2,
        height - band * 0.68,
        width - 2 * margin,
        band * 0.55,
        bold=True,
    )
    canvas.setFillColorRGB(0, 0, 0)
    _centred(
        canvas,
        card.event_name,
        width / 2,
        height - band - 4 * mm,
        width - 2 * margin,
        7,
    )
    top = height - band - 6 * mm
    portrait = height >= width
    if portrait:
        photo_h = height * 0.33
        photo_w = photo_h * 0.8
        photo_x, photo_y = (width - photo_w) / 2, top - photo_h
        text_x, text_w = width / 2, width - 2 * margin
        text_top = photo_y - 5 * mm
        qr_size = min(width * 0.42, text_top - 24 * mm)
        qr_x, qr_y = margin, margin
    else:
        photo_h = (top - margin) * 0.75
        photo_w = photo_h * 0.8
        photo_x, photo_y = margin, top - photo_h
        text_w = width - photo_w - 3 * margin
        text_x = photo_x + photo_w + margin + text_w / 2
        text_top = top - 4 * mm
        qr_size = min(height * 0.38, text_w * 0.5)
        qr_x, qr_y = width - margin - qr_size, margin
    if card.photo_path:
        canvas.drawImage(
            card.photo_path,
            photo_x,
            photo_y,
            photo_w,
            photo_h,
            preserveAspectRatio=True,
        )
    else:
        canvas.setStrokeColorRGB(0.6, 0.6, 0.6)
        canvas.rect(photo_x, photo_y, photo_w, photo_h, stroke=1, fill=0)
    y = text_top
    if card.honorific:
        _centred(canvas, card.honorific, text_x, y, text_w, 8)
        y -= 4.5 * mm
    _centred(canvas, card.name, text_x, y, text_w, 12, bold=True)
    y -= 5 * mm
    _centred(canvas, card.function_title, text_x, y, text_w, 7)
    y -= 4.5 * mm
    _centred(canvas, card.delegation, text_x, y, text_w, 9, bold=True)
    canvas.drawImage(_qr_image(card.qr_text), qr_x, qr_y, qr_size, qr_size)
    number = card.number if card.version == 1 else f"{card.number}-{card.version}"
    if portrait:
        _centred(
            canvas,
            number,
            (qr_x + qr_size + width) / 2,
            qr_y + qr_size / 2,
            width - qr_size - 2 * margin,
            14,
            bold=True,
        )
    else:
        _centred(
            canvas,
            number,
            qr_x - (text_w - qr_size) / 2,
            qr_y + qr_size / 2,
            text_w - qr_size,
            14,
            bold=True,
        )
    canvas.setFillColor(colour)
    canvas.rect(0, 0, width, 1.5 * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)


def render_badges(
    cards: Iterable[BadgeCard],
    *,
    card_size: str = CardSize.CR80,
    out=None,
    progress=None,
) -> bytes | None:
    """Draw ``cards`` one per page into ``out`` (a binary file), or return
    the PDF's bytes. ``progress(n)`` is called every 100 badges."""
    width, height = CARD_SIZES[CardSize(card_size)]
    target = out or io.BytesIO()
    canvas = Canvas(target, pagesize=(width, height), pageCompression=1)
    canvas.setTitle("Badges")
    count = 0
    for card in cards:
        draw_badge(canvas, card, width, height)
        canvas.showPage()
        count += 1
        if progress is not None and count % 100 == 0:
            progress(count)
    canvas.save()
    if progress is not None:
        progress(count)
    return None if out is not None else target.getvalue()

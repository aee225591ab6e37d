"""The signing ceremony's run sheet as a PDF (slot order)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from hanoi_event.formatting import format_datetime

from .pdf import BASE, in_reading_order, markup, register_fonts, text_alignment


def run_sheet_pdf(*, event, ceremony, rows: list[dict]) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Run sheet"),
    )
    align = text_alignment()
    title = ParagraphStyle(
        "title", fontName=BASE, fontSize=14, leading=18, alignment=align
    )
    cell = ParagraphStyle(
        "cell", fontName=BASE, fontSize=9, leading=12, alignment=align
    )
    story = [
        Paragraph(markup(_("Signing ceremony: run sheet")), title),
        Paragraph(
            markup(
                f"{event.name} · {ceremony.place or event.venue} · {event.time_zone}"
            ),
            cell,
        ),
    ]
    header = [
        _("Slot"),
        _("Time"),
        _("State"),
        _("Signatory"),
        _("Title"),
        _("Full powers"),
        _("Signed"),
    ]
    data = [in_reading_order([Paragraph(markup(h, bold=True), cell) for h in header])]
    for row in rows:
        data.append(
            in_reading_order(
                [
                    Paragraph(str(row["slot"]), cell),
                    Paragraph(
                        markup(
                            format_datetime(
                                row["time"], "short_day_clock", tz=event.tzinfo
                            )
                        ),
                        cell,
                    ),
                    Paragraph(markup(row["state"]), cell),
                    Paragraph(markup(row["signatory"]), cell),
                    Paragraph(markup(row["title"]), cell),
                    Paragraph(markup(str(row["full_powers"])), cell),
                    Paragraph(markup(_("Yes") if row["signed"] else "☐"), cell),
                ]
            )
        )
    table = Table(
        data,
        colWidths=in_reading_order(
            [12 * mm, 28 * mm, 55 * mm, 55 * mm, 60 * mm, 40 * mm, 15 * mm]
        ),
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    doc.build(story)
    return buffer.getvalue()

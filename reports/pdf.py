"""The List of Participants as a PDF: a cover page, then each section from
a new page; names in every script (protocol.pdf: DejaVu, Noto, WenQuanYi;
Arabic shaped and right to left)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

from hanoi_event.formatting import format_date_range, format_datetime
from protocol.pdf import BASE, BASE_BOLD, markup, register_fonts, text_alignment

from .selectors import Section


def list_of_participants_pdf(*, event, sections: list[Section], final: bool) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    kind = _("Final list") if final else _("Provisional list")
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{_('List of Participants')} ({kind})",
    )
    # Arabic pages read from the right: paragraphs start there, people are
    # indented from there, the page number sits on the left.
    align = text_alignment()
    rtl = bool(align)
    cover = ParagraphStyle(
        "cover", fontName=BASE_BOLD, fontSize=22, leading=28, alignment=align
    )
    heading = ParagraphStyle(
        "heading", fontName=BASE_BOLD, fontSize=15, leading=20, alignment=align
    )
    org = ParagraphStyle(
        "org", fontName=BASE_BOLD, fontSize=11, leading=15, alignment=align
    )
    person = ParagraphStyle(
        "person",
        fontName=BASE,
        fontSize=9.5,
        leading=13,
        alignment=align,
        **{("rightIndent" if rtl else "leftIndent"): 6 * mm},
    )
    text = ParagraphStyle(
        "text", fontName=BASE, fontSize=11, leading=15, alignment=align
    )
    footer = ParagraphStyle(
        "footer", fontName=BASE, fontSize=8, leading=10, alignment=0 if rtl else 2
    )

    def page_number(canvas, document):
        canvas.saveState()
        width = A4[0] - 40 * mm
        number = Paragraph(markup(f"{kind} · {document.page}"), footer)
        number.wrapOn(canvas, width, 12 * mm)
        number.drawOn(canvas, 20 * mm, 8 * mm)
        canvas.restoreState()

    story = [
        Spacer(1, 50 * mm),
        Paragraph(markup(_("List of Participants")), cover),
        Spacer(1, 6 * mm),
        Paragraph(markup(event.name), text),
        Paragraph(markup(f"{event.venue}, {event.city}"), text),
        Paragraph(
            markup(format_date_range(event.start_date, event.end_date)),
            text,
        ),
        Spacer(1, 6 * mm),
        Paragraph(markup(kind), heading),
        Paragraph(
            markup(
                _("As of %(date)s. Only participants who consented are listed.")
                % {"date": format_datetime(timezone.now(), "datetime", tz=event.tzinfo)}
            ),
            text,
        ),
    ]
    for section in sections:
        story += [
            PageBreak(),
            Paragraph(markup(section.title), heading),
            Spacer(1, 3 * mm),
        ]
        for delegation in section.delegations:
            block = [Paragraph(markup(delegation.name, bold=True), org)]
            for p in delegation.people:
                # One line put in visual order as a whole, so that in Arabic
                # the honorific, the name, the function and "(Head of
                # Delegation)" follow each other from the right.
                line = f"{p.honorific} {p.name}".strip()
                if p.function:
                    line += ", " + p.function
                if p.is_head:
                    line += " (" + _("Head of Delegation") + ")"
                block.append(Paragraph(markup(line), person))
            block.append(Spacer(1, 3 * mm))
            story.append(KeepTogether(block[:3]))
            story.extend(block[3:])
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buffer.getvalue()

"""What the delegations services share to write their emails."""

from __future__ import annotations

import datetime as dt

from hanoi_event.formatting import format_date
from hanoi_event.selectors import email_template_for


def date_in_email_language(
    value: dt.date | dt.datetime,
    *,
    kind: str,
    language: str = "en",
    style: str = "date",
    tz: dt.tzinfo | None = None,
) -> str:
    """``value`` written in the language the email of ``kind`` will be
    written in (the recipient's, where a template exists, else English); a
    datetime in ``tz`` (the event's zone), with the zone."""
    return format_date(
        value, style, tz=tz, language=email_template_for(kind, language).language
    )

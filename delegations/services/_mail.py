"""What the delegations services share to write their emails."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.formats import date_format

from hanoi_event.selectors import email_template_for


def date_in_email_language(
    value: dt.date, *, kind: str, language: str = "en", fmt: str = "j F Y"
) -> str:
    """``value`` written in the language the email of ``kind`` will be
    written in (the recipient's, where a template exists, else English)."""
    with translation.override(email_template_for(kind, language).language):
        return date_format(value, fmt)

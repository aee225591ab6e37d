"""Access by badge category: an item that lists badge categories takes
registrations only from participants who hold one of them.

The categories belong to accreditation, a sibling app: they are read
through ``hanoi_event.participant_categories``, which accreditation fills.
Codes are compared without regard to case."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from hanoi_event.participant_categories import event_categories, participant_category


def category_names(event, codes: Sequence[str]) -> list[str]:
    """The names of ``codes`` (a code the event does not know stays as it is)."""
    names = {c.code.casefold(): c.name for c in event_categories(event)}
    return [names.get(code.casefold(), code) for code in codes]


def unknown_codes(event, codes: Sequence[str]) -> list[str]:
    """The codes in ``codes`` that are not badge categories of ``event``."""
    known = {c.code.casefold() for c in event_categories(event)}
    return [code for code in codes if code.casefold() not in known]


def access_error(*, participant, codes: Sequence[str], title: str) -> str:
    """Why ``participant`` may not take a seat at the item ``title`` open to
    the badge categories ``codes`` ("" when they may: every participant when
    ``codes`` is empty)."""
    if not codes:
        return ""
    allowed = ", ".join(category_names(participant.event, codes))
    category = participant_category(participant)
    if category is None:
        return _(
            "“%(title)s” is open only to the badge categories %(allowed)s, and "
            "your badge category is not known. Please ask the secretariat."
        ) % {"title": title, "allowed": allowed}
    if category.code.casefold() in {code.casefold() for code in codes}:
        return ""
    return _(
        "“%(title)s” is open only to the badge categories %(allowed)s. Your badge "
        "category is %(category)s, so you cannot take a seat here."
    ) % {"title": title, "allowed": allowed, "category": category.name}

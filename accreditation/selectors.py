"""Reads of the accreditation app that other apps reuse."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save

from hanoi_event.participant_categories import Category, CategoryProvider

from .enums import DEFAULT_CATEGORIES
from .models import Badge, BadgeCategory, CategoryChoice

_DEFAULT_NAMES = {row[0]: row[1] for row in DEFAULT_CATEGORIES}


@dataclass(frozen=True)
class CategoryFacts:
    """What a gate needs of a badge category (shown, and whether a valid
    scan waits for the operator)."""

    pk: int
    name: str
    label: str
    colour: str
    requires_confirmation: bool


# Categories are read on every scan and change rarely: keep them for a few
# seconds per process, as the public keys (signing._public_key). A save or
# delete in this process clears the copy at once; other processes see an
# edit within the TTL.
_CATEGORY_TTL_SECONDS = 10.0
_categories: dict[int, tuple[float, CategoryFacts]] = {}


def _categories_forget(**kwargs) -> None:
    _categories.clear()


post_save.connect(_categories_forget, sender=BadgeCategory)
post_delete.connect(_categories_forget, sender=BadgeCategory)


def category_facts(category_id: int) -> CategoryFacts | None:
    cached = _categories.get(category_id)
    if cached is not None and time.monotonic() - cached[0] < _CATEGORY_TTL_SECONDS:
        return cached[1]
    row = (
        BadgeCategory.objects.filter(pk=category_id)
        .values_list("pk", "name", "label", "colour", "requires_confirmation")
        .first()
    )
    if row is None:
        _categories.pop(category_id, None)
        return None
    facts = CategoryFacts(*row)
    if len(_categories) > 1024:
        _categories.clear()
    _categories[category_id] = (time.monotonic(), facts)
    return facts


# What the programme (a sibling app) needs, through the participant category
# registry of hanoi_event (registered in apps.py).


def participant_category(participant) -> Category | None:
    """The category ``participant`` holds: their valid badge's, else the one
    an officer chose, else the default they will get (from the delegation's
    kind and their role or rank). At most three small queries; writes
    nothing."""
    from .services.categories import default_category_code

    for rows in (
        Badge.objects.filter(participant=participant, revoked_at__isnull=True),
        CategoryChoice.objects.filter(participant=participant),
    ):
        row = rows.values_list("category__code", "category__name").first()
        if row is not None:
            return Category(*row)
    code = default_category_code(participant)
    name = (
        BadgeCategory.objects.filter(event_id=participant.event_id, code=code)
        .values_list("name", flat=True)
        .first()
    )
    return Category(code, name or _DEFAULT_NAMES.get(code, code))


def event_categories(event) -> list[Category]:
    """The event's badge categories in their order; the default ones while
    the event has none yet (they are created with the first badge)."""
    rows = list(
        BadgeCategory.objects.filter(event=event)
        .order_by("position", "name")
        .values_list("code", "name")
    )
    if rows:
        return [Category(code, name) for code, name in rows]
    return [Category(code, str(name)) for code, name in _DEFAULT_NAMES.items()]


CATEGORY_PROVIDER = CategoryProvider(
    participant_category=participant_category, event_categories=event_categories
)

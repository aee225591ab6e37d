"""Reads of the accreditation app that other apps reuse."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save

from .models import BadgeCategory


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

"""The registry of participant categories: which badge category a
participant holds, and which categories an event has, for the apps that
must not import the app that owns badge categories (the programme admits
its items by category; accreditation, its sibling, owns the categories).

The owning app registers one provider from its ``AppConfig.ready()``::

    register_category_provider(CategoryProvider(
        participant_category=...,  # participant -> Category | None
        event_categories=...,      # event -> list[Category]
    ))

Without a provider nobody's category is known: ``participant_category``
answers None and ``event_categories`` an empty list, and a caller that
admits by category refuses (it cannot check).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Category:
    """A badge category as other apps see it: its code (what programme items
    list) and its name (what people read)."""

    code: str
    name: str


@dataclass(frozen=True)
class CategoryProvider:
    participant_category: Callable[[Any], Category | None]
    event_categories: Callable[[Any], list[Category]]


_provider: CategoryProvider | None = None


def register_category_provider(provider: CategoryProvider) -> None:
    global _provider
    if _provider is not None and _provider != provider:
        raise ImproperlyConfigured("A participant category provider is registered.")
    _provider = provider


def category_provider() -> CategoryProvider | None:
    return _provider


def participant_category(participant) -> Category | None:
    """The category ``participant`` holds (their valid badge's, else the one
    they will get), or None when no provider knows it."""
    if _provider is None:
        return None
    return _provider.participant_category(participant)


def event_categories(event) -> list[Category]:
    """The badge categories of ``event``, in their order ([] without a
    provider)."""
    if _provider is None:
        return []
    return _provider.event_categories(event)

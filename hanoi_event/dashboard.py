"""The registry of the organizers' dashboard: each app contributes its
figures and charts from ``AppConfig.ready()``; the dashboard (the admin
index, built by the reporting app) reads them in registration order.

A contribution is a callable taking the event (or None) and returning a list
of ``Figure``. It reads through the app's selectors, with a bounded number of
queries whatever the size of the event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Figure:
    """One number on the dashboard, with the filtered list behind it."""

    key: str
    label: Any
    value: int | float | str
    url: str = ""
    group: Any = ""
    chart: dict[str, Any] | None = field(default=None)


Contribution = Callable[[Any], list[Figure]]

_CONTRIBUTIONS: dict[str, Contribution] = {}


def register_dashboard(key: str, contribution: Contribution) -> None:
    existing = _CONTRIBUTIONS.get(key)
    if existing is not None and existing is not contribution:
        raise ImproperlyConfigured(f"Dashboard contribution {key!r} is declared twice.")
    _CONTRIBUTIONS[key] = contribution


def dashboard_contributions() -> dict[str, Contribution]:
    return dict(_CONTRIBUTIONS)


def dashboard_figures(event) -> list[Figure]:
    """Every app's figures for ``event``, in registration order."""
    figures: list[Figure] = []
    for contribution in _CONTRIBUTIONS.values():
        figures.extend(contribution(event))
    return figures

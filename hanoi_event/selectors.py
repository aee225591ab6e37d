"""Reads about the event that other apps reuse."""

from __future__ import annotations

from .models import Event


def current_event() -> Event | None:
    """The event marked current, else the latest one, else None."""
    return (
        Event.objects.filter(is_current=True).first()
        or Event.objects.order_by("-start_date").first()
    )

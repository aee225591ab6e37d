"""Reads of the programme that other modules reuse."""

from __future__ import annotations

import datetime as dt

from hanoi_event.models import Event


def day_before_agenda_recipients(event: Event, day: dt.date) -> list[dict]:
    """Who gets the agenda of ``day``: a list of
    ``{"participant": Participant, "items": [{"time", "title", "room"}, ...]}``.

    Nobody yet: there are no registrations for programme items until the
    programme issue adds them (seats); this is where they are read."""
    return []

"""Fixtures of the programme tests: an event in the future (seats are taken
only before an item starts), its rooms and items."""

import datetime as dt

import pytest

from sessions.enums import ProgrammeItemKind
from sessions.models import ProgrammeItem
from tests.factories import EventFactory, RoomFactory

FIRST_DAY = dt.date(2030, 10, 25)


def at(day: int, hhmm: str) -> dt.datetime:
    """``hhmm`` in Hanoi (UTC+7, no summer time) on day ``day`` (1 or 2) of
    the future event, as a UTC instant."""
    hour, minute = (int(p) for p in hhmm.split(":"))
    local = dt.datetime.combine(
        FIRST_DAY + dt.timedelta(days=day - 1), dt.time(hour, minute)
    )
    return (local - dt.timedelta(hours=7)).replace(tzinfo=dt.UTC)


@pytest.fixture
def future_event(db):
    return EventFactory(
        start_date=FIRST_DAY,
        end_date=FIRST_DAY + dt.timedelta(days=1),
        is_current=True,
        short_name="Hanoi 2030",
    )


def make_item(
    event,
    *,
    room=None,
    title="Side event",
    start="09:00",
    end="10:15",
    day=2,
    seats=None,
    **kwargs,
) -> ProgrammeItem:
    """A published side event that takes registrations (saved without the
    service: for arranging tests)."""
    room = room or RoomFactory(event=event)
    values = {
        "kind": ProgrammeItemKind.SIDE_EVENT,
        "is_published": True,
        "registration_required": True,
        "capacity": seats,
        **kwargs,
    }
    return ProgrammeItem.objects.create(
        event=event,
        room=room,
        title=title,
        starts_at=at(day, start),
        ends_at=at(day, end),
        **values,
    )

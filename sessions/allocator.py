"""Places side events into the slot grid: a pure function on plain data, so
it can be tested (and explained) without a database.

Rules, never broken in its result: one event per room at a time; a speaker
in one place at a time; a room at least as big as the expected audience.
Preferred slots are tried first, in the applicant's order; then the other
slots in time order. In a slot, the smallest free room that is big enough is
taken (best fit), so big rooms stay free for big audiences. The events that
need the biggest rooms, then those with the fewest preferences, go first.
What it cannot place comes back with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Slot:
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    label: str = ""


@dataclass(frozen=True)
class Room:
    id: int
    name: str
    capacity: int


@dataclass(frozen=True)
class Application:
    id: int
    title: str
    audience: int
    preferred: tuple[int, ...] = ()
    # (key, name) of each speaker
    speakers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Busy:
    """Time already taken (by items in the programme): a room or a speaker
    from ``starts_at`` to ``ends_at``."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    room_id: int | None = None
    speaker_key: str | None = None


@dataclass(frozen=True)
class Placement:
    application_id: int
    slot_id: int
    room_id: int
    preferred: bool


@dataclass(frozen=True)
class Unplaced:
    application_id: int
    reason: str


@dataclass
class Result:
    placements: list[Placement] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def allocate(
    *,
    applications: Sequence[Application],
    slots: Sequence[Slot],
    rooms: Sequence[Room],
    busy: Iterable[Busy] = (),
) -> Result:
    slots_by_id = {slot.id: slot for slot in slots}
    in_time_order = sorted(slots, key=lambda s: (s.starts_at, s.id))
    rooms_by_size = sorted(rooms, key=lambda r: (r.capacity, r.name, r.id))
    room_busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    speaker_busy: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
    for entry in busy:
        span = (entry.starts_at, entry.ends_at)
        if entry.room_id is not None:
            room_busy.setdefault(entry.room_id, []).append(span)
        if entry.speaker_key is not None:
            speaker_busy.setdefault(entry.speaker_key, []).append(span)

    def free(spans, slot: Slot) -> bool:
        return not any(
            _overlaps(start, end, slot.starts_at, slot.ends_at) for start, end in spans
        )

    largest = rooms_by_size[-1] if rooms_by_size else None
    order = sorted(
        applications,
        key=lambda a: (-a.audience, len(a.preferred) or len(slots) + 1, a.id),
    )
    result = Result()
    for app in order:
        if largest is None or app.audience > largest.capacity:
            result.unplaced.append(Unplaced(app.id, _no_room_big_enough(app, largest)))
            continue
        preferred = [slots_by_id[pk] for pk in app.preferred if pk in slots_by_id]
        candidates = preferred + [s for s in in_time_order if s not in preferred]
        busy_speakers: dict[str, set[str]] = {}  # slot label -> names
        full_slots = 0
        placed = None
        for slot in candidates:
            taken = [
                name
                for key, name in app.speakers
                if not free(speaker_busy.get(key, ()), slot)
            ]
            if taken:
                busy_speakers[slot.label or str(slot.id)] = set(taken)
                continue
            room = next(
                (
                    r
                    for r in rooms_by_size
                    if r.capacity >= app.audience
                    and free(room_busy.get(r.id, ()), slot)
                ),
                None,
            )
            if room is None:
                full_slots += 1
                continue
            placed = Placement(app.id, slot.id, room.id, slot in preferred)
            break
        if placed is None:
            result.unplaced.append(
                Unplaced(
                    app.id, _why_not(app, busy_speakers, full_slots, len(candidates))
                )
            )
            continue
        slot = slots_by_id[placed.slot_id]
        room_busy.setdefault(placed.room_id, []).append((slot.starts_at, slot.ends_at))
        for key, _name in app.speakers:
            speaker_busy.setdefault(key, []).append((slot.starts_at, slot.ends_at))
        result.placements.append(placed)
    result.placements.sort(key=lambda p: (slots_by_id[p.slot_id].starts_at, p.room_id))
    return result


def _no_room_big_enough(app: Application, largest: Room | None) -> str:
    if largest is None:
        return _("No room is open to side events.")
    return _(
        "An expected audience of %(audience)s is more than the largest room "
        "open to side events holds (%(room)s, %(capacity)s seats)."
    ) % {"audience": app.audience, "room": largest.name, "capacity": largest.capacity}


def _why_not(
    app: Application, busy_speakers: dict[str, set[str]], full_slots: int, tried: int
) -> str:
    if not tried:
        return _("The event has no side-event slots.")
    if len(busy_speakers) == tried:
        names = sorted(set().union(*busy_speakers.values()))
        return _("Its speakers are busy in every slot (%(names)s).") % {
            "names": ", ".join(names)
        }
    if full_slots == tried:
        return _(
            "Every room with at least %(audience)s seats is taken in every slot."
        ) % {"audience": app.audience}
    names = sorted(set().union(*busy_speakers.values()))
    return _(
        "No slot has both a free room with at least %(audience)s seats and its "
        "speakers free (busy: %(names)s)."
    ) % {"audience": app.audience, "names": ", ".join(names)}

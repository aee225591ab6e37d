"""The allocator: 38 side events into 3 slots x 10 rooms, with clashing
speakers, preferences and audiences larger than any room. Its result never
breaks a rule, and what it cannot place is listed with the reason."""

import datetime as dt

import pytest

from sessions import allocator
from sessions.enums import ApplicationStatus
from sessions.models import ProgrammeItem, Room, SideEventSpeaker
from sessions.services import allocation_confirm, allocation_propose
from tests.factories import (
    DelegationFactory,
    RoomFactory,
    SideEventApplicationFactory,
    SideEventSlotFactory,
)

from .conftest import at

T0 = dt.datetime(2030, 10, 26, 2, 0, tzinfo=dt.UTC)


def _slots():
    starts = [T0, T0 + dt.timedelta(hours=1, minutes=30), T0 + dt.timedelta(hours=3)]
    return [
        allocator.Slot(n + 1, s, s + dt.timedelta(minutes=75), f"slot {n + 1}")
        for n, s in enumerate(starts)
    ]


ROOMS = [
    allocator.Room(100 + n, f"Room {n}", capacity)
    for n, capacity in enumerate([200, 150, 120, 100, 100, 80, 80, 60, 60, 50])
]


def _applications():
    """38 applications: one bigger than every room; five of 180 that fit only
    the 200-seat room (three units in all), each preferring a slot; four
    sharing one speaker (only three slots exist); 28 small ones."""
    apps = [allocator.Application(1, "Huge", 300, (), (("e:huge@x", "H"),))]
    for n in range(5):
        apps.append(
            allocator.Application(
                2 + n, f"Big {n}", 180, (1 + n % 3,), ((f"e:big{n}@x", f"B{n}"),)
            )
        )
    for n in range(4):
        apps.append(
            allocator.Application(
                7 + n,
                f"Star {n}",
                45,
                (),
                ((f"e:own{n}@x", f"O{n}"), ("e:star@x", "Star Speaker")),
            )
        )
    for n in range(28):
        preferred = (1 + n % 3,) if n % 2 == 0 else ()
        apps.append(
            allocator.Application(
                11 + n, f"Small {n}", 20 + n % 20, preferred, ((f"e:s{n}@x", f"S{n}"),)
            )
        )
    return apps


def _check_no_conflict(result, apps, slots, rooms):
    by_id = {a.id: a for a in apps}
    rooms_by_id = {r.id: r for r in rooms}
    seen_rooms = set()
    seen_speakers = set()
    for p in result.placements:
        assert (p.slot_id, p.room_id) not in seen_rooms
        seen_rooms.add((p.slot_id, p.room_id))
        assert rooms_by_id[p.room_id].capacity >= by_id[p.application_id].audience
        for key, _name in by_id[p.application_id].speakers:
            assert (p.slot_id, key) not in seen_speakers
            seen_speakers.add((p.slot_id, key))


def test_38_side_events_in_3_slots_of_10_rooms():
    apps, slots = _applications(), _slots()

    result = allocator.allocate(applications=apps, slots=slots, rooms=ROOMS)

    _check_no_conflict(result, apps, slots, ROOMS)
    placed = {p.application_id: p for p in result.placements}
    unplaced = {u.application_id: u.reason for u in result.unplaced}
    assert set(placed) | set(unplaced) == {a.id for a in apps}
    assert not set(placed) & set(unplaced)
    # Every one of the 30 rooms-in-slots is used; 8 events are left over.
    assert len(placed) == 30
    assert unplaced[1] == (
        "An expected audience of 300 is more than the largest room open to "
        "side events holds (Room 0, 200 seats)."
    )
    # The three 200-seat units go to the first three big events, each in the
    # slot it preferred; the other two are told why.
    assert [
        (placed[n].slot_id, placed[n].room_id, placed[n].preferred) for n in (2, 3, 4)
    ] == [
        (1, 100, True),
        (2, 100, True),
        (3, 100, True),
    ]
    assert (
        unplaced[5]
        == unplaced[6]
        == ("Every room with at least 180 seats is taken in every slot.")
    )
    # The star speaker is in three places, one per slot, not four.
    assert sorted(placed[n].slot_id for n in (7, 8, 9)) == [1, 2, 3]
    assert unplaced[10] == "Its speakers are busy in every slot (Star Speaker)."
    # The four small ones left over did not find a room.
    small_left = sorted(n for n in unplaced if n > 10)
    assert len(small_left) == 4
    assert {unplaced[n] for n in small_left} <= {
        f"Every room with at least {a} seats is taken in every slot."
        for a in range(20, 40)
    }


def test_busy_rooms_and_speakers_of_the_programme_stay_busy():
    slots = _slots()[:1]
    rooms = ROOMS[:2]
    busy = [
        allocator.Busy(slots[0].starts_at, slots[0].ends_at, room_id=rooms[0].id),
        allocator.Busy(slots[0].starts_at, slots[0].ends_at, speaker_key="e:busy@x"),
    ]
    apps = [
        allocator.Application(1, "A", 100, (), (("e:a@x", "A"),)),
        allocator.Application(2, "B", 10, (), (("e:busy@x", "Busy Person"),)),
    ]

    result = allocator.allocate(applications=apps, slots=slots, rooms=rooms, busy=busy)

    assert [(p.application_id, p.room_id) for p in result.placements] == [
        (1, rooms[1].id)
    ]
    assert [(u.application_id, u.reason) for u in result.unplaced] == [
        (2, "Its speakers are busy in every slot (Busy Person).")
    ]


@pytest.mark.django_db
def test_proposal_is_confirmed_into_programme_items(future_event):
    slot = SideEventSlotFactory(
        event=future_event, starts_at=at(2, "09:00"), ends_at=at(2, "10:15")
    )
    RoomFactory(event=future_event, name="Small", capacity=30, open_to_side_events=True)
    RoomFactory(event=future_event, name="Big", capacity=200, open_to_side_events=True)
    RoomFactory(event=future_event, name="Closed", capacity=500)
    delegation = DelegationFactory(event=future_event)
    fits = SideEventApplicationFactory(
        delegation=delegation, expected_audience=25, status=ApplicationStatus.ACCEPTED
    )
    big = SideEventApplicationFactory(
        delegation=delegation, expected_audience=150, status=ApplicationStatus.ACCEPTED
    )
    huge = SideEventApplicationFactory(
        delegation=delegation, expected_audience=400, status=ApplicationStatus.ACCEPTED
    )
    SideEventApplicationFactory(delegation=delegation, status=ApplicationStatus.PENDING)
    for application in (fits, big, huge):
        SideEventSpeaker.objects.create(
            application=application, name=f"Speaker of {application.pk}"
        )
    fits.preferred_slots.set([slot])

    proposal = allocation_propose(event=future_event)

    assert ProgrammeItem.objects.count() == 0  # a proposal places nothing
    assert sorted((p["title"], p["room_name"]) for p in proposal.placements) == sorted(
        [(fits.title, "Small"), (big.title, "Big")]
    )
    assert proposal.unplaced == [
        {
            "application": huge.pk,
            "title": huge.title,
            "reason": "An expected audience of 400 is more than the largest room "
            "open to side events holds (Big, 200 seats).",
        }
    ]

    allocation_confirm(proposal=proposal)
    allocation_confirm(proposal=proposal)  # twice: nothing more

    items = ProgrammeItem.objects.order_by("room__name")
    assert [
        (i.title, i.room.name, i.is_published, i.registration_required) for i in items
    ] == [
        (big.title, "Big", False, True),
        (fits.title, "Small", False, True),
    ]
    assert [r.display_name for r in items[1].roles.all()] == [f"Speaker of {fits.pk}"]
    fits.refresh_from_db()
    assert fits.programme_item == items[1]
    assert Room.objects.count() == 3

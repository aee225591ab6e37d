"""Seats: registration, the waiting list, cancellation and promotion; the
rules hold under real concurrent connections on PostgreSQL."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from delegations.enums import ParticipantStatus
from hanoi_event.models import OutboundEmail
from sessions.enums import RegistrationStatus
from sessions.mail import WAITLIST_PROMOTION
from sessions.models import Registration
from sessions.services import seat_cancel, seat_register, waiting_position
from tests.factories import DelegationFactory, ParticipantFactory, RoomFactory

from .conftest import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(future_event):
    delegation = DelegationFactory(event=future_event)
    return [
        ParticipantFactory(delegation=delegation, email=f"p{n:02d}@example.org")
        for n in range(4)
    ]


def test_full_item_puts_the_next_on_the_waiting_list(future_event, people):
    item = make_item(future_event, seats=2)

    statuses = [seat_register(participant=p, item=item).status for p in people[:3]]

    assert statuses == ["confirmed", "confirmed", "waiting"]
    third = Registration.objects.get(participant=people[2])
    assert waiting_position(third) == 1


def test_registering_twice_returns_the_same_seat(future_event, people):
    item = make_item(future_event, seats=2)

    first = seat_register(participant=people[0], item=item)
    again = seat_register(participant=people[0], item=item)

    assert first.pk == again.pk
    assert Registration.objects.count() == 1


def test_overlapping_item_is_refused_naming_the_other(future_event, people):
    first = make_item(future_event, title="Ransomware", start="09:00", end="10:15")
    second = make_item(future_event, title="Fraud", start="10:00", end="11:00")
    seat_register(participant=people[0], item=first)

    with pytest.raises(ValidationError) as excinfo:
        seat_register(participant=people[0], item=second)

    assert excinfo.value.messages == [
        "You are registered for “Ransomware” (Sat 26 Oct, 09:00–10:15 "
        "(Asia/Ho_Chi_Minh)) at the same time. Cancel it first to register here."
    ]
    assert Registration.objects.filter(item=second).count() == 0


def test_a_place_in_line_counts_as_holding_the_time(future_event, people):
    full = make_item(future_event, title="Full", seats=1)
    other = make_item(future_event, title="Other", start="09:30", end="10:00")
    seat_register(participant=people[0], item=full)
    assert seat_register(participant=people[1], item=full).status == "waiting"

    with pytest.raises(ValidationError):
        seat_register(participant=people[1], item=other)


def test_item_without_registration_or_withdrawn_participant_is_refused(
    future_event, people
):
    open_item = make_item(future_event, registration_required=False)
    with pytest.raises(ValidationError) as excinfo:
        seat_register(participant=people[0], item=open_item)
    assert excinfo.value.messages == ["“Side event” takes no registrations."]

    item = make_item(future_event, title="Seats", start="11:00", end="12:00")
    people[1].status = ParticipantStatus.WITHDRAWN
    people[1].save()
    with pytest.raises(ValidationError) as excinfo:
        seat_register(participant=people[1], item=item)
    assert excinfo.value.messages == [
        "Your registration was withdrawn or rejected: you cannot take seats."
    ]


def test_a_started_item_takes_no_registrations(event):
    # ``event`` is in 2025: its items have started.
    delegation = DelegationFactory(event=event)
    participant = ParticipantFactory(delegation=delegation)
    from sessions.models import ProgrammeItem

    item = ProgrammeItem.objects.create(
        event=event,
        room=RoomFactory(event=event),
        title="Past",
        kind="side_event",
        is_published=True,
        registration_required=True,
        starts_at="2025-10-26T02:00Z",
        ends_at="2025-10-26T03:00Z",
    )
    with pytest.raises(ValidationError) as excinfo:
        seat_register(participant=participant, item=item)
    assert excinfo.value.messages == ["“Past” has started: registration is closed."]


def test_cancel_promotes_the_first_in_line_and_tells_them_once(
    future_event, people, django_capture_on_commit_callbacks
):
    item = make_item(future_event, seats=1)
    for person in people[:3]:
        seat_register(participant=person, item=item)

    with django_capture_on_commit_callbacks(execute=True):
        promoted = seat_cancel(participant=people[0], item=item)
        seat_cancel(participant=people[0], item=item)  # twice: nothing more

    assert [r.participant for r in promoted] == [people[1]]
    statuses = dict(
        Registration.objects.filter(item=item).values_list("participant", "status")
    )
    assert statuses == {
        people[0].pk: "cancelled",
        people[1].pk: "confirmed",
        people[2].pk: "waiting",
    }
    emails = OutboundEmail.objects.filter(kind=WAITLIST_PROMOTION)
    assert list(emails.values_list("to_email", flat=True)) == ["p01@example.org"]
    assert emails.get().subject == "Hanoi 2030: a seat for you at “Side event”"
    assert "Sat 26 Oct, 09:00–10:15 (Asia/Ho_Chi_Minh)" in emails.get().text_body


def test_more_seats_go_to_those_in_line(future_event, people):
    from sessions.services import programme_item_save

    item = make_item(future_event, seats=1)
    for person in people[:3]:
        seat_register(participant=person, item=item)

    item.capacity = 3
    programme_item_save(item=item)

    assert set(
        Registration.objects.filter(item=item).values_list("status", flat=True)
    ) == {"confirmed"}


def _run_in_threads(functions):
    """Run each function in its own thread with its own connection, started
    together; returns their results (or exceptions) in order."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait(30)
            results[index] = function()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_registrations_for_the_last_five_seats():
    from tests.factories import EventFactory

    from .conftest import FIRST_DAY

    event = EventFactory(
        start_date=FIRST_DAY, end_date=FIRST_DAY.replace(day=26), is_current=True
    )
    delegation = DelegationFactory(event=event)
    item = make_item(event, seats=7)
    holders = [ParticipantFactory(delegation=delegation) for _ in range(2)]
    for holder in holders:
        seat_register(participant=holder, item=item)
    crowd = [
        ParticipantFactory(delegation=delegation, email=f"crowd{n:02d}@example.org")
        for n in range(50)
    ]

    results = _run_in_threads(
        [(lambda p=p: seat_register(participant=p, item=item).pk) for p in crowd]
    )

    assert [r for r in results if isinstance(r, Exception)] == []
    rows = list(Registration.objects.filter(participant__in=crowd).order_by("id"))
    assert len(rows) == 50
    # Arrival order is the order the item's lock was granted, which is the
    # order of the ids: the first five got the seats, the rest wait in line.
    assert [r.status for r in rows] == ["confirmed"] * 5 + ["waiting"] * 45
    assert [waiting_position(r) for r in rows[5:]] == list(range(1, 46))
    created = [r.created_at for r in rows]
    assert created == sorted(created)
    assert (
        Registration.objects.filter(
            item=item, status=RegistrationStatus.CONFIRMED
        ).count()
        == 7
    )

    # Two seats freed at the same moment go to the first two in line, each
    # told once (cancelling again changes nothing).
    leaving = [rows[0].participant, rows[1].participant]
    _run_in_threads(
        [(lambda p=p: seat_cancel(participant=p, item=item)) for p in leaving]
    )
    _run_in_threads(
        [(lambda p=p: seat_cancel(participant=p, item=item)) for p in leaving]
    )

    next_two = [rows[5].participant_id, rows[6].participant_id]
    assert sorted(
        Registration.objects.filter(
            item=item, status=RegistrationStatus.CONFIRMED, promoted_at__isnull=False
        ).values_list("participant_id", flat=True)
    ) == sorted(next_two)
    assert (
        Registration.objects.filter(
            item=item, status=RegistrationStatus.CONFIRMED
        ).count()
        == 7
    )
    emails = OutboundEmail.objects.filter(kind=WAITLIST_PROMOTION)
    assert sorted(emails.values_list("to_email", flat=True)) == sorted(
        [rows[5].participant.email, rows[6].participant.email]
    )
    assert [
        waiting_position(r)
        for r in Registration.objects.filter(
            item=item, status=RegistrationStatus.WAITING
        ).order_by("id")
    ] == list(range(1, 44))


@pytest.mark.django_db(transaction=True)
def test_one_person_cannot_take_two_overlapping_seats_at_once():
    from tests.factories import EventFactory

    from .conftest import FIRST_DAY

    event = EventFactory(
        start_date=FIRST_DAY, end_date=FIRST_DAY.replace(day=26), is_current=True
    )
    person = ParticipantFactory(delegation=DelegationFactory(event=event))
    items = [make_item(event, title=f"Parallel {n}", seats=10) for n in range(6)]

    results = _run_in_threads(
        [(lambda i=i: seat_register(participant=person, item=i)) for i in items]
    )

    assert sum(1 for r in results if isinstance(r, Registration)) == 1
    assert sum(1 for r in results if isinstance(r, ValidationError)) == 5
    assert Registration.objects.filter(participant=person).count() == 1

"""Reminders for registered participants: tomorrow's agenda and "starting
in 30 minutes", each once."""

import datetime as dt

import pytest

from hanoi_event.models import OutboundEmail
from sessions.mail import REMINDER_DAY_BEFORE, STARTING_SOON
from sessions.services import (
    reminders_send_day_before,
    reminders_send_starting_soon,
    seat_register,
)
from tests.factories import DelegationFactory, ParticipantFactory, RoomFactory

from .conftest import at, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(future_event):
    person = ParticipantFactory(
        delegation=DelegationFactory(event=future_event),
        email="mai@example.org",
        given_names="Mai",
        family_name="Tran",
    )
    room = RoomFactory(event=future_event, name="Meeting Room 4")
    first = make_item(
        future_event, room=room, title="Ransomware", start="09:00", end="10:15"
    )
    second = make_item(
        future_event, room=room, title="Fraud", start="14:00", end="15:00"
    )
    other_day = make_item(future_event, room=room, title="Day one", day=1)
    for item in (second, first, other_day):
        seat_register(participant=person, item=item)
    return person


def test_day_before_agenda_lists_the_seats_of_tomorrow_once(
    future_event, registered, django_capture_on_commit_callbacks
):
    evening_before = at(1, "18:00")

    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_send_day_before(event=future_event, now=evening_before)
        again = reminders_send_day_before(event=future_event, now=evening_before)

    assert (first, again) == (1, 0)
    email = OutboundEmail.objects.get(kind=REMINDER_DAY_BEFORE)
    assert email.to_email == "mai@example.org"
    assert email.subject == "Hanoi 2030: your agenda for Saturday, 26 October 2030"
    assert (
        "09:00  Ransomware (Meeting Room 4)\n14:00  Fraud (Meeting Room 4)"
        in email.text_body
    )
    assert "Day one" not in email.text_body


def test_starting_soon_goes_once_within_30_minutes(
    future_event, registered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        early = reminders_send_starting_soon(event=future_event, now=at(2, "08:29"))
        due = reminders_send_starting_soon(event=future_event, now=at(2, "08:30"))
        later = reminders_send_starting_soon(
            event=future_event, now=at(2, "08:30") + dt.timedelta(minutes=5)
        )

    assert (early, due, later) == (0, 1, 0)
    email = OutboundEmail.objects.get(kind=STARTING_SOON)
    assert email.subject == "Hanoi 2030: “Ransomware” starts in 30 minutes"
    assert (
        "Sat 26 Oct, 09:00–10:15 (Asia/Ho_Chi_Minh), Meeting Room 4" in email.text_body
    )

"""Reminders: who is due, what they get, and never twice."""

import datetime as dt

import pytest

from delegations.enums import DelegationStatus, ParticipantStatus, ProtocolRank
from delegations.mail import REMINDER_DEADLINE
from delegations.services import reminders_send_deadline, reminders_send_missing_data
from hanoi_event.models import OutboundEmail
from hanoi_event.selectors import email_template_for
from sessions.mail import REMINDER_DAY_BEFORE
from sessions.selectors import day_before_agenda_recipients
from sessions.services import reminders as day_before
from sessions.services import reminders_send_day_before
from tests.factories import (
    DelegationFactory,
    EventFactory,
    ParticipantFactory,
    StateFactory,
    UserFactory,
)

# 23:59 on 10 October 2025 in Hanoi (UTC+7).
DEADLINE = dt.datetime(2025, 10, 10, 16, 59, tzinfo=dt.UTC)


def hanoi_morning(days_before: int) -> dt.datetime:
    """08:00 Hanoi time, ``days_before`` calendar days before the deadline."""
    return dt.datetime(2025, 10, 10, 1, 0, tzinfo=dt.UTC) - dt.timedelta(
        days=days_before
    )


@pytest.fixture(autouse=True)
def _no_delivery(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.REMINDER_DEADLINE_DAYS = [7, 2]
    settings.SITE_URL = "https://event.example.org"


@pytest.fixture(autouse=True)
def _fresh_template_cache():
    # Templates created by a test are rolled back; the process cache is not.
    from hanoi_event.selectors import _template_cache

    _template_cache.clear()
    yield
    _template_cache.clear()


@pytest.fixture
def deadline_event(db):
    return EventFactory(
        short_name="HC", registration_deadline=DEADLINE, is_current=True
    )


def _delegation(event, status, email="fp@example.org", name="Republic of A"):
    focal_point = (
        UserFactory(email=email, first_name="Jane", last_name="Doe")
        if email is not None
        else None
    )
    return DelegationFactory(
        event=event,
        status=status,
        focal_point=focal_point,
        organisation=StateFactory(name=name),
    )


def test_deadline_reminder_goes_to_focal_points_of_delegations_not_submitted(
    deadline_event,
):
    invited = _delegation(
        deadline_event, DelegationStatus.INVITED, "a@example.org", "A"
    )
    registering = _delegation(
        deadline_event, DelegationStatus.REGISTERING, "b@example.org", "B"
    )
    _delegation(deadline_event, DelegationStatus.SUBMITTED, "c@example.org", "C")
    _delegation(deadline_event, DelegationStatus.ACCREDITED, "d@example.org", "D")
    _delegation(deadline_event, DelegationStatus.INVITED, None, "E")
    _delegation(deadline_event, DelegationStatus.INVITED, "", "F")

    assert reminders_send_deadline(now=hanoi_morning(7)) == 2

    rows = OutboundEmail.objects.order_by("to_email")
    assert [(r.to_email, r.kind, r.idempotency_key, r.about) for r in rows] == [
        (
            "a@example.org",
            REMINDER_DEADLINE,
            f"reminder:deadline7:{invited.pk}",
            invited,
        ),
        (
            "b@example.org",
            REMINDER_DEADLINE,
            f"reminder:deadline7:{registering.pk}",
            registering,
        ),
    ]
    assert rows[0].subject == "HC: registration closes in 7 days"
    assert "Dear Jane Doe," in rows[0].text_body
    assert (
        "Registration closes on 10 October 2025 at 23:59 GMT+7 (7 days from now)"
        in rows[0].text_body
    )
    assert "https://event.example.org/" in rows[0].text_body


def test_deadline_reminder_run_twice_queues_nothing_the_second_time(deadline_event):
    _delegation(deadline_event, DelegationStatus.INVITED)

    assert reminders_send_deadline(now=hanoi_morning(7)) == 1
    assert reminders_send_deadline(now=hanoi_morning(7)) == 0
    # A later day in the same window (a missed run) does not repeat it either.
    assert reminders_send_deadline(now=hanoi_morning(5)) == 0
    assert OutboundEmail.objects.count() == 1


def test_deadline_reminder_thresholds_follow_the_days_setting(deadline_event, settings):
    delegation = _delegation(deadline_event, DelegationStatus.INVITED)

    assert reminders_send_deadline(now=hanoi_morning(8)) == 0
    assert reminders_send_deadline(now=hanoi_morning(3)) == 1
    assert reminders_send_deadline(now=hanoi_morning(2)) == 1
    assert reminders_send_deadline(now=hanoi_morning(1)) == 0
    assert reminders_send_deadline(now=hanoi_morning(-1)) == 0
    assert sorted(OutboundEmail.objects.values_list("idempotency_key", flat=True)) == [
        f"reminder:deadline2:{delegation.pk}",
        f"reminder:deadline7:{delegation.pk}",
    ]
    settings.REMINDER_DEADLINE_DAYS = [10]
    assert reminders_send_deadline(now=hanoi_morning(9)) == 1


def test_deadline_reminder_without_deadline_sends_nothing(db):
    event = EventFactory(registration_deadline=None)
    _delegation(event, DelegationStatus.INVITED)
    assert reminders_send_deadline(event=event, now=hanoi_morning(7)) == 0


def _complete_profile(**overrides):
    """Every field a registration needs but the photo and the passport."""
    return {
        "gender": "female",
        "function_title": "Counsellor",
        "nationality": StateFactory(),
        "date_of_birth": dt.date(1980, 1, 2),
        "phone": "+84 24 0000 0000",
        **overrides,
    }


def test_missing_data_reminder_names_what_is_missing(deadline_event):
    delegation = _delegation(deadline_event, DelegationStatus.REGISTERING)
    both = ParticipantFactory(
        delegation=delegation,
        status=ParticipantStatus.NOMINATED,
        email="both@example.org",
        **_complete_profile(),
    )
    photo_only = ParticipantFactory(
        delegation=delegation,
        email="photo@example.org",
        passport_number="B1234567",
        passport_expiry=dt.date(2030, 1, 1),
        preferred_language="fr",
        **_complete_profile(),
    )
    # Nothing but a phone number: the same rule as the portal's "still missing".
    no_phone = ParticipantFactory(
        delegation=delegation,
        email="phone@example.org",
        passport_number="E1",
        passport_expiry=dt.date(2030, 1, 1),
        photo="photos/e.jpg",
        **_complete_profile(phone=""),
    )
    # A Head of State needs no photo; the rest is complete: nothing due.
    ParticipantFactory(
        delegation=delegation,
        email="hos@example.org",
        protocol_rank=ProtocolRank.HEAD_OF_STATE,
        passport_number="C1",
        passport_expiry=dt.date(2030, 1, 1),
        **_complete_profile(),
    )
    ParticipantFactory(
        delegation=delegation,
        email="ok@example.org",
        passport_number="D1",
        passport_expiry=dt.date(2030, 1, 1),
        photo="photos/ok.jpg",
        **_complete_profile(),
    )
    ParticipantFactory(
        delegation=delegation,
        status=ParticipantStatus.APPROVED,
        email="approved@example.org",
    )
    ParticipantFactory(
        delegation=delegation,
        status=ParticipantStatus.WITHDRAWN,
        email="gone@example.org",
    )

    assert reminders_send_missing_data() == 3
    assert reminders_send_missing_data() == 0

    rows = {r.to_email: r for r in OutboundEmail.objects.all()}
    assert sorted(rows) == [
        "both@example.org",
        "phone@example.org",
        "photo@example.org",
    ]
    assert rows["both@example.org"].idempotency_key == f"reminder:missing:{both.pk}"
    assert (
        "- passport number\n- passport expiry\n- photo\n\nWithout it"
        in rows["both@example.org"].text_body
    )
    # The French speaker gets the French text, the missing item in French.
    assert "suivants" in rows["photo@example.org"].text_body
    assert "\n\n- photo\n\n" in rows["photo@example.org"].text_body
    assert "missing:\n\n- phone\n\nWithout it" in rows["phone@example.org"].text_body
    assert rows["phone@example.org"].about == no_phone
    assert rows["photo@example.org"].about == photo_only
    assert rows["photo@example.org"].language == "fr"


def test_day_before_hook_returns_nobody_until_the_programme_fills_it(deadline_event):
    assert day_before_agenda_recipients(deadline_event, dt.date(2025, 10, 25)) == []
    assert (
        reminders_send_day_before(now=dt.datetime(2025, 10, 24, 11, tzinfo=dt.UTC)) == 0
    )


def test_day_before_reminder_sends_what_the_hook_returns_once(
    deadline_event, monkeypatch
):
    participant = ParticipantFactory(
        event=deadline_event,
        delegation__event=deadline_event,
        email="p@example.org",
        given_names="An",
        family_name="Nguyen",
    )
    calls = []

    def hook(event, day):
        calls.append((event, day))
        return [
            {
                "participant": participant,
                "items": [
                    {
                        "time": "09:00",
                        "title": "Opening ceremony",
                        "room": "Plenary hall",
                    }
                ],
            }
        ]

    monkeypatch.setattr(day_before, "day_before_agenda_recipients", hook)
    # 18:00 in Hanoi on 24 October: tomorrow is the 25th there.
    now = dt.datetime(2025, 10, 24, 11, 0, tzinfo=dt.UTC)

    assert reminders_send_day_before(now=now) == 1
    assert reminders_send_day_before(now=now) == 0

    assert calls == [(deadline_event, dt.date(2025, 10, 25))] * 2
    row = OutboundEmail.objects.get()
    assert row.idempotency_key == f"reminder:daybefore:2025-10-25:{participant.pk}"
    assert row.subject == "HC: your agenda for Saturday, 25 October 2025"
    assert "09:00  Opening ceremony (Plenary hall)" in row.text_body


def test_deadline_reminder_date_is_written_in_the_recipients_language(deadline_event):
    from hanoi_event.models import EmailTemplate

    EmailTemplate.objects.update_or_create(
        kind=REMINDER_DEADLINE,
        language="fr",
        defaults={"subject": "Rappel", "text_body": "Date limite : {{ deadline }}"},
    )
    delegation = _delegation(deadline_event, DelegationStatus.INVITED, "fr@example.org")
    ParticipantFactory(
        delegation=delegation, email="fr@example.org", preferred_language="fr"
    )

    assert reminders_send_deadline(now=hanoi_morning(7)) == 1

    row = OutboundEmail.objects.get()
    assert row.language == "fr"
    assert row.text_body == "Date limite : 10 octobre 2025 à 23:59 UTC+7\n"


@pytest.mark.parametrize("size", [3, 15])
def test_deadline_reminder_queries_do_not_grow_with_the_delegations(
    deadline_event, django_assert_max_num_queries, size
):
    for i in range(size):
        delegation = _delegation(
            deadline_event, DelegationStatus.INVITED, f"fp{i}@example.org", f"S{i}"
        )
        ParticipantFactory(
            delegation=delegation, email=f"fp{i}@example.org", preferred_language="fr"
        )
    email_template_for(REMINDER_DEADLINE, "fr")

    # The event, the delegations, the content type (unless cached), then the
    # outbox rows written in bulk and read back: the same for any number.
    with django_assert_max_num_queries(5):
        assert reminders_send_deadline(now=hanoi_morning(7)) == size


def test_day_before_date_is_in_the_language_of_the_template_used(
    deadline_event, monkeypatch
):
    # A French speaker with no French template (an organizer deleted it)
    # gets the English text: the date in it is English too, not
    # "samedi 25 octobre 2025".
    from hanoi_event.models import EmailTemplate
    from hanoi_event.selectors import _template_cache

    EmailTemplate.objects.filter(kind=REMINDER_DAY_BEFORE, language="fr").delete()
    _template_cache.clear()
    participant = ParticipantFactory(
        event=deadline_event,
        delegation__event=deadline_event,
        email="fr@example.org",
        preferred_language="fr",
    )
    monkeypatch.setattr(
        day_before,
        "day_before_agenda_recipients",
        lambda event, day: [{"participant": participant, "items": []}],
    )

    assert reminders_send_day_before(now=dt.datetime(2025, 10, 24, 11, tzinfo=dt.UTC))

    row = OutboundEmail.objects.get()
    assert (row.language, row.subject) == (
        "en",
        "HC: your agenda for Saturday, 25 October 2025",
    )

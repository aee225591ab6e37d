"""The day-before agenda: each participant registered for programme items
gets tomorrow's (event-local date) once (celery beat runs it daily; see
``sessions.tasks``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hanoi_event.formatting import format_date
from hanoi_event.models import Event
from hanoi_event.selectors import current_event, email_template_for
from hanoi_event.services import Message, created_count, email_queue_many

from ..conflicts import local_span
from ..mail import REMINDER_DAY_BEFORE, STARTING_SOON
from ..selectors import day_before_agenda_recipients, starting_soon_registrations


def reminders_send_day_before(
    *, event: Event | None = None, now: dt.datetime | None = None
) -> int:
    """Tomorrow's agenda (event-local date) to everyone
    ``selectors.day_before_agenda_recipients`` names, the date written in the
    language of the template each gets. Idempotent per participant and day.
    Returns the number of rows queued."""
    event = event or current_event()
    if event is None:
        return 0
    now = now or timezone.now()
    tomorrow = timezone.localtime(now, event.tzinfo).date() + dt.timedelta(days=1)
    messages = []
    for entry in day_before_agenda_recipients(event, tomorrow):
        participant = entry["participant"]
        language = participant.preferred_language or "en"
        template = email_template_for(REMINDER_DAY_BEFORE, language)
        day = format_date(tomorrow, "weekday_date", language=template.language)
        messages.append(
            Message(
                to=participant.email,
                context={
                    "participant_name": participant.full_name,
                    "day": day,
                    "items": entry["items"],
                },
                language=language,
                idempotency_key=(
                    f"reminder:daybefore:{tomorrow.isoformat()}:{participant.pk}"
                ),
                about=participant,
            )
        )
    return created_count(
        email_queue_many(kind=REMINDER_DAY_BEFORE, messages=messages, event=event)
    )


STARTING_SOON_WITHIN = dt.timedelta(minutes=30)


def reminders_send_starting_soon(
    *, event: Event | None = None, now: dt.datetime | None = None
) -> int:
    """ "Starting in 30 minutes" to each participant with a confirmed seat at
    an item that starts within the next 30 minutes (celery beat runs it every
    five minutes). Idempotent per item and participant. Returns the number of
    rows queued."""
    event = event or current_event()
    if event is None:
        return 0
    now = now or timezone.now()
    messages = []
    for registration in starting_soon_registrations(
        event, now=now, within=STARTING_SOON_WITHIN
    ):
        item, participant = registration.item, registration.participant
        messages.append(
            Message(
                to=participant.email,
                context={
                    "participant_name": participant.full_name,
                    "title": item.title,
                    "when": local_span(event, item.starts_at, item.ends_at),
                    "room": item.room.name if item.room_id else "",
                },
                language=participant.preferred_language or "en",
                idempotency_key=f"reminder:soon:{item.pk}:{participant.pk}",
                about=registration,
            )
        )
    return created_count(
        email_queue_many(kind=STARTING_SOON, messages=messages, event=event)
    )

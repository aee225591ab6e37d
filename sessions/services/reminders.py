"""The day-before agenda: each participant registered for programme items
gets tomorrow's (event-local date) once (celery beat runs it daily; see
``sessions.tasks``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.formats import date_format

from hanoi_event.models import Event
from hanoi_event.selectors import current_event, email_template_for
from hanoi_event.services import Message, created_count, email_queue_many

from ..mail import REMINDER_DAY_BEFORE
from ..selectors import day_before_agenda_recipients


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
        with translation.override(template.language):
            day = date_format(tomorrow, "l j F Y")
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

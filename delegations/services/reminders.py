"""Scheduled reminders about delegations and participants (celery beat runs
them daily; see ``delegations.tasks``). Each goes once per recipient and
purpose, by its idempotency key; the messages of one run are queued in bulk."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation

from hanoi_event.links import absolute_reverse
from hanoi_event.models import Event
from hanoi_event.selectors import current_event, email_template_for
from hanoi_event.services import Message, created_count, email_queue_many

from ..fields import missing_labels
from ..mail import REMINDER_DEADLINE, REMINDER_MISSING_DATA
from ..selectors import (
    registration_days_left,
    reminder_deadline_delegations,
    reminder_missing_data_participants,
)
from ._mail import date_in_email_language


def reminders_send_deadline(
    *, event: Event | None = None, now: dt.datetime | None = None
) -> int:
    """Registration deadline reminders to the focal points of delegations that
    have not submitted. With REMINDER_DEADLINE_DAYS = [7, 2], a delegation is
    reminded once when 7 or fewer days are left (and more than 2), once more
    when 2 or fewer are left, so a missed daily run still reminds. Idempotent
    per delegation and threshold. Returns the number of rows queued."""
    event = event or current_event()
    if event is None:
        return 0
    now = now or timezone.now()
    days_left = registration_days_left(event=event, now=now)
    if days_left is None or days_left < 1:
        return 0
    thresholds = sorted(
        int(d) for d in settings.REMINDER_DEADLINE_DAYS if int(d) >= days_left
    )
    if not thresholds:
        return 0
    threshold = thresholds[0]
    portal_url = absolute_reverse("portal:home")
    messages = []
    for delegation in reminder_deadline_delegations(event=event):
        # The focal point's own language where they are also a member.
        language = delegation.focal_point_language or "en"
        messages.append(
            Message(
                to=delegation.focal_point.email,
                context={
                    "recipient_name": delegation.focal_point.get_full_name(),
                    "organisation_name": delegation.organisation.name,
                    "deadline": date_in_email_language(
                        event.registration_deadline,
                        kind=REMINDER_DEADLINE,
                        language=language,
                        style="datetime",
                        tz=event.tzinfo,
                    ),
                    "days_left": days_left,
                    "portal_url": portal_url,
                },
                language=language,
                idempotency_key=f"reminder:deadline{threshold}:{delegation.pk}",
                about=delegation,
            )
        )
    return created_count(
        email_queue_many(kind=REMINDER_DEADLINE, messages=messages, event=event)
    )


def reminders_send_missing_data(
    *, event: Event | None = None, now: dt.datetime | None = None
) -> int:
    """One reminder per participant (nominated or submitted) who still misses
    something their registration needs (``fields.missing_fields``: the same
    rule as the portal and the admin), listed in the words of the email's
    language. Idempotent per participant."""
    event = event or current_event()
    if event is None:
        return 0
    portal_url = absolute_reverse("portal:home")
    messages = []
    for participant in reminder_missing_data_participants(event=event):
        language = participant.preferred_language or "en"
        template = email_template_for(REMINDER_MISSING_DATA, language)
        with translation.override(template.language):
            missing = missing_labels(participant)
        messages.append(
            Message(
                to=participant.email,
                context={
                    "participant_name": participant.full_name,
                    "missing": missing,
                    "portal_url": portal_url,
                },
                language=language,
                idempotency_key=f"reminder:missing:{participant.pk}",
                about=participant,
            )
        )
    return created_count(
        email_queue_many(kind=REMINDER_MISSING_DATA, messages=messages, event=event)
    )

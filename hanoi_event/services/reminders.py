"""Scheduled reminders (celery beat): each goes once per recipient and
purpose, by its idempotency key."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format

from ..enums import EmailKind
from ..models import Event
from ..selectors import (
    current_event,
    day_before_agenda_recipients,
    email_template_for,
    participant_missing_data,
    registration_days_left,
    reminder_deadline_delegations,
    reminder_missing_data_participants,
)
from .outbox import email_queue

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------- reminders


def _portal_url() -> str:
    return settings.SITE_URL.rstrip("/") + "/"


def _person_name(user) -> str:
    full = (
        (user.get_full_name() or "").strip() if hasattr(user, "get_full_name") else ""
    )
    return full


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
    local_deadline = timezone.localtime(event.registration_deadline, event.tzinfo)
    portal_url = _portal_url()
    queued = 0
    with transaction.atomic():
        for delegation in reminder_deadline_delegations(event=event):
            key = f"reminder:deadline{threshold}:{delegation.pk}"
            language = _focal_point_language(delegation)
            # The date in the words of the template the recipient gets.
            with translation.override(
                email_template_for(EmailKind.REMINDER_DEADLINE, language).language
            ):
                deadline = date_format(local_deadline, "j F Y, H:i")
            row = email_queue(
                to=delegation.focal_point.email,
                kind=EmailKind.REMINDER_DEADLINE,
                context={
                    "recipient_name": _person_name(delegation.focal_point),
                    "organisation_name": delegation.organisation.name,
                    "deadline": deadline,
                    "days_left": days_left,
                    "portal_url": portal_url,
                },
                language=language,
                idempotency_key=key,
                about=delegation,
                event=event,
            )
            queued += getattr(row, "was_created", False)
    return queued


def _focal_point_language(delegation) -> str:
    """The focal point's preferred language, if they are also a participant
    (annotated by ``reminder_deadline_delegations``)."""
    return getattr(delegation, "focal_point_language", None) or "en"


def reminders_send_missing_data(
    *, event: Event | None = None, now: dt.datetime | None = None
) -> int:
    """One reminder per participant (nominated or submitted) missing a
    required photo or passport data. Idempotent per participant."""
    event = event or current_event()
    if event is None:
        return 0
    now = now or timezone.now()
    labels = {"photo": "photo", "passport": "passport number and expiry date"}
    queued = 0
    with transaction.atomic():
        for participant in reminder_missing_data_participants(event=event):
            missing = participant_missing_data(participant)
            row = email_queue(
                to=participant.email,
                kind=EmailKind.REMINDER_MISSING_DATA,
                context={
                    "participant_name": participant.full_name,
                    "missing": [labels[m] for m in missing],
                    "portal_url": _portal_url(),
                },
                language=participant.preferred_language,
                idempotency_key=f"reminder:missing:{participant.pk}",
                about=participant,
                event=event,
            )
            queued += getattr(row, "was_created", False)
    return queued


def reminders_send_day_before(
    *, event: Event | None = None, now: dt.datetime | None = None
) -> int:
    """Tomorrow's agenda (event-local date) to everyone the programme hook
    ``selectors.day_before_agenda_recipients`` names. Idempotent per
    participant and day."""
    event = event or current_event()
    if event is None:
        return 0
    now = now or timezone.now()
    tomorrow = timezone.localtime(now, event.tzinfo).date() + dt.timedelta(days=1)
    queued = 0
    with transaction.atomic():
        for entry in day_before_agenda_recipients(event, tomorrow):
            participant = entry["participant"]
            # The date in the words of the template the recipient gets.
            template = email_template_for(
                EmailKind.REMINDER_DAY_BEFORE, participant.preferred_language or "en"
            )
            with translation.override(template.language):
                day = date_format(tomorrow, "l j F Y")
            row = email_queue(
                to=participant.email,
                kind=EmailKind.REMINDER_DAY_BEFORE,
                context={
                    "participant_name": participant.full_name,
                    "day": day,
                    "items": entry["items"],
                },
                language=participant.preferred_language,
                idempotency_key=f"reminder:daybefore:{tomorrow.isoformat()}:{participant.pk}",
                about=participant,
                event=event,
            )
            queued += getattr(row, "was_created", False)
    return queued

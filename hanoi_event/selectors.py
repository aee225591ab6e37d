"""Reads about the event that other apps reuse."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.signals import post_delete, post_save

from .email_templates import shipped_template
from .enums import EmailStatus
from .models import BulkSend, EmailTemplate, Event, OutboundEmail


def current_event() -> Event | None:
    """The event marked current, else the latest one, else None."""
    return (
        Event.objects.filter(is_current=True).first()
        or Event.objects.order_by("-start_date").first()
    )


# Templates change rarely and are read for every message queued: keep them
# for a few seconds per process. A save or delete in this process clears the
# cache at once; other processes see an edit within the TTL.
_TEMPLATE_TTL_SECONDS = 10.0
_template_cache: dict[tuple[str, str], tuple[float, EmailTemplate]] = {}


def _template_cache_clear(**kwargs) -> None:
    _template_cache.clear()


post_save.connect(_template_cache_clear, sender=EmailTemplate)
post_delete.connect(_template_cache_clear, sender=EmailTemplate)


def email_template_for(kind: str, language: str) -> EmailTemplate:
    """The template for ``kind`` in ``language``, else its base language
    ("fr" for "fr-ca"), else English; else the shipped English files (an
    unsaved EmailTemplate) when the database has none."""
    key = (kind, language.lower())
    cached = _template_cache.get(key)
    if cached is not None and time.monotonic() - cached[0] < _TEMPLATE_TTL_SECONDS:
        return cached[1]
    wanted = [language.lower()]
    if "-" in wanted[0]:
        wanted.append(wanted[0].split("-")[0])
    wanted.append("en")
    found = {
        t.language: t
        for t in EmailTemplate.objects.filter(kind=kind, language__in=wanted)
    }
    template = next(
        (found[lang] for lang in wanted if lang in found),
        None,
    ) or EmailTemplate(kind=kind, language="en", **shipped_template(kind))
    _template_cache[key] = (time.monotonic(), template)
    return template


def email_status_counts(queryset=None) -> dict[str, int]:
    """Number of outbox rows per status (every status present, 0 if none)."""
    qs = OutboundEmail.objects.all() if queryset is None else queryset
    counts = {status.value: 0 for status in EmailStatus}
    for row in qs.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def bulk_send_progress(bulk_send: BulkSend) -> dict[str, int | str]:
    """Sent / failed / waiting of total for a bulk send (one query)."""
    counts = email_status_counts(bulk_send.emails.all())
    sent, failed = counts[EmailStatus.SENT], counts[EmailStatus.FAILED]
    return {
        "status": bulk_send.status,
        "total": bulk_send.total,
        "sent": sent,
        "failed": failed,
        "waiting": max(bulk_send.total - sent - failed, 0),
    }


def emails_due_for_sweep(*, now: dt.datetime, limit: int) -> list[int]:
    """Ids of rows the workers should have handled by now: waiting well past
    their due time (a lost broker message), or sending past the lease (a
    killed worker)."""
    requeue_before = now - dt.timedelta(seconds=settings.EMAIL_REQUEUE_AFTER_SECONDS)
    lease_before = now - dt.timedelta(seconds=settings.EMAIL_SENDING_LEASE_SECONDS)
    stale = Q(status=EmailStatus.QUEUED) & (
        Q(next_attempt_at__lt=requeue_before)
        | Q(next_attempt_at__isnull=True, created_at__lt=requeue_before)
    )
    stale |= Q(status=EmailStatus.SENDING, sending_started_at__lt=lease_before)
    return list(
        OutboundEmail.objects.filter(stale)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def registration_days_left(*, event: Event, now: dt.datetime) -> int | None:
    """Calendar days (in the event's time zone) until the registration
    deadline; None without a deadline."""
    if event.registration_deadline is None:
        return None
    tz = event.tzinfo
    return (
        event.registration_deadline.astimezone(tz).date() - now.astimezone(tz).date()
    ).days


def reminder_deadline_delegations(*, event: Event) -> list:
    """Delegations of ``event`` that have not submitted (invited or
    registering) and have a focal point with an address. Each carries
    ``focal_point_language``: the preferred language of the focal point's own
    participant record in the delegation (None if they have none)."""
    from delegations.enums import DelegationStatus
    from delegations.models import Delegation, Participant

    focal_point_language = Subquery(
        Participant.objects.filter(
            delegation=OuterRef("pk"), email__iexact=OuterRef("focal_point__email")
        )
        .order_by("pk")
        .values("preferred_language")[:1]
    )
    return list(
        Delegation.objects.filter(
            event=event,
            status__in=[DelegationStatus.INVITED, DelegationStatus.REGISTERING],
            focal_point__isnull=False,
        )
        .exclude(focal_point__email="")
        .select_related("organisation", "focal_point")
        .annotate(focal_point_language=focal_point_language)
        .order_by("pk")
    )


def reminder_missing_data_participants(*, event: Event) -> list:
    """Participants (nominated or submitted) missing a required photo or
    their passport number or expiry."""
    from delegations.enums import ParticipantStatus
    from delegations.models import Participant

    candidates = (
        Participant.objects.filter(
            event=event,
            status__in=[ParticipantStatus.NOMINATED, ParticipantStatus.SUBMITTED],
        )
        .filter(
            Q(photo="")
            | Q(photo__isnull=True)
            | Q(passport_number="")
            | Q(passport_expiry__isnull=True)
        )
        .order_by("pk")
    )
    return [p for p in candidates if participant_missing_data(p)]


def participant_missing_data(participant) -> list[str]:
    """What a participant still has to give: "photo", "passport"."""
    missing = []
    if not participant.photo and participant.photo_required:
        missing.append("photo")
    if not participant.passport_number or participant.passport_expiry is None:
        missing.append("passport")
    return missing


def day_before_agenda_recipients(event: Event, day: dt.date) -> list[dict]:
    """Who gets tomorrow's agenda: a list of
    ``{"participant": Participant, "items": [{"time", "title", "room"}, ...]}``.

    A hook for the programme issue: there are no registrations for sessions
    yet, so nobody is due. Fill it in when they exist.
    """
    return []

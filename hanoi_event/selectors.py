"""Reads of the bottom layer that other apps reuse: the current event, email
templates, outbox counts."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.signals import post_delete, post_save

from .enums import EmailStatus
from .mail_kinds import shipped_languages, shipped_template
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


def _shipped_template_row(kind: str, wanted: list[str]) -> EmailTemplate:
    shipped = shipped_languages(kind)
    language = next(lang for lang in wanted if lang in shipped)
    return EmailTemplate(
        kind=kind, language=language, **shipped_template(kind, language)
    )


def email_template_for(kind: str, language: str) -> EmailTemplate:
    """The template for ``kind`` in ``language``, else its base language
    ("fr" for "fr-ca"), else English; else the shipped English files (an
    unsaved EmailTemplate in the first of those languages shipped) when the
    database has none."""
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
    ) or _shipped_template_row(kind, wanted)
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

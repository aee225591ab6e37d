"""Bulk sends: an organizer's message to many recipients, queued in chunks
in the background."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from ..background import enqueue
from ..enums import BulkSendStatus, EmailStatus
from ..mail import BULK
from ..models import BulkSend, Event, OutboundEmail
from ..selectors import current_event
from .outbox import _about_fields, _address_error, _message_id, email_enqueue

# ---------------------------------------------------------------- bulk sends


# The stable name of the task that writes a bulk send's rows (tasks.py).
BULK_QUEUE_TASK = "hanoi_event.tasks.bulk_send_queue_task"


def bulk_send_enqueue(bulk_send_id: int) -> None:
    """Hand the bulk send to the workers now (the sweeper restarts one whose
    queuing stopped, so a broker that is away only delays it)."""
    enqueue(BULK_QUEUE_TASK, bulk_send_id)


def bulk_send_start(
    *,
    created_by,
    subject: str,
    text_body: str,
    recipients: Sequence[tuple[str, str, models.Model | None]],
    html_body: str = "",
    event: Event | None = None,
) -> BulkSend:
    """Record an organizer's message to many; a background task then writes
    one outbox row per recipient (in chunks) and enqueues them.

    ``recipients``: (email, language, about) tuples; an address given twice
    (any case) gets the message once.
    """
    seen: set[str] = set()
    stored = []
    for email, language, about in recipients:
        key = email.strip().lower()
        if not key or key in seen:
            continue
        seen.add(key)
        about_fields = _about_fields(about)
        ct = about_fields["content_type"]
        stored.append(
            [
                email.strip(),
                language or "en",
                ct.pk if ct else None,
                about_fields["object_id"],
            ]
        )
    bulk = BulkSend(
        created_by=created_by,
        event=event or current_event(),
        subject=" ".join(subject.split()),
        text_body=text_body,
        html_body=html_body,
        recipients=stored,
        total=len(stored),
    )
    bulk.full_clean()
    with transaction.atomic():
        bulk.save()
        enqueue(BULK_QUEUE_TASK, bulk.pk, on_commit=True)
    return bulk


def bulk_send_queue(*, bulk_send_id: int) -> int:
    """Write the outbox rows of a bulk send in chunks (bulk_create) and
    enqueue each chunk. Idempotent: run again, it adds nothing twice
    (the idempotency key is ``bulk:<id>:<address>``). Returns rows enqueued."""
    bulk = BulkSend.objects.filter(pk=bulk_send_id).first()
    if bulk is None or bulk.status == BulkSendStatus.QUEUED:
        return 0
    BulkSend.objects.filter(pk=bulk.pk).update(status=BulkSendStatus.QUEUING)
    size = int(settings.EMAIL_BULK_CHUNK_SIZE)
    now = timezone.now()
    enqueued = 0
    for start in range(0, len(bulk.recipients), size):
        chunk = bulk.recipients[start : start + size]
        rows = []
        for email, language, ct_id, object_id in chunk:
            error = _address_error(email)
            rows.append(
                OutboundEmail(
                    to_email=email[:254],
                    kind=BULK,
                    language=language,
                    subject=bulk.subject[:500],
                    text_body=bulk.text_body,
                    html_body=bulk.html_body,
                    idempotency_key=f"bulk:{bulk.pk}:{email.lower()}"[:255],
                    message_id=_message_id(),
                    content_type_id=ct_id,
                    object_id=object_id or "",
                    event_id=bulk.event_id,
                    bulk_send=bulk,
                    next_attempt_at=now,
                    status=EmailStatus.FAILED if error else EmailStatus.QUEUED,
                    last_error=error,
                )
            )
        with transaction.atomic():
            OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True)
        ids = list(
            OutboundEmail.objects.filter(
                idempotency_key__in=[r.idempotency_key for r in rows],
                status=EmailStatus.QUEUED,
            ).values_list("pk", flat=True)
        )
        email_enqueue(email_ids=ids)
        enqueued += len(ids)
    BulkSend.objects.filter(pk=bulk.pk).update(
        status=BulkSendStatus.QUEUED, queued_at=timezone.now()
    )
    return enqueued

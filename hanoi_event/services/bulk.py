"""Bulk sends: an organizer's message to many recipients, queued in chunks
in the background."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..background import enqueue
from ..enums import BulkSendStatus, EmailStatus
from ..mail import BULK
from ..models import BulkSend, Event, OutboundEmail
from ..selectors import current_event
from .outbox import (
    _about_fields,
    _address_error,
    _message_id,
    email_enqueue,
    event_context,
    event_context_names,
)

# ---------------------------------------------------------------- bulk sends


# The stable name of the task that writes a bulk send's rows (tasks.py).
BULK_QUEUE_TASK = "hanoi_event.tasks.bulk_send_queue_task"


def bulk_send_enqueue(bulk_send_id: int) -> None:
    """Hand the bulk send to the workers now (the sweeper restarts one whose
    queuing stopped, so a broker that is away only delays it)."""
    enqueue(BULK_QUEUE_TASK, bulk_send_id)


# What an organizer may write in a bulk message, besides the event's
# placeholders (``outbox.event_context``) and ``recipient_email``.
BULK_PLACEHOLDERS = ("recipient_name", "organisation_name")
_VARIABLE = re.compile(r"{{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*}}")


def bulk_placeholders_check(text: str) -> list[str]:
    """Problems with the placeholders in ``text`` ([] when fine): only
    ``{{ name }}`` of a known placeholder, no template tags or filters."""
    allowed = {*BULK_PLACEHOLDERS, "recipient_email", *event_context_names()}
    problems = []
    if "{%" in text or "{#" in text:
        problems.append("tags")
    for match in re.finditer(r"{{(.*?)}}", text, flags=re.S):
        name = match.group(1).strip()
        if not re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_]*", name) or name not in allowed:
            problems.append(name)
    return problems


def bulk_render(text: str, context: dict[str, Any]) -> str:
    """``text`` with its placeholders filled in (plain text: nothing is
    escaped; a text without placeholders comes back as it is)."""
    if "{{" not in text:
        return text
    return _VARIABLE.sub(lambda m: str(context.get(m.group(1), "")), text)


def bulk_send_start(
    *,
    created_by,
    subject: str,
    text_body: str,
    recipients: Sequence[tuple],
    html_body: str = "",
    event: Event | None = None,
) -> BulkSend:
    """Record an organizer's message to many; a background task then writes
    one outbox row per recipient (in chunks, placeholders filled in for each)
    and enqueues them.

    ``recipients``: (email, language, about) or (email, language, about,
    context) tuples, ``context`` giving the recipient's ``recipient_name``
    and ``organisation_name``; an address given twice (any case) gets the
    message once.
    """
    seen: set[str] = set()
    stored = []
    for recipient in recipients:
        email, language, about = recipient[:3]
        context = recipient[3] if len(recipient) > 3 else {}
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
                {name: str(context.get(name, "")) for name in BULK_PLACEHOLDERS},
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
    event = bulk.event
    event_contexts: dict[str, dict[str, Any]] = {}
    enqueued = 0
    for start in range(0, len(bulk.recipients), size):
        chunk = bulk.recipients[start : start + size]
        rows = []
        for email, language, ct_id, object_id, *rest in chunk:
            error = _address_error(email)
            context = {
                **event_contexts.setdefault(language, event_context(event, language)),
                "recipient_email": email,
                **(rest[0] if rest else {}),
            }
            rows.append(
                OutboundEmail(
                    to_email=email[:254],
                    kind=BULK,
                    language=language,
                    subject=" ".join(bulk_render(bulk.subject, context).split())[:500],
                    text_body=bulk_render(bulk.text_body, context),
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

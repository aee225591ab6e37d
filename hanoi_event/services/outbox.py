"""The email outbox: templates rendered, rows queued, failed rows sent again.

Every outgoing message is an ``OutboundEmail`` row first. ``email_queue`` and
``email_queue_rendered`` write the row and hand it to the workers when the
surrounding transaction commits; the delivery task calls ``email_deliver``.

Delivery guarantees (see also README):

* Never lost: a row stays ``queued`` until a worker claims it, and a claimed
  row is ``sending`` with a timestamp (a lease). The sweeper hands rows back to
  the workers when they wait too long (a lost broker message, Redis restarted)
  or sit in ``sending`` past the lease (a killed worker).
* Queued once: the idempotency key is unique, so queuing the same message
  again (a retried request, a reminder run twice) returns the first row.
* Sent at least once, and twice only in one narrow window: a worker claims a
  row under ``select_for_update(skip_locked)`` and only when it is still
  ``queued`` (or its lease ran out), and commits ``sending`` before talking
  to the SMTP server. The window left is between the server's "250 OK" for
  the message and the commit of ``sent`` (a fraction of a millisecond): a
  worker killed exactly there leaves a ``sending`` row that is sent again
  after the lease (``delivery.py`` says more). SMTP itself has this window
  (RFC 1047); the message keeps its Message-ID on every attempt, so a
  receiving system can recognise the repeat.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.template import Context, Template
from django.utils import timezone, translation

from ..background import enqueue
from ..enums import EmailStatus
from ..formatting import format_date_range
from ..mail_kinds import mail_kind
from ..models import EmailTemplate, Event, OutboundEmail
from ..selectors import current_event, email_template_for

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------- rendering

_compiled: dict[str, Template] = {}
_COMPILED_MAX = 512


def _compile(source: str) -> Template:
    tpl = _compiled.get(source)
    if tpl is None:
        tpl = Template(source)
        if len(_compiled) >= _COMPILED_MAX:
            _compiled.clear()
        _compiled[source] = tpl
    return tpl


def email_render(
    template: EmailTemplate, context: dict[str, Any]
) -> tuple[str, str, str]:
    """(subject, text, html) of ``template`` rendered with ``context``, in the
    template's language. Text parts are not HTML-escaped; the HTML part is."""
    with translation.override(template.language):
        plain = Context(context, autoescape=False)
        subject = _compile(template.subject).render(plain)
        text = _compile(template.text_body).render(plain)
        html = (
            _compile(template.html_body).render(Context(context))
            if template.html_body
            else ""
        )
    return " ".join(subject.split()), text.strip() + "\n", html


def event_context(event: Event | None, language: str) -> dict[str, Any]:
    """The placeholders every message about ``event`` offers."""
    if event is None:
        return {}
    dates = format_date_range(event.start_date, event.end_date, language=language)
    return {
        "event_name": event.name,
        "event_short_name": event.short_name,
        "event_dates": dates,
        "event_venue": event.venue,
        "event_city": event.city,
        "event_contact_email": event.contact_email,
    }


def event_context_names() -> tuple[str, ...]:
    """The names ``event_context`` gives (the placeholders of every message)."""
    return (
        "event_name",
        "event_short_name",
        "event_dates",
        "event_venue",
        "event_city",
        "event_contact_email",
    )


# ---------------------------------------------------------------- queuing

# The stable name of the delivery task (hanoi_event/tasks.py).
DELIVER_TASK = "hanoi_event.tasks.email_deliver_batch"

_pending = threading.local()


class _PendingBatch:
    """The outbox ids of one transaction, enqueued together on its commit."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    def flush(self) -> None:
        ids, self.ids = self.ids, []
        if ids:
            email_enqueue(email_ids=ids)


def _enqueue_on_commit(email_ids: Sequence[int]) -> None:
    """Hand ``email_ids`` to the workers once the current transaction commits.

    The ids of one transaction are collected and enqueued together in batches
    of EMAIL_BATCH_SIZE, so queuing 2,500 invitations in one transaction makes
    50 broker messages, not 2,500. The batch belongs to the transaction: when
    its flush is no longer waiting to run (committed, or dropped by a
    rollback), the next call starts a new batch, so ids of a rolled-back
    transaction are never handed over with a later one. (Ids of rows rolled
    back with an inner savepoint may still be enqueued and are found missing
    by the worker: harmless.)
    """
    connection = transaction.get_connection()
    batch = getattr(_pending, "batch", None)
    waiting = batch is not None and any(
        entry[1] == batch.flush for entry in connection.run_on_commit
    )
    if not waiting:
        batch = _pending.batch = _PendingBatch()
    batch.ids.extend(email_ids)
    # Registered on every call (the first flush to run sends them all, the
    # others find nothing); outside a transaction it runs at once.
    transaction.on_commit(batch.flush)


def email_enqueue(*, email_ids: Sequence[int], countdown: float | None = None) -> None:
    """Send delivery tasks for ``email_ids`` (in batches) to the workers now.
    Enqueuing a row twice is harmless: the second task finds it claimed. A
    broker that is away is logged: the rows wait in the database and the
    sweeper hands them over once it is back."""
    size = max(1, int(settings.EMAIL_BATCH_SIZE))
    ids = list(email_ids)
    for start in range(0, len(ids), size):
        enqueue(DELIVER_TASK, ids[start : start + size], countdown=countdown)


def _about_fields(about: models.Model | None) -> dict[str, Any]:
    if about is None:
        return {"content_type": None, "object_id": ""}
    return {
        "content_type": ContentType.objects.get_for_model(about),
        "object_id": str(about.pk),
    }


def _message_id() -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "localhost"
    return f"<outbox.{uuid.uuid4().hex}@{domain}>"


def _address_error(address: str) -> str:
    try:
        validate_email(address)
    except ValidationError:
        return f"Invalid recipient address: {address!r}"
    return ""


def _prepared(row: OutboundEmail) -> OutboundEmail:
    """Check a row before it is written: an invalid address makes it
    ``failed`` with the reason (it is kept, so the failure shows); a key or
    kind too long for its column is a ValidationError."""
    errors = {}
    if not row.idempotency_key or len(row.idempotency_key) > 255:
        errors["idempotency_key"] = "The idempotency key needs 1 to 255 characters."
    if not row.kind or len(row.kind) > 32:
        errors["kind"] = "The kind needs 1 to 32 characters."
    if errors:
        raise ValidationError(errors)
    error = _address_error(row.to_email)
    if error:
        row.status, row.last_error = EmailStatus.FAILED, error
    row.to_email = row.to_email[:254]
    row.subject = row.subject[:500]
    row.language = (row.language or "en")[:8]
    return row


def _store_many(rows: Sequence[OutboundEmail]) -> list[OutboundEmail]:
    """Insert ``rows`` in bulk; a row whose key exists already is not written
    and the existing row is returned in its place. New rows come back with
    ``was_created = True``; the waiting ones are enqueued on commit.

    INSERT ... ON CONFLICT DO NOTHING, then one read of the keys: the
    Message-ID (new for every call) tells whose row each one is. Two queries
    per 1,000 messages, whatever happened before."""
    rows = [_prepared(row) for row in rows]
    if not rows:
        return []
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    keys = [row.idempotency_key for row in rows]
    stored: dict[str, tuple[int, str]] = {}
    for start in range(0, len(keys), 1000):
        stored.update(
            (key, (pk, message_id))
            for key, pk, message_id in OutboundEmail.objects.filter(
                idempotency_key__in=keys[start : start + 1000]
            ).values_list("idempotency_key", "pk", "message_id")
        )
    result: list[OutboundEmail] = []
    existing: dict[int, int] = {}
    to_enqueue: list[int] = []
    seen: set[str] = set()
    for row in rows:
        pk, message_id = stored[row.idempotency_key]
        if message_id == row.message_id and row.idempotency_key not in seen:
            seen.add(row.idempotency_key)
            row.pk = pk
            row._state.adding = False
            row._state.db = OutboundEmail.objects.db
            row.was_created = True  # tells callers this call stored it
            if row.status == EmailStatus.QUEUED:
                to_enqueue.append(pk)
            result.append(row)
        else:
            existing[len(result)] = pk
            result.append(None)
    if existing:
        found = OutboundEmail.objects.in_bulk(list(existing.values()))
        for index, pk in existing.items():
            result[index] = found[pk]
    if to_enqueue:
        _enqueue_on_commit(to_enqueue)
    return result


@dataclass(frozen=True)
class Message:
    """One message of ``email_queue_many``: its recipient, context (the
    kind's placeholders; JSON-friendly primitives), recipient's language,
    idempotency key and what it is about."""

    to: str
    context: dict[str, Any]
    idempotency_key: str
    language: str = "en"
    about: models.Model | None = None


def _templated_kind(kind: str) -> None:
    declared = mail_kind(kind)
    if declared is None or not declared.templated:
        raise ValidationError(
            {"kind": f"{str(kind)!r} has no template; use email_queue_rendered."}
        )


def email_queue_many(
    *, kind: str, messages: Iterable[Message], event: Event | None = None
) -> list[OutboundEmail]:
    """Render the template of ``kind`` for each message (in its language,
    else English), store the outbox rows in bulk and enqueue their delivery
    when the transaction commits. Returns the rows in order.

    Idempotent per message: a key stored before returns the existing row and
    sends nothing. An invalid address gives a row already ``failed``. The
    event's placeholders (``event_name``, ``event_dates``, ...) and
    ``recipient_email`` are added to each context. Templates are read once
    per language and compiled once per process; the writes are two queries
    per 1,000 messages.
    """
    _templated_kind(kind)
    event = event or current_event()
    now = timezone.now()
    templates: dict[str, EmailTemplate] = {}
    event_contexts: dict[str, dict[str, Any]] = {}
    rows = []
    for message in messages:
        language = message.language or "en"
        template = templates.get(language)
        if template is None:
            template = templates[language] = email_template_for(kind, language)
        base = event_contexts.get(template.language)
        if base is None:
            base = event_contexts[template.language] = event_context(
                event, template.language
            )
        subject, text, html = email_render(
            template, {**base, "recipient_email": message.to, **message.context}
        )
        rows.append(
            OutboundEmail(
                to_email=message.to.strip(),
                kind=kind,
                language=template.language,
                subject=subject,
                text_body=text,
                html_body=html,
                idempotency_key=message.idempotency_key,
                message_id=_message_id(),
                event=event,
                next_attempt_at=now,
                **_about_fields(message.about),
            )
        )
    return _store_many(rows)


def created_count(rows: Iterable[OutboundEmail]) -> int:
    """How many of ``rows`` (from ``email_queue_many``) this call stored; the
    others were queued before under the same idempotency key."""
    return sum(1 for row in rows if getattr(row, "was_created", False))


def email_queue(
    *,
    to: str,
    kind: str,
    context: dict[str, Any],
    language: str = "en",
    idempotency_key: str,
    about: models.Model | None = None,
    event: Event | None = None,
) -> OutboundEmail:
    """One message of ``email_queue_many``: render the template for ``kind``
    in ``language`` (else English), store an outbox row and enqueue its
    delivery when the transaction commits. Idempotent on ``idempotency_key``;
    ``row.was_created`` is True when this call stored it."""
    message = Message(
        to=to,
        context=context,
        idempotency_key=idempotency_key,
        language=language,
        about=about,
    )
    return email_queue_many(kind=kind, messages=[message], event=event)[0]


def email_queue_rendered(
    *,
    to: str,
    kind: str,
    subject: str,
    text_body: str,
    html_body: str = "",
    idempotency_key: str,
    about: models.Model | None = None,
    event: Event | None = None,
    language: str = "",
) -> OutboundEmail:
    """Like ``email_queue`` for a message already rendered elsewhere (allauth
    messages, an organizer's bulk text). Idempotent on ``idempotency_key``."""
    row = OutboundEmail(
        to_email=to.strip(),
        kind=kind,
        language=language or translation.get_language() or "en",
        subject=" ".join(subject.split()),
        text_body=text_body,
        html_body=html_body,
        idempotency_key=idempotency_key,
        message_id=_message_id(),
        event=event,
        next_attempt_at=timezone.now(),
        **_about_fields(about),
    )
    return _store_many([row])[0]


def email_send_again(*, emails: Iterable[OutboundEmail]) -> int:
    """Put failed rows back in the queue (attempts reset) and enqueue them.
    Rows that are not failed are left alone. Returns how many were requeued."""
    ids = [e.pk for e in emails]
    with transaction.atomic():
        requeue = list(
            OutboundEmail.objects.select_for_update()
            .filter(pk__in=ids, status=EmailStatus.FAILED)
            .values_list("pk", flat=True)
        )
        OutboundEmail.objects.filter(pk__in=requeue).update(
            status=EmailStatus.QUEUED,
            attempts=0,
            next_attempt_at=timezone.now(),
            sending_started_at=None,
        )
        _enqueue_on_commit(requeue)
    return len(requeue)

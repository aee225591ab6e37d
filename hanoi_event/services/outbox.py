"""The email outbox: templates rendered, rows queued, failed rows sent again.

Every outgoing message is an ``OutboundEmail`` row first. ``email_queue`` and
``email_queue_rendered`` write the row and hand it to the workers when the
surrounding transaction commits; the delivery task calls ``email_deliver``.

Delivery guarantees (see also README):

* Never lost: a row stays ``queued`` until a worker claims it, and a claimed
  row is ``sending`` with a timestamp (a lease). The sweeper hands rows back to
  the workers when they wait too long (a lost broker message, Redis restarted)
  or sit in ``sending`` past the lease (a killed worker).
* Never twice: a worker claims a row under ``select_for_update(skip_locked)``
  and only when it is still ``queued`` (or its lease ran out), and commits
  ``sending`` before talking to the SMTP server. The one window left is
  between the server's "250 OK" for the message and the commit of ``sent``
  (a millisecond): a worker killed exactly there leaves a ``sending`` row that
  is sent again after the lease. SMTP itself has this window (RFC 1047); the
  message keeps its Message-ID on every attempt, so a receiving system can
  recognise the repeat.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format

from ..enums import PRE_RENDERED_KINDS, EmailKind, EmailStatus
from ..models import EmailTemplate, Event, OutboundEmail
from ..selectors import (
    current_event,
    email_template_for,
)

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
    with translation.override(language):
        start = date_format(event.start_date, "j F Y")
        if event.start_date == event.end_date:
            dates = start
        elif (event.start_date.year, event.start_date.month) == (
            event.end_date.year,
            event.end_date.month,
        ):
            dates = f"{event.start_date.day}–{date_format(event.end_date, 'j F Y')}"
        else:
            dates = f"{start} – {date_format(event.end_date, 'j F Y')}"
    return {
        "event_name": event.name,
        "event_short_name": event.short_name,
        "event_dates": dates,
        "event_venue": event.venue,
        "event_city": event.city,
        "event_contact_email": event.contact_email,
    }


# ---------------------------------------------------------------- queuing

_pending = threading.local()


def _enqueue_on_commit(email_id: int) -> None:
    """Hand ``email_id`` to the workers once the current transaction commits.

    The ids of one transaction are collected and enqueued in batches of
    EMAIL_BATCH_SIZE, so queuing 2,500 invitations in one transaction makes
    50 broker messages, not 2,500. Ids of rows rolled back with a savepoint
    are enqueued too and found missing by the worker: harmless.
    """
    ids = getattr(_pending, "ids", None)
    if ids is None:
        ids = _pending.ids = []
    ids.append(email_id)
    transaction.on_commit(_flush_pending)


def _flush_pending() -> None:
    ids = getattr(_pending, "ids", None) or []
    _pending.ids = []
    if ids:
        email_enqueue(email_ids=ids)


def email_enqueue(*, email_ids: Sequence[int], countdown: float | None = None) -> None:
    """Send delivery tasks for ``email_ids`` (in batches) to the workers now.
    Enqueuing a row twice is harmless: the second task finds it claimed."""
    from ..tasks import email_deliver_batch

    size = max(1, int(settings.EMAIL_BATCH_SIZE))
    ids = list(email_ids)
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        try:
            email_deliver_batch.apply_async((chunk,), countdown=countdown)
        except Exception:
            if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
                raise
            # The broker is away: the rows are safe in the database and the
            # sweeper hands them over once it is back.
            logger.warning("could not enqueue emails %s", chunk, exc_info=True)


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


def _store(row: OutboundEmail) -> OutboundEmail:
    """Validate and insert ``row``; an existing row with its key wins."""
    error = _address_error(row.to_email)
    if error:
        row.status, row.last_error = EmailStatus.FAILED, error
        row.to_email = row.to_email[:254]
    # Uniqueness of the key is the database's job (handled below); foreign
    # keys come from model instances.
    row.full_clean(
        exclude=["content_type", "event", "bulk_send"],
        validate_unique=False,
        validate_constraints=False,
    )
    # INSERT ... ON CONFLICT DO NOTHING, then read the row back: one round
    # trip fewer than a savepoint, and no error in the database log for a
    # repeat. The Message-ID (new for every call) tells whose row it is.
    OutboundEmail.objects.bulk_create([row], ignore_conflicts=True)
    stored = OutboundEmail.objects.filter(idempotency_key=row.idempotency_key).first()
    if stored is None:
        raise IntegrityError(f"outbox row {row.idempotency_key!r} was not stored")
    if stored.message_id != row.message_id:
        return stored
    row = stored
    row.was_created = True  # tells callers this call stored it
    if row.status == EmailStatus.QUEUED:
        _enqueue_on_commit(row.pk)
    return row


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
    """Render the template for ``kind`` in ``language`` (else English), store
    an outbox row and enqueue its delivery when the transaction commits.

    Idempotent: the same ``idempotency_key`` again returns the existing row
    and sends nothing. An invalid address gives a row already ``failed``.
    ``context`` holds JSON-friendly primitives; the event's placeholders
    (``event_name``, ``event_dates``, ...) and ``recipient_email`` are added.
    """
    if kind in PRE_RENDERED_KINDS or kind not in EmailKind.values:
        raise ValidationError(
            {"kind": f"{str(kind)!r} has no template; use email_queue_rendered."}
        )
    event = event or current_event()
    template = email_template_for(kind, language or "en")
    full_context = {
        **event_context(event, template.language),
        "recipient_email": to,
        **context,
    }
    subject, text, html = email_render(template, full_context)
    row = OutboundEmail(
        to_email=to.strip(),
        kind=kind,
        language=template.language,
        subject=subject[:500],
        text_body=text,
        html_body=html,
        idempotency_key=idempotency_key,
        message_id=_message_id(),
        event=event,
        next_attempt_at=timezone.now(),
        **_about_fields(about),
    )
    return _store(row)


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
        subject=" ".join(subject.split())[:500],
        text_body=text_body,
        html_body=html_body,
        idempotency_key=idempotency_key,
        message_id=_message_id(),
        event=event,
        next_attempt_at=timezone.now(),
        **_about_fields(about),
    )
    return _store(row)


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
        for pk in requeue:
            _enqueue_on_commit(pk)
    return len(requeue)

"""Writes and workflows for what the whole event shares: the email outbox.

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

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format

from . import mailer
from .enums import PRE_RENDERED_KINDS, BulkSendStatus, EmailKind, EmailStatus
from .models import BulkSend, EmailTemplate, Event, OutboundEmail
from .selectors import (
    current_event,
    day_before_agenda_recipients,
    email_template_for,
    emails_due_for_sweep,
    participant_missing_data,
    registration_days_left,
    reminder_deadline_delegations,
    reminder_missing_data_participants,
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
    from .tasks import email_deliver_batch

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


# ---------------------------------------------------------------- delivery


@dataclass(frozen=True)
class DeliveryOutcome:
    result: str  # "sent", "skipped", "retry", "failed"
    retry_in: float | None = None


def _backoff(attempts: int) -> float:
    base = float(settings.EMAIL_RETRY_BACKOFF_SECONDS)
    return min(
        base * 2 ** max(attempts - 1, 0), float(settings.EMAIL_RETRY_BACKOFF_MAX)
    )


def _build_message(row: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_email],
        headers={"Message-ID": row.message_id} if row.message_id else None,
    )
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    return message


def email_deliver(*, email_id: int) -> DeliveryOutcome:
    """Send one outbox row if it still waits; see ``email_deliver_many``."""
    outcomes = email_deliver_many(email_ids=[email_id])
    return outcomes.get(email_id, DeliveryOutcome("skipped"))


def _claim(
    email_ids: Sequence[int], now: dt.datetime
) -> tuple[list[OutboundEmail], list[int]]:
    """Lock the rows still waiting (skipping rows another worker holds), mark
    them ``sending`` at ``now`` (the lease and the fencing token), commit.

    Returns (claimed rows, ids given up): a row whose lease ran out after its
    EMAIL_MAX_ATTEMPTS-th claim (every attempt cut off: a message that kills
    or stalls its worker) is marked ``failed`` instead of being taken over
    again after every lease, for ever."""
    lease_before = now - dt.timedelta(seconds=settings.EMAIL_SENDING_LEASE_SECONDS)
    max_attempts = int(settings.EMAIL_MAX_ATTEMPTS)
    with transaction.atomic():
        locked = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(
                models.Q(status=EmailStatus.QUEUED)
                | models.Q(
                    status=EmailStatus.SENDING, sending_started_at__lt=lease_before
                ),
                pk__in=list(email_ids),
            )
            .order_by("pk")
        )
        given_up = [
            r
            for r in locked
            if r.status == EmailStatus.SENDING and r.attempts >= max_attempts
        ]
        rows = [r for r in locked if r not in given_up]
        for row in given_up:
            OutboundEmail.objects.filter(pk=row.pk).update(
                status=EmailStatus.FAILED,
                last_error=f"Gave up after {row.attempts} attempts: sending was "
                "cut off each time (worker stopped or timed out).",
            )
        if rows:
            OutboundEmail.objects.filter(pk__in=[r.pk for r in rows]).update(
                status=EmailStatus.SENDING,
                sending_started_at=now,
                attempts=F("attempts") + 1,
            )
    for row in rows:
        row.attempts += 1
    return rows, [r.pk for r in given_up]


def _mark_sent(pk: int, token: dt.datetime) -> None:
    # The hot path of delivery: one short statement in autocommit, committed
    # right after the server accepted the message (keeps the window for a
    # duplicate as small as it can be). Fenced on the claim's timestamp.
    table = OutboundEmail._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET "status" = %s, "sent_at" = %s, "last_error" = %s '
            'WHERE "id" = %s AND "status" = %s AND "sending_started_at" = %s',
            [
                EmailStatus.SENT,
                connection.ops.adapt_datetimefield_value(timezone.now()),
                "",
                pk,
                EmailStatus.SENDING,
                connection.ops.adapt_datetimefield_value(token),
            ],
        )


def email_deliver_many(
    *, email_ids: Sequence[int], can_retry: bool = True
) -> dict[int, DeliveryOutcome]:
    """Send the outbox rows ``email_ids`` that still wait; idempotent.

    1. Claim: lock the rows (``select_for_update(skip_locked=True)``: rows
       another worker holds are skipped), keep those ``queued`` (or
       ``sending`` past the lease), mark them ``sending`` now, attempts + 1,
       and commit - before talking to the SMTP server.
    2. Send each over this process's SMTP connection and commit ``sent``
       right after the server accepted it.
    3. After a temporary error the row goes back to ``queued`` with a retry
       time (the caller schedules the retry); after a permanent one, or too
       many attempts, it is ``failed`` with the reason.

    Every update after the claim is fenced on the claim's timestamp, so a
    worker whose lease was taken over cannot overwrite the new owner's
    state. If sending takes longer than half the lease, the rest of the batch
    is released (back to ``queued``, retry in 0 s) rather than risk the
    sweeper handing the same rows to another worker.

    ``can_retry=False`` (no broker: no worker retries later and no beat runs
    the sweeper): a temporary error marks the row ``failed`` with the reason,
    so that it shows and "send again" can take it, and the batch is never
    released half-way.
    """
    now = timezone.now()
    rows, given_up = _claim(email_ids, now)
    outcomes: dict[int, DeliveryOutcome] = {
        pk: DeliveryOutcome("skipped") for pk in email_ids
    }
    outcomes.update({pk: DeliveryOutcome("failed") for pk in given_up})
    half_lease = float(settings.EMAIL_SENDING_LEASE_SECONDS) / 2
    started = time.monotonic()
    for index, row in enumerate(rows):
        if can_retry and time.monotonic() - started > half_lease:
            rest = [r.pk for r in rows[index:]]
            OutboundEmail.objects.filter(
                pk__in=rest, status=EmailStatus.SENDING, sending_started_at=now
            ).update(status=EmailStatus.QUEUED, attempts=F("attempts") - 1)
            outcomes.update({pk: DeliveryOutcome("retry", 0) for pk in rest})
            break
        outcomes[row.pk] = _send_claimed(row, now, can_retry=can_retry)
    return outcomes


def _send_claimed(
    row: OutboundEmail, token: dt.datetime, *, can_retry: bool = True
) -> DeliveryOutcome:
    try:
        mailer.send(_build_message(row))
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
        mine = OutboundEmail.objects.filter(
            pk=row.pk, status=EmailStatus.SENDING, sending_started_at=token
        )
        error = mailer.classify(exc)
        if (
            can_retry
            and error.temporary
            and row.attempts < int(settings.EMAIL_MAX_ATTEMPTS)
        ):
            retry_in = _backoff(row.attempts)
            mine.update(
                status=EmailStatus.QUEUED,
                last_error=error.reason[:2000],
                next_attempt_at=timezone.now() + dt.timedelta(seconds=retry_in),
            )
            return DeliveryOutcome("retry", retry_in)
        reason = error.reason
        if error.temporary and not can_retry:
            reason = (
                "Not retried: no background worker runs without "
                f"CELERY_BROKER_URL; use Send again. {reason}"
            )
        elif error.temporary:
            reason = f"Gave up after {row.attempts} attempts. {reason}"
        mine.update(status=EmailStatus.FAILED, last_error=reason[:2000])
        return DeliveryOutcome("failed")
    _mark_sent(row.pk, token)
    return DeliveryOutcome("sent")


def email_sweep(*, now: dt.datetime | None = None) -> int:
    """Hand back to the workers every row waiting past its due time plus
    EMAIL_REQUEUE_AFTER_SECONDS, or sending past EMAIL_SENDING_LEASE_SECONDS;
    restart bulk sends whose queuing stopped. Returns the number of rows
    enqueued. Safe to run any time: a row enqueued twice is sent once."""
    now = now or timezone.now()
    ids = emails_due_for_sweep(now=now, limit=int(settings.EMAIL_SWEEP_LIMIT))
    if ids:
        OutboundEmail.objects.filter(pk__in=ids, status=EmailStatus.QUEUED).update(
            next_attempt_at=now
        )
        email_enqueue(email_ids=ids)
    stalled = BulkSend.objects.filter(
        status__in=[BulkSendStatus.PENDING, BulkSendStatus.QUEUING],
        created_at__lt=now - dt.timedelta(seconds=settings.EMAIL_REQUEUE_AFTER_SECONDS),
    ).values_list("pk", flat=True)
    for pk in stalled:
        _bulk_send_enqueue(pk)
    return len(ids)


# ---------------------------------------------------------------- bulk sends


def _bulk_send_enqueue(bulk_send_id: int) -> None:
    from .tasks import bulk_send_queue_task

    try:
        bulk_send_queue_task.delay(bulk_send_id)
    except Exception:
        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            raise
        logger.warning("could not enqueue bulk send %s", bulk_send_id, exc_info=True)


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
        transaction.on_commit(lambda: _bulk_send_enqueue(bulk.pk))
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
                    kind=EmailKind.BULK,
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

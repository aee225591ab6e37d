"""Delivery of outbox rows: claim, send, mark sent; retries; the sweeper.

The guarantee (``outbox.py`` and the README say it too): every row is sent at
least once and never lost; a row is sent twice only when its sender is cut
off inside the duplicate window, which opens when the SMTP server accepts the
message and closes when ``_mark_sent`` commits ``sent``:

* the worker dies there (SIGKILL, out of memory, power cut) or its database
  connection fails: the row stays ``sending`` and is claimed and sent again
  once its lease (EMAIL_SENDING_LEASE_SECONDS) has run out;
* the SMTP connection drops after the server accepted the message but before
  the worker read the "250" (RFC 1047): the send counts as a temporary
  failure and the row is sent again after the retry backoff.

The window is one SMTP reply and one autocommitted UPDATE: measured on
loopback (``tests/hanoi_event/test_outbox_faults.py``, from the SMTP sink's
acceptance to ``sent_at``) at 0.1-0.2 ms at the median and 2-15 ms for the
slowest of 200 messages (the higher figures on a machine loaded well past its
CPUs). Each worker process sends one message at a time, so a crash repeats
at most one message per process. The copy is the same message with the same
``Message-ID`` (stored on the row when it is queued), so receiving servers
and clients that drop repeated Message-IDs drop it; the row shows one
attempt more. Redis plays no part in this: a repeated broker message finds
the row claimed or sent and sends nothing, and the sweeper makes up for a
lost one.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from .. import mailer
from ..enums import BulkSendStatus, EmailStatus
from ..models import BulkSend, OutboundEmail
from ..selectors import (
    emails_due_for_sweep,
)
from .bulk import bulk_send_enqueue
from .outbox import email_enqueue

logger = logging.getLogger(__name__)

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
    # The hot path of delivery and the end of the duplicate window (see the
    # module docstring): one short statement in autocommit, committed right
    # after the server accepted the message - no ORM, no transaction block,
    # nothing else in between, to keep the window as small as it can be.
    # Fenced on the claim's timestamp. If this fails (database gone) the row
    # stays "sending" and is sent again after the lease.
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
       right after the server accepted it. Between the two lies the
       duplicate window (module docstring): a worker cut off there sends
       that one message again after the lease, with the same Message-ID.
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
        bulk_send_enqueue(pk)
    return len(ids)

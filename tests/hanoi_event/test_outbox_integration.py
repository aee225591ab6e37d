"""The outbox against real servers: PostgreSQL, a Redis server, a Celery
worker process (prefork, 2 processes) and an SMTP server on loopback.

The worker and this process use short times (tests/servers.py
FAST_EMAIL_SETTINGS): a 3 s sending lease, requeue after 1 s, 0.5 s backoff.
"""

import datetime as dt
import time

import pytest
from django.db import transaction

from hanoi_event.enums import EmailStatus
from hanoi_event.mail import BULK
from hanoi_event.models import OutboundEmail
from hanoi_event.services import email_queue_rendered, email_sweep
from tests.factories import EventFactory
from tests.outbox_load import queue_invitations
from tests.servers import wait_for

pytestmark = pytest.mark.integration


def _queue_invitations(n: int, event=None) -> list[int]:
    return queue_invitations(
        n, event=event or EventFactory(), key_prefix="test-invitation"
    )


def _count(status) -> int:
    return OutboundEmail.objects.filter(status=status).count()


def _assert_each_arrived_once(sink, n: int) -> None:
    ids = set(OutboundEmail.objects.values_list("message_id", flat=True))
    per_id = sink.per_message_id()
    assert len(ids) == n
    assert set(per_id) == ids
    assert sorted(set(per_id.values())) == [1]
    assert sink.count() == n


def _sweep_until_all_sent(n: int, timeout: float) -> None:
    """What celery beat's sweeper entry does, run from here every 0.5 s."""
    deadline = time.monotonic() + timeout
    while _count(EmailStatus.SENT) < n:
        if time.monotonic() > deadline:
            counts = {s: _count(s) for s in EmailStatus.values}
            pytest.fail(f"not all sent after {timeout}s: {counts}")
        email_sweep()
        time.sleep(0.5)


def test_500_queued_messages_arrive_exactly_once(celery_worker, smtp_sink):
    _queue_invitations(500)

    wait_for(lambda: _count(EmailStatus.SENT) == 500, 60, message="500 sent")
    time.sleep(0.5)  # a duplicate still in flight would show up now

    _assert_each_arrived_once(smtp_sink, 500)
    assert list(
        OutboundEmail.objects.order_by().values_list("attempts", flat=True).distinct()
    ) == [1]
    assert not OutboundEmail.objects.filter(sent_at__isnull=True).exists()


def test_worker_killed_mid_run_then_restarted_every_message_arrives_once(
    celery_worker, smtp_sink, settings
):
    _queue_invitations(500)
    wait_for(lambda: smtp_sink.count() >= 100, 60, message="100 delivered")

    # Hold both pool processes in the middle of an SMTP transaction (at
    # RCPT, before the server has accepted anything), then SIGKILL the
    # whole worker: the rows of the two batches being sent are left
    # "sending", the prefetched broker messages unacknowledged in Redis.
    smtp_sink.hold_rcpt = True
    wait_for(lambda: smtp_sink.held == 2, 10, message="both processes held")
    celery_worker.kill()
    smtp_sink.hold_rcpt = False
    sending_at_kill = _count(EmailStatus.SENDING)
    assert 2 <= sending_at_kill <= 2 * settings.EMAIL_BATCH_SIZE
    delivered_before_restart = smtp_sink.count()
    assert 100 <= delivered_before_restart < 500

    celery_worker.start()
    _sweep_until_all_sent(500, timeout=90)
    time.sleep(1)

    _assert_each_arrived_once(smtp_sink, 500)
    # The rows cut off were claimed again after the lease, and sent once.
    assert OutboundEmail.objects.filter(attempts=2).count() == sending_at_kill


def test_smtp_server_down_then_back_messages_retry_and_arrive(celery_worker, smtp_sink):
    smtp_sink.stop()
    _queue_invitations(20)
    wait_for(
        lambda: OutboundEmail.objects.filter(attempts__gte=2).count() == 20,
        30,
        message="every message tried twice",
    )
    row = OutboundEmail.objects.first()
    assert row.status in (EmailStatus.QUEUED, EmailStatus.SENDING)
    assert "Connection refused" in row.last_error or "111" in row.last_error

    smtp_sink.start()
    wait_for(lambda: _count(EmailStatus.SENT) == 20, 60, message="20 sent")
    time.sleep(0.5)

    _assert_each_arrived_once(smtp_sink, 20)
    assert not OutboundEmail.objects.filter(attempts__lt=2).exists()
    assert set(OutboundEmail.objects.values_list("last_error", flat=True)) == {""}


def test_smtp_4xx_answer_retries_until_accepted(celery_worker, smtp_sink):
    smtp_sink.rcpt_reply = "451 4.3.0 Mailbox busy, try later"
    _queue_invitations(5)
    wait_for(
        lambda: (
            OutboundEmail.objects.filter(
                last_error__contains="451 4.3.0 Mailbox busy"
            ).count()
            == 5
        ),
        30,
        message="five temporary failures recorded",
    )
    assert _count(EmailStatus.FAILED) == 0

    smtp_sink.rcpt_reply = ""
    wait_for(lambda: _count(EmailStatus.SENT) == 5, 30, message="5 sent")
    _assert_each_arrived_once(smtp_sink, 5)


def test_smtp_550_answer_marks_failed_with_reason(celery_worker, smtp_sink):
    smtp_sink.reject["nobody@example.org"] = "550 5.1.1 No such user here"
    with transaction.atomic():
        bad = email_queue_rendered(
            to="nobody@example.org",
            kind=BULK,
            subject="Hello",
            text_body="Hello",
            idempotency_key="t:bad",
        )
        good = email_queue_rendered(
            to="somebody@example.org",
            kind=BULK,
            subject="Hello",
            text_body="Hello",
            idempotency_key="t:good",
        )

    wait_for(
        lambda: _count(EmailStatus.FAILED) == 1 and _count(EmailStatus.SENT) == 1,
        30,
        message="one failed, one sent",
    )
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == EmailStatus.FAILED
    assert bad.attempts == 1
    assert bad.last_error == (
        "Recipient refused: nobody@example.org: 550 5.1.1 No such user here"
    )
    assert good.status == EmailStatus.SENT
    assert [m["to"] for m in smtp_sink.messages] == ["somebody@example.org"]


def test_redis_restarted_mid_run_sweeper_recovers_what_the_broker_lost(
    celery_worker, smtp_sink, redis_server
):
    _queue_invitations(500)
    wait_for(lambda: smtp_sink.count() >= 100, 60, message="100 delivered")

    redis_server.restart()  # the queue and the unacknowledged messages are gone
    assert smtp_sink.count() < 500

    _sweep_until_all_sent(500, timeout=90)
    time.sleep(1)

    _assert_each_arrived_once(smtp_sink, 500)


def test_same_reminder_run_twice_through_the_worker_sends_nothing_the_second_time(
    celery_worker, smtp_sink
):
    import datetime as dt

    from django.utils import timezone

    from delegations.enums import DelegationStatus
    from delegations.tasks import reminders_deadline_task
    from tests.factories import DelegationFactory, UserFactory

    event = EventFactory(
        is_current=True, registration_deadline=timezone.now() + dt.timedelta(days=6)
    )
    for i in range(3):
        DelegationFactory(
            event=event,
            status=DelegationStatus.INVITED,
            focal_point=UserFactory(email=f"fp{i}@example.org"),
        )

    reminders_deadline_task.delay()
    wait_for(lambda: _count(EmailStatus.SENT) == 3, 30, message="3 reminders sent")
    reminders_deadline_task.delay()
    reminders_deadline_task.delay()
    time.sleep(2)  # both runs done (they take milliseconds)

    assert OutboundEmail.objects.count() == 3
    assert sorted(m["to"] for m in smtp_sink.messages) == [
        "fp0@example.org",
        "fp1@example.org",
        "fp2@example.org",
    ]


def test_beat_runs_the_sweeper_from_the_database_schedule(celery_beat, smtp_sink):
    """A row whose broker message never arrived (written, never enqueued) is
    sent by the sweeper that celery beat starts from its PeriodicTask row."""
    from django.core.management import call_command
    from django.utils import timezone
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    call_command("setup_schedules")
    sweeper = PeriodicTask.objects.get(task="hanoi_event.tasks.email_sweep_task")
    sweeper.interval = IntervalSchedule.objects.create(every=1, period="seconds")
    sweeper.save()
    lost = OutboundEmail.objects.create(
        to_email="lost@example.org",
        kind=BULK,
        subject="Lost in the broker",
        text_body="Text",
        idempotency_key="t:lost",
        message_id="<lost@example.org>",
        next_attempt_at=timezone.now() - dt.timedelta(minutes=5),
    )

    celery_beat.start()
    wait_for(lambda: _count(EmailStatus.SENT) == 1, 30, message="the sweeper")

    lost.refresh_from_db()
    assert (lost.status, lost.attempts) == ("sent", 1)
    assert smtp_sink.per_message_id() == {"<lost@example.org>": 1}

"""Delivery against the loopback SMTP sink, in this process (no worker):
permanent and temporary errors, the persistent connection, the sweeper."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from hanoi_event import mailer
from hanoi_event.enums import EmailStatus
from hanoi_event.mail import BULK
from hanoi_event.models import OutboundEmail
from hanoi_event.selectors import emails_due_for_sweep
from hanoi_event.services import email_deliver, email_queue_rendered


@pytest.fixture
def smtp(settings, smtp_sink):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    settings.EMAIL_MAX_ATTEMPTS = 3
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 10
    settings.EMAIL_RETRY_BACKOFF_MAX = 15
    mailer.close_connection()
    yield smtp_sink
    mailer.close_connection()


def _row(to="someone@example.org", key="k1") -> OutboundEmail:
    # Queued inside a transaction that the test database rolls back: no
    # on-commit delivery; the test calls email_deliver itself.
    with transaction.atomic():
        return email_queue_rendered(
            to=to,
            kind=BULK,
            subject="Hello",
            text_body="Text",
            html_body="<p>Text</p>",
            idempotency_key=key,
        )


@pytest.mark.django_db
def test_deliver_sends_once_and_a_second_call_does_nothing(smtp):
    row = _row()

    first = email_deliver(email_id=row.pk)
    second = email_deliver(email_id=row.pk)

    row.refresh_from_db()
    assert (first.result, second.result) == ("sent", "skipped")
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, "")
    assert row.sent_at is not None
    assert smtp.per_message_id() == {row.message_id: 1}


@pytest.mark.django_db
def test_messages_reuse_one_smtp_connection(smtp):
    rows = [_row(key=f"k{i}") for i in range(3)]
    for row in rows:
        email_deliver(email_id=row.pk)
    assert smtp.count() == 3
    assert smtp.sessions == 1


@pytest.mark.django_db
def test_550_marks_failed_with_reason_at_once(smtp):
    smtp.reject["gone@example.org"] = "550 5.1.1 User unknown"
    row = _row(to="gone@example.org")

    outcome = email_deliver(email_id=row.pk)

    row.refresh_from_db()
    assert outcome.result == "failed"
    assert (row.status, row.attempts) == ("failed", 1)
    assert (
        row.last_error == "Recipient refused: gone@example.org: 550 5.1.1 User unknown"
    )


@pytest.mark.django_db
def test_554_on_data_marks_failed(smtp):
    smtp.data_reply = "554 5.7.1 Message rejected as spam"
    row = _row()

    email_deliver(email_id=row.pk)

    row.refresh_from_db()
    assert row.status == "failed"
    assert row.last_error == "SMTP 554 5.7.1 Message rejected as spam"


@pytest.mark.django_db
def test_4xx_keeps_the_row_queued_with_backoff_then_gives_up(smtp):
    smtp.rcpt_reply = "451 4.7.1 Greylisted, try again"
    row = _row()

    before = timezone.now()
    outcomes = [email_deliver(email_id=row.pk) for _ in range(3)]

    assert [(o.result, o.retry_in) for o in outcomes] == [
        ("retry", 10.0),
        ("retry", 15.0),
        ("failed", None),
    ]
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.last_error == (
        "Gave up after 3 attempts. Recipient refused: "
        "someone@example.org: 451 4.7.1 Greylisted, try again"
    )
    assert row.next_attempt_at >= before + dt.timedelta(seconds=15)


@pytest.mark.django_db
def test_connection_refused_is_temporary(smtp):
    smtp.stop()
    row = _row()

    outcome = email_deliver(email_id=row.pk)

    row.refresh_from_db()
    assert (outcome.result, outcome.retry_in) == ("retry", 10.0)
    assert (row.status, row.attempts) == ("queued", 1)
    assert row.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"


@pytest.mark.django_db
def test_connection_dropped_by_server_reconnects_for_next_message(smtp):
    first = _row(key="a")
    email_deliver(email_id=first.pk)
    smtp.stop()
    smtp.start()  # the old connection is dead now
    second = _row(key="b")

    # The dead connection is noticed on use (a temporary error, nothing
    # sent); the next attempt opens a new one.
    outcomes = [email_deliver(email_id=second.pk).result for _ in range(2)]

    assert outcomes == ["retry", "sent"]
    assert smtp.count() == 2
    assert smtp.sessions == 2


@pytest.mark.django_db
def test_sweeper_picks_rows_waiting_too_long_and_sending_past_the_lease(settings):
    settings.EMAIL_REQUEUE_AFTER_SECONDS = 300
    settings.EMAIL_SENDING_LEASE_SECONDS = 600
    now = timezone.now()

    def row(key, status, **times):
        return OutboundEmail.objects.create(
            to_email="x@example.org",
            kind=BULK,
            subject="s",
            text_body="t",
            status=status,
            idempotency_key=key,
            **times,
        )

    lost = row(
        "lost", EmailStatus.QUEUED, next_attempt_at=now - dt.timedelta(seconds=301)
    )
    row("fresh", EmailStatus.QUEUED, next_attempt_at=now - dt.timedelta(seconds=299))
    row(
        "retry-later",
        EmailStatus.QUEUED,
        next_attempt_at=now + dt.timedelta(seconds=60),
    )
    dead = row(
        "dead", EmailStatus.SENDING, sending_started_at=now - dt.timedelta(seconds=601)
    )
    row("busy", EmailStatus.SENDING, sending_started_at=now - dt.timedelta(seconds=10))
    row("sent", EmailStatus.SENT, next_attempt_at=now - dt.timedelta(days=1))
    row("failed", EmailStatus.FAILED, next_attempt_at=now - dt.timedelta(days=1))

    assert emails_due_for_sweep(now=now, limit=100) == [lost.pk, dead.pk]


@pytest.mark.django_db
def test_deliver_takes_over_a_row_sending_past_its_lease(smtp, settings):
    settings.EMAIL_SENDING_LEASE_SECONDS = 600
    row = _row()
    OutboundEmail.objects.filter(pk=row.pk).update(
        status=EmailStatus.SENDING,
        attempts=1,
        sending_started_at=timezone.now() - dt.timedelta(seconds=601),
    )

    assert email_deliver(email_id=row.pk).result == "sent"
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)


@pytest.mark.django_db
def test_deliver_leaves_a_row_sending_within_its_lease_alone(smtp):
    row = _row()
    OutboundEmail.objects.filter(pk=row.pk).update(
        status=EmailStatus.SENDING, attempts=1, sending_started_at=timezone.now()
    )

    assert email_deliver(email_id=row.pk).result == "skipped"
    assert smtp.count() == 0


def test_classify_permanent_and_temporary_errors():
    import smtplib

    assert mailer.classify(smtplib.SMTPDataError(552, b"Too big")) == mailer.SendError(
        False, "SMTP 552 Too big"
    )
    assert mailer.classify(smtplib.SMTPDataError(421, b"Busy")) == mailer.SendError(
        True, "SMTP 421 Busy"
    )
    assert mailer.classify(
        smtplib.SMTPAuthenticationError(535, b"Bad credentials")
    ).temporary
    assert mailer.classify(TimeoutError("timed out")) == mailer.SendError(
        True, "Timeout: timed out"
    )
    assert mailer.classify(ValueError("bad header")) == mailer.SendError(
        False, "ValueError: bad header"
    )
    mixed = smtplib.SMTPRecipientsRefused({"a@x.org": (450, b"busy")})
    assert mailer.classify(mixed).temporary


def test_rate_limit_is_counted_in_redis_per_second(settings):
    import os
    import random

    if not os.environ.get("TEST_REDIS_URL"):
        pytest.fail("TEST_REDIS_URL is not set: run the tests with scripts/test.sh")
    settings.CELERY_BROKER_URL = os.environ["TEST_REDIS_URL"]
    settings.EMAIL_RATE_LIMIT = 4

    class Clock:
        """Time that passes only when the limiter sleeps: exact, not timed.
        It starts at a random whole second so that no earlier run's counters
        (kept 5 s in Redis) are in its windows."""

        def __init__(self):
            self.now = float(random.randrange(10**8, 10**9))

        def time(self):
            return self.now

        def sleep(self, seconds):
            self.now += seconds

    clock = Clock()
    start = int(clock.now)
    passed_at = []
    for _ in range(10):
        mailer._rate_limit_wait(clock=clock.time, sleep=clock.sleep)
        passed_at.append(int(clock.now) - start)

    assert passed_at == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2]


@pytest.mark.django_db
def test_row_cut_off_while_sending_on_every_attempt_is_failed_not_taken_over_forever(
    smtp, settings
):
    # A message that kills or stalls its worker each time (3 = EMAIL_MAX_ATTEMPTS
    # claims, none finished) must stop coming back after each lease.
    settings.EMAIL_SENDING_LEASE_SECONDS = 600
    row = _row()
    OutboundEmail.objects.filter(pk=row.pk).update(
        status=EmailStatus.SENDING,
        attempts=3,
        sending_started_at=timezone.now() - dt.timedelta(seconds=601),
    )

    assert email_deliver(email_id=row.pk).result == "failed"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (
        "failed",
        3,
        "Gave up after 3 attempts: sending was cut off each time "
        "(worker stopped or timed out).",
    )
    assert smtp.count() == 0
    assert emails_due_for_sweep(now=timezone.now(), limit=10) == []


def test_connection_opened_before_a_fork_is_left_to_the_parent(smtp):
    # Prefork: a child must open its own SMTP session, never write to (or
    # QUIT) the one it inherited, which the parent still uses.
    import os

    from django.core.mail import EmailMessage

    def message(subject):
        return EmailMessage(subject, "t", "a@example.org", ["b@example.org"])

    mailer.send(message("parent 1"))
    parent_connection = mailer._state.connection

    pid = os.fork()
    if pid == 0:  # the child: report through the exit code only
        code = 3
        try:
            mailer.send(message("child"))
            code = 0 if mailer._state.connection is not parent_connection else 2
            mailer.close_connection()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)

    mailer.send(message("parent 2"))
    assert os.waitstatus_to_exitcode(status) == 0
    assert mailer._state.connection is parent_connection
    assert [m["subject"] for m in smtp.messages] == ["parent 1", "child", "parent 2"]
    assert smtp.sessions == 2


@pytest.mark.django_db
def test_without_broker_a_temporary_failure_is_failed_for_send_again_not_left_waiting(
    smtp, settings, django_capture_on_commit_callbacks
):
    # No broker: no worker retries later and no beat runs the sweeper, so a
    # row left "queued" would never be sent (and "send again" takes failed
    # rows only).
    from hanoi_event.services import email_send_again
    from hanoi_event.tasks import email_deliver_batch

    settings.EMAIL_MAX_ATTEMPTS = 8
    smtp.rcpt_reply = "451 4.7.1 Greylisted, try again"
    row = _row()

    result = email_deliver_batch.delay([row.pk])  # eager: runs here

    row.refresh_from_db()
    assert result.get() == {"sent": 0, "skipped": 0, "retry": 0, "failed": 1}
    assert (row.status, row.attempts, row.last_error) == (
        "failed",
        1,
        "Not retried: no background worker runs without CELERY_BROKER_URL; "
        "use Send again. Recipient refused: "
        "someone@example.org: 451 4.7.1 Greylisted, try again",
    )

    smtp.rcpt_reply = ""
    with django_capture_on_commit_callbacks(execute=True):
        assert email_send_again(emails=[row]) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, "")
    assert smtp.per_message_id() == {row.message_id: 1}


@pytest.mark.django_db
def test_server_refusing_the_session_at_greeting_keeps_the_message_for_a_retry(
    smtp, settings
):
    # "554 No SMTP service here" answers the connection, not this message (a
    # blocklisted IP, a server in maintenance): like a refused connection, it
    # must not fail every message outright.
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def greet_and_close():
        for _ in range(2):
            client, _addr = server.accept()
            client.sendall(b"554 5.7.1 No SMTP service here\r\n")
            client.close()

    threading.Thread(target=greet_and_close, daemon=True).start()
    settings.EMAIL_PORT = server.getsockname()[1]
    row = _row()

    try:
        outcome = email_deliver(email_id=row.pk)
    finally:
        server.close()

    row.refresh_from_db()
    assert (outcome.result, outcome.retry_in) == ("retry", 10.0)
    assert (row.status, row.attempts) == ("queued", 1)
    assert row.last_error == "SMTP 554 5.7.1 No SMTP service here"


def test_classify_session_refusals_as_temporary():
    import smtplib

    assert mailer.classify(
        smtplib.SMTPConnectError(554, b"No SMTP service here")
    ) == mailer.SendError(True, "SMTP 554 No SMTP service here")
    assert mailer.classify(smtplib.SMTPHeloError(501, b"Bad HELO")) == mailer.SendError(
        True, "SMTP 501 Bad HELO"
    )


@pytest.mark.django_db
def test_row_waiting_for_a_retry_whose_task_was_lost_is_swept_once_overdue(
    smtp, settings
):
    settings.EMAIL_REQUEUE_AFTER_SECONDS = 300
    smtp.rcpt_reply = "451 4.7.1 Greylisted, try again"
    row = _row()
    outcome = email_deliver(email_id=row.pk)  # the countdown task is never sent
    row.refresh_from_db()
    due = row.next_attempt_at
    assert (outcome.result, outcome.retry_in, row.status) == ("retry", 10.0, "queued")

    assert emails_due_for_sweep(now=due + dt.timedelta(seconds=299), limit=10) == []
    assert emails_due_for_sweep(now=due + dt.timedelta(seconds=301), limit=10) == [
        row.pk
    ]

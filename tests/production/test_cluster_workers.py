"""Two Celery workers with their own node names and one beat, sharing
PostgreSQL and Redis: each periodic task beat sends runs once, on one worker;
killing one worker in the middle of a mail run loses nothing and sends
nothing twice (the kill falls between SMTP transactions: the messages in
flight are held at RCPT, not yet accepted; issue 16's tests cover a kill
inside the SMTP window)."""

import re

import pytest
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from hanoi_event.enums import EmailStatus
from hanoi_event.health import HEARTBEAT_TASK
from hanoi_event.models import OutboundEmail
from hanoi_event.schedules import schedules_ensure
from tests.factories import EventFactory
from tests.outbox_load import queue_invitations
from tests.processes import CeleryBeat, CeleryWorker
from tests.servers import FAST_EMAIL_SETTINGS, _test_database_url, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SWEEP_TASK = "hanoi_event.tasks.email_sweep_task"


@pytest.fixture
def two_workers_and_beat(broker, smtp_sink, settings):
    settings.EMAIL_BATCH_SIZE = 2  # many small tasks: both workers get some
    env = {
        "EMAIL_URL": smtp_sink.email_url,
        "LOG_LEVEL": "WARNING",
        "EMAIL_BATCH_SIZE": "2",
        **FAST_EMAIL_SETTINGS,
    }
    workers = [
        CeleryWorker(
            database_url=_test_database_url(),
            broker_url=broker.url,
            extra_env=env,
            name=name,
        )
        for name in ("alpha", "beta")
    ]
    beat = CeleryBeat(workers[0])
    try:
        for worker in workers:
            worker.start()
        yield workers, beat
    finally:
        beat.stop()
        for worker in workers:
            worker.stop()
        for worker in workers:
            print(f"--- {worker.log_path} ---\n{worker.log()}")
        print(f"--- beat ---\n{beat.log()}")


def _only_every_second(task: str) -> None:
    """The registered schedules, with ``task`` every second and the rest off."""
    schedules_ensure()
    second, _ = IntervalSchedule.objects.get_or_create(
        every=1, period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.exclude(task=task).update(enabled=False)
    PeriodicTask.objects.filter(task=task).update(interval=second, enabled=True)


def test_beat_sends_each_periodic_run_once_and_one_worker_runs_it(
    two_workers_and_beat,
):
    (alpha, beta), beat = two_workers_and_beat
    _only_every_second(HEARTBEAT_TASK)
    ran = re.compile(rf"Task {re.escape(HEARTBEAT_TASK)}\[([0-9a-f-]+)\] succeeded")

    def runs():
        return ran.findall(alpha.log(None)) + ran.findall(beta.log(None))

    beat.start()
    wait_for(lambda: len(runs()) >= 5, 60, 0.2, "five heartbeat runs")
    beat.stop()
    sent = beat.log(None).count("Sending due task Health: worker and beat heartbeat")
    wait_for(lambda: len(runs()) >= sent, 20, 0.2, "the last heartbeat to run")
    ids = runs()

    assert sent >= 5
    assert len(ids) == sent
    assert len(set(ids)) == sent  # no run twice, on one worker or on both
    assert "alpha1@" in alpha.log(None) and "beta1@" in beta.log(None)


def test_killing_one_worker_mid_run_loses_nothing_and_sends_nothing_twice(
    two_workers_and_beat, smtp_sink
):
    (alpha, beta), beat = two_workers_and_beat
    _only_every_second(SWEEP_TASK)  # beat's sweeper hands stuck rows over

    def hold_after_ten(number, content):
        if number == 10:
            smtp_sink.hold_rcpt = True

    smtp_sink.on_accept = hold_after_ten
    beat.start()
    queue_invitations(40, event=EventFactory(), key_prefix="cluster")
    # Three clients held at RCPT: with two processes a worker, both workers
    # hold one at least. Every accepted message's row is marked sent first:
    # the kill falls between SMTP transactions.
    wait_for(lambda: smtp_sink.held >= 3, 60, 0.1, "three deliveries held")
    wait_for(
        lambda: (
            OutboundEmail.objects.filter(status=EmailStatus.SENT).count()
            == smtp_sink.count()
        ),
        30,
        0.1,
        "the accepted messages marked sent",
    )
    alpha.kill()
    smtp_sink.on_accept = None
    smtp_sink.hold_rcpt = False
    wait_for(
        lambda: OutboundEmail.objects.filter(status=EmailStatus.SENT).count() == 40,
        90,
        0.2,
        "every message sent by the worker left",
    )

    expected = set(OutboundEmail.objects.values_list("message_id", flat=True))
    copies = smtp_sink.per_message_id()
    assert not alpha.running() and beta.running()
    assert set(copies) == expected
    assert {mid: n for mid, n in copies.items() if n != 1} == {}
    assert smtp_sink.count() == 40

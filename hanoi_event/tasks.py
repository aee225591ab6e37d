"""Celery tasks of the outbox: thin doors into hanoi_event.services. They
take ids. Their names are explicit and stable (messages in flight and celery
beat rows store them)."""

from __future__ import annotations

from celery import shared_task

from . import services
from .background import BackgroundTask
from .services.bulk import BULK_QUEUE_TASK
from .services.outbox import DELIVER_TASK


@shared_task(base=BackgroundTask, name=DELIVER_TASK)
def email_deliver_batch(email_ids: list[int]) -> dict[str, int]:
    """Deliver the outbox rows ``email_ids`` one by one over this process's
    SMTP connection; rows no longer waiting are skipped. A temporary failure
    schedules that row again with exponential backoff (a new task with a
    countdown); in eager mode (no broker: no worker to retry later, no beat
    to sweep) it marks the row failed with the reason, for "send again"."""
    counts = {"sent": 0, "skipped": 0, "retry": 0, "failed": 0}
    eager = bool(email_deliver_batch.request.is_eager)
    outcomes = services.email_deliver_many(email_ids=email_ids, can_retry=not eager)
    for pk, outcome in outcomes.items():
        counts[outcome.result] += 1
        if outcome.retry_in is not None and not eager:
            services.email_enqueue(email_ids=[pk], countdown=outcome.retry_in)
    return counts


@shared_task(base=BackgroundTask, name="hanoi_event.tasks.email_sweep_task")
def email_sweep_task() -> int:
    """Periodic (celery beat): re-enqueue rows lost by the broker or a worker."""
    return services.email_sweep()


@shared_task(base=BackgroundTask, name=BULK_QUEUE_TASK)
def bulk_send_queue_task(bulk_send_id: int) -> int:
    """Write and enqueue the outbox rows of a bulk send (idempotent)."""
    return services.bulk_send_queue(bulk_send_id=bulk_send_id)

"""Celery tasks: thin doors into hanoi_event.services. They take ids."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
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


@shared_task(acks_late=True, ignore_result=True)
def email_sweep_task() -> int:
    """Periodic (celery beat): re-enqueue rows lost by the broker or a worker."""
    return services.email_sweep()


@shared_task(acks_late=True, ignore_result=True)
def bulk_send_queue_task(bulk_send_id: int) -> int:
    return services.bulk_send_queue(bulk_send_id=bulk_send_id)


@shared_task(acks_late=True, ignore_result=True)
def reminders_deadline_task() -> int:
    """Periodic: registration deadline reminders to focal points."""
    return services.reminders_send_deadline()


@shared_task(acks_late=True, ignore_result=True)
def reminders_missing_data_task() -> int:
    """Periodic: reminders to participants missing photo or passport data."""
    return services.reminders_send_missing_data()


@shared_task(acks_late=True, ignore_result=True)
def reminders_day_before_task() -> int:
    """Periodic: tomorrow's agenda to participants registered to sessions."""
    return services.reminders_send_day_before()

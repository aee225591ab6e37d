"""Celery tasks of the delegations app: thin doors into its services. Names
are explicit and stable (celery beat rows store them)."""

from __future__ import annotations

from celery import shared_task

from hanoi_event.background import BackgroundTask

from . import services

REMINDERS_DEADLINE_TASK = "delegations.reminders_deadline"
REMINDERS_MISSING_DATA_TASK = "delegations.reminders_missing_data"


@shared_task(base=BackgroundTask, name=REMINDERS_DEADLINE_TASK)
def reminders_deadline_task() -> int:
    """Periodic: registration deadline reminders to focal points."""
    return services.reminders_send_deadline()


@shared_task(base=BackgroundTask, name=REMINDERS_MISSING_DATA_TASK)
def reminders_missing_data_task() -> int:
    """Periodic: reminders to participants whose registration misses data."""
    return services.reminders_send_missing_data()

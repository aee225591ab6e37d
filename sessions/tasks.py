"""Celery tasks of the programme: thin doors into its services. Names are
explicit and stable (celery beat rows store them)."""

from __future__ import annotations

from celery import shared_task

from hanoi_event.background import BackgroundTask

from . import services

REMINDERS_DAY_BEFORE_TASK = "event_sessions.reminders_day_before"


@shared_task(base=BackgroundTask, name=REMINDERS_DAY_BEFORE_TASK)
def reminders_day_before_task() -> int:
    """Periodic: tomorrow's agenda to participants registered to sessions."""
    return services.reminders_send_day_before()


REMINDERS_STARTING_SOON_TASK = "event_sessions.reminders_starting_soon"


@shared_task(base=BackgroundTask, name=REMINDERS_STARTING_SOON_TASK)
def reminders_starting_soon_task() -> int:
    """Periodic: "starting in 30 minutes" to participants with a seat."""
    return services.reminders_send_starting_soon()

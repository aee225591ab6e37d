"""Celery tasks of the delegations app: thin doors into its services. Names
are explicit and stable (celery beat rows store them)."""

from __future__ import annotations

from celery import shared_task

from hanoi_event.background import BackgroundTask

from . import services
from .services import exports, imports

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


# Imports and exports of lists (delegations.services.imports / exports).


@shared_task(base=BackgroundTask, name=imports.IMPORT_CHECK_TASK)
def import_check_task(log_id: int) -> None:
    """Check an uploaded file (a large one, when a broker is configured)."""
    imports.import_check_run(log_id=log_id)


@shared_task(base=BackgroundTask, name=imports.IMPORT_APPLY_TASK)
def import_apply_task(log_id: int) -> None:
    """Import a checked file (idempotent: a repeated task does nothing)."""
    imports.import_apply_run(log_id=log_id)


@shared_task(base=BackgroundTask, name=exports.EXPORT_BUILD_TASK)
def export_build_task(log_id: int) -> None:
    """Build a large export's file."""
    exports.export_run(log_id=log_id)

"""Background work: the base class of every Celery task, and how services
hand work to the workers without importing the tasks modules (tasks import
services, never the other way round).

- Every task is a thin door with an explicit, stable ``name=`` (celery beat
  rows and messages in flight store it), ``acks_late`` (a task whose worker
  dies is delivered again) and ``base=BackgroundTask``.
- A service enqueues by name: ``enqueue("hanoi_event.tasks.email_sweep_task")``
  now, or ``enqueue(..., on_commit=True)`` once the surrounding transaction
  commits, so a worker never looks for a row that is not committed yet.
- Without a broker (the embedded default) tasks run in-process
  (``CELERY_TASK_ALWAYS_EAGER``). With a broker that is away, enqueuing logs a
  warning and returns False: the work is in the database already (an outbox
  row, a bulk send) and the periodic sweeper hands it over once the broker is
  back. In eager mode an error propagates.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from celery import current_app
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


class BackgroundTask(DjangoTask):
    acks_late = True
    ignore_result = True

    def enqueue(self, *args: Any, countdown: float | None = None) -> bool:
        """Send the task to the workers now. True if the broker took it."""
        try:
            self.apply_async(args, countdown=countdown)
        except Exception:
            if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
                raise
            logger.warning("could not enqueue %s%r", self.name, args, exc_info=True)
            return False
        return True

    def enqueue_on_commit(self, *args: Any, countdown: float | None = None) -> None:
        """``enqueue`` once the current transaction commits (now, outside one)."""
        transaction.on_commit(
            functools.partial(self.enqueue, *args, countdown=countdown)
        )


def task_named(name: str) -> BackgroundTask:
    """The registered task called ``name`` (each app's ``ready()`` imports its
    tasks module, so every task is registered in every process)."""
    return current_app.tasks[name]


def enqueue(
    name: str, *args: Any, countdown: float | None = None, on_commit: bool = False
) -> bool | None:
    """Hand the task ``name`` with ``args`` (ids and primitive values only) to
    the workers: now, or once the transaction commits."""
    task = task_named(name)
    if on_commit:
        task.enqueue_on_commit(*args, countdown=countdown)
        return None
    return task.enqueue(*args, countdown=countdown)

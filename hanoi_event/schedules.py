"""The registry of periodic tasks that celery beat runs, stored with
django-celery-beat so that organizers see and change them in the admin
(Periodic tasks).

Each app declares its entries and registers them from ``AppConfig.ready()``::

    register_schedules(
        Schedule("Reminders: ...", task="delegations.reminders_deadline",
                 crontab=("0", "1")),
    )

``task`` is the task's explicit, stable ``name=`` (the beat rows store it, so
moving a module breaks nothing). ``schedules_ensure()`` creates the rows that
are missing: after every ``migrate`` (a post_migrate handler) and from
``manage.py setup_schedules``. It only adds, so an organizer's changes stay.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction


@dataclass(frozen=True)
class Schedule:
    """``every`` seconds, or a ``crontab`` (minute, hour) in UTC (08:00 in
    Hanoi is 01:00 UTC)."""

    name: str
    task: str
    every: int | None = None
    crontab: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if (self.every is None) == (self.crontab is None):
            raise ImproperlyConfigured(
                f"Schedule {self.name!r}: give either every or crontab."
            )


_SCHEDULES: dict[str, Schedule] = {}


def register_schedules(*schedules: Schedule) -> None:
    for schedule in schedules:
        existing = _SCHEDULES.get(schedule.name)
        if existing is not None and existing != schedule:
            raise ImproperlyConfigured(f"Schedule {schedule.name!r} is declared twice.")
        _SCHEDULES[schedule.name] = schedule


def registered_schedules() -> list[Schedule]:
    return list(_SCHEDULES.values())


@transaction.atomic
def schedules_ensure() -> int:
    """Create the missing periodic tasks (matched by name). Returns how many
    were created; tells beat to reload when it created any."""
    from django_celery_beat.models import (
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        PeriodicTasks,
    )

    existing = set(PeriodicTask.objects.values_list("name", flat=True))
    created = 0
    for schedule in registered_schedules():
        if schedule.name in existing:
            continue
        fields = {
            "name": schedule.name,
            "task": schedule.task,
            "args": json.dumps([]),
            "kwargs": "{}",
        }
        if schedule.every is not None:
            fields["interval"], _ = IntervalSchedule.objects.get_or_create(
                every=schedule.every, period=IntervalSchedule.SECONDS
            )
        else:
            minute, hour = schedule.crontab
            fields["crontab"], _ = CrontabSchedule.objects.get_or_create(
                minute=minute,
                hour=hour,
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone="UTC",
            )
        PeriodicTask.objects.create(**fields)
        created += 1
    if created:
        PeriodicTasks.update_changed()
    return created

from django.core.management.base import BaseCommand
from django_celery_beat.models import (
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    PeriodicTasks,
)

from hanoi_event.schedules import ensure_schedules


class Command(BaseCommand):
    help = "Create the missing celery beat schedules (sweeper, reminders). Idempotent."

    def handle(self, *args, **options):
        created = ensure_schedules(PeriodicTask, IntervalSchedule, CrontabSchedule)
        if created:
            PeriodicTasks.update_changed()
        self.stdout.write(f"{created} schedule(s) created.")

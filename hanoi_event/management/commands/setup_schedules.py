from django.core.management.base import BaseCommand

from hanoi_event.schedules import schedules_ensure


class Command(BaseCommand):
    help = (
        "Create the missing celery beat schedules that the apps declare (outbox "
        "sweeper, reminders). Idempotent; an organizer's changes are kept."
    )

    def handle(self, *args, **options):
        created = schedules_ensure()
        self.stdout.write(f"{created} schedule(s) created.")

"""The periodic tasks celery beat runs, stored with django-celery-beat so that
organizers see and change them in the admin (Periodic tasks).

Created by migration 0003 and by ``manage.py setup_schedules``; both only add
what is missing, so an organizer's changes are kept.
"""

import json

# name -> (task, schedule). Schedules: ("every", seconds) or
# ("crontab", minute, hour) in UTC (08:00 in Hanoi is 01:00 UTC).
SCHEDULES = {
    "Outbox sweeper: resend lost or stuck emails": (
        "hanoi_event.tasks.email_sweep_task",
        ("every", 60),
    ),
    "Reminders: registration deadline (focal points)": (
        "hanoi_event.tasks.reminders_deadline_task",
        ("crontab", "0", "1"),
    ),
    "Reminders: missing photo or passport data": (
        "hanoi_event.tasks.reminders_missing_data_task",
        ("crontab", "30", "1"),
    ),
    "Reminders: tomorrow's agenda": (
        "hanoi_event.tasks.reminders_day_before_task",
        ("crontab", "0", "11"),
    ),
}


def ensure_schedules(PeriodicTask, IntervalSchedule, CrontabSchedule) -> int:
    """Create the missing periodic tasks (model classes passed in, so that a
    migration can use its historical models). Returns how many were created."""
    created = 0
    for name, (task, schedule) in SCHEDULES.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        fields = {"name": name, "task": task, "args": json.dumps([]), "kwargs": "{}"}
        if schedule[0] == "every":
            fields["interval"], _ = IntervalSchedule.objects.get_or_create(
                every=schedule[1], period="seconds"
            )
        else:
            fields["crontab"], _ = CrontabSchedule.objects.get_or_create(
                minute=schedule[1],
                hour=schedule[2],
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone="UTC",
            )
        PeriodicTask.objects.create(**fields)
        created += 1
    return created

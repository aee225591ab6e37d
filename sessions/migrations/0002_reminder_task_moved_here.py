"""The day-before agenda reminder moved from hanoi_event to this app and got
a stable task name: point the celery beat row at it (schedule and edits
kept)."""

from django.db import migrations

OLD = "hanoi_event.tasks.reminders_day_before_task"
NEW = "event_sessions.reminders_day_before"


def _rename(apps, old, new):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(task=old).update(task=new):
        from django.utils import timezone

        PeriodicTasks.objects.update_or_create(
            ident=1, defaults={"last_update": timezone.now()}
        )


def forwards(apps, schema_editor):
    _rename(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("event_sessions", "0001_initial"),
        ("hanoi_event", "0003_email_templates_and_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

"""The deadline and missing-data reminders moved from hanoi_event to this app
and got stable task names: point the celery beat rows that organizers may
have edited at the new names (schedule, enabled flag and edits kept)."""

from django.db import migrations

MOVED = [
    # (old name, new name, old task, new task)
    (
        "Reminders: registration deadline (focal points)",
        "Reminders: registration deadline (focal points)",
        "hanoi_event.tasks.reminders_deadline_task",
        "delegations.reminders_deadline",
    ),
    (
        "Reminders: missing photo or passport data",
        "Reminders: missing registration data",
        "hanoi_event.tasks.reminders_missing_data_task",
        "delegations.reminders_missing_data",
    ),
]


def _move(apps, moves):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    changed = 0
    for old_name, new_name, old_task, new_task in moves:
        changed += PeriodicTask.objects.filter(task=old_task).update(task=new_task)
        if old_name != new_name and not PeriodicTask.objects.filter(
            name=new_name
        ).exists():
            PeriodicTask.objects.filter(name=old_name).update(name=new_name)
    if changed:
        from django.utils import timezone

        PeriodicTasks.objects.update_or_create(
            ident=1, defaults={"last_update": timezone.now()}
        )


def forwards(apps, schema_editor):
    _move(apps, MOVED)


def backwards(apps, schema_editor):
    _move(apps, [(new_n, old_n, new_t, old_t) for old_n, new_n, old_t, new_t in MOVED])


class Migration(migrations.Migration):
    dependencies = [
        ("delegations", "0002_portal_invitations_uploads_org_requests"),
        ("hanoi_event", "0003_email_templates_and_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

"""Ship the English email templates (from templates/emails/) and create the
celery beat schedules (sweeper, reminders). Adds only what is missing."""

from django.db import migrations


def forwards(apps, schema_editor):
    from hanoi_event.email_templates import TEMPLATED_KINDS, shipped_template
    from hanoi_event.schedules import ensure_schedules

    EmailTemplate = apps.get_model("hanoi_event", "EmailTemplate")
    for kind in TEMPLATED_KINDS:
        EmailTemplate.objects.get_or_create(
            kind=kind.value, language="en", defaults=shipped_template(kind.value)
        )
    ensure_schedules(
        apps.get_model("django_celery_beat", "PeriodicTask"),
        apps.get_model("django_celery_beat", "IntervalSchedule"),
        apps.get_model("django_celery_beat", "CrontabSchedule"),
    )
    # django-celery-beat notices changes through this row.
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("hanoi_event", "0002_outbox"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

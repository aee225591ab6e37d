"""Once shipped the English email templates and created the beat schedules.

Both now come from the registries (mail kinds, schedules) that the apps fill
in ``AppConfig.ready()``: a post_migrate handler (``hanoi_event.apps``)
creates whatever is missing after every ``migrate``. This migration is kept
so that databases that applied it and new ones share one history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("hanoi_event", "0002_outbox"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = []

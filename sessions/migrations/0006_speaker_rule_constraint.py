"""The speaker rule in the database: one person (``speaker_key``) never in two
items of an event that are not cancelled at overlapping times (half-open
ranges; a chair who also speaks in one item is one person in one place).

An exclusion constraint sees one table only, so each chair or speaker row
carries copies of its item's event, start, end and cancellation. On
PostgreSQL the copies are bound to the item by a foreign key on (item, event,
start, end, cancelled) with ON UPDATE CASCADE: moving or cancelling an item
moves its rows in the same statement, and a row whose copies differ from its
item is refused. Then the exclusion constraint
``programme_role_speaker_no_overlap`` holds the rule, so two organizers
saving at once cannot break it. As for the room rule (0004), SQLite (the
embedded default) holds none of this; the services check the rule there
with a message naming the other item."""

from django.db import migrations, models

ROLE = "event_sessions_programmerole"
ITEM = "event_sessions_programmeitem"

FORWARD = [
    f"ALTER TABLE {ITEM} ADD CONSTRAINT programme_item_copy_key "
    "UNIQUE (id, event_id, starts_at, ends_at, is_cancelled)",
    f"ALTER TABLE {ROLE} ADD CONSTRAINT programme_role_item_copy "
    "FOREIGN KEY (item_id, event_id, starts_at, ends_at, item_cancelled) "
    f"REFERENCES {ITEM} (id, event_id, starts_at, ends_at, is_cancelled) "
    "ON UPDATE CASCADE ON DELETE CASCADE",
    f"ALTER TABLE {ROLE} ADD CONSTRAINT programme_role_speaker_no_overlap "
    "EXCLUDE USING gist (event_id WITH =, speaker_key WITH =, item_id WITH <>, "
    "tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (NOT item_cancelled)",
]
BACKWARD = [
    f"ALTER TABLE {ROLE} DROP CONSTRAINT programme_role_speaker_no_overlap",
    f"ALTER TABLE {ROLE} DROP CONSTRAINT programme_role_item_copy",
    f"ALTER TABLE {ITEM} DROP CONSTRAINT programme_item_copy_key",
]


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """RunSQL on PostgreSQL only (no model state changes)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def copy_items(apps, schema_editor):
    ProgrammeRole = apps.get_model("event_sessions", "ProgrammeRole")
    roles = list(ProgrammeRole.objects.select_related("item"))
    for role in roles:
        role.event_id = role.item.event_id
        role.starts_at = role.item.starts_at
        role.ends_at = role.item.ends_at
        role.item_cancelled = role.item.is_cancelled
    ProgrammeRole.objects.bulk_update(
        roles, ["event", "starts_at", "ends_at", "item_cancelled"], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [
        ("event_sessions", "0005_speaker_passport_copy"),
    ]

    operations = [
        migrations.AddField(
            model_name="programmerole",
            name="event",
            field=models.ForeignKey(
                blank=True,
                null=True,
                editable=False,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to="hanoi_event.event",
                verbose_name="event",
            ),
        ),
        migrations.AddField(
            model_name="programmerole",
            name="starts_at",
            field=models.DateTimeField(
                blank=True, null=True, editable=False, verbose_name="starts"
            ),
        ),
        migrations.AddField(
            model_name="programmerole",
            name="ends_at",
            field=models.DateTimeField(
                blank=True, null=True, editable=False, verbose_name="ends"
            ),
        ),
        migrations.AddField(
            model_name="programmerole",
            name="item_cancelled",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="item cancelled"
            ),
        ),
        migrations.RunPython(copy_items, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="programmerole",
            name="event",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to="hanoi_event.event",
                verbose_name="event",
            ),
        ),
        migrations.AlterField(
            model_name="programmerole",
            name="starts_at",
            field=models.DateTimeField(
                blank=True, editable=False, verbose_name="starts"
            ),
        ),
        migrations.AlterField(
            model_name="programmerole",
            name="ends_at",
            field=models.DateTimeField(blank=True, editable=False, verbose_name="ends"),
        ),
        RunSQLOnPostgreSQL(FORWARD, BACKWARD),
    ]

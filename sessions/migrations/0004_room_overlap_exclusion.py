"""On PostgreSQL, the room rule is also a database constraint: no two
programme items that are not cancelled in one room at overlapping times
(half-open ranges, so 09:00-10:15 and 10:15-11:30 may follow each other).

The constraint lives only in the database, not in the model's Meta: SQLite
(the embedded default) cannot hold it, and the model checks the rule itself
(``sessions.conflicts.room_conflicts``) with a message naming the other item.
So the operation below changes no model state and does nothing on other
databases; ``BtreeGistExtension`` already does nothing there."""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations
from django.db.models import Func, Q


class TsTzRange(Func):
    function = "TSTZRANGE"
    template = "%(function)s(%(expressions)s, '[)')"


CONSTRAINT = ExclusionConstraint(
    name="programme_item_room_no_overlap",
    expressions=[
        ("room", RangeOperators.EQUAL),
        (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
    ],
    condition=Q(room__isnull=False, is_cancelled=False),
    violation_error_message="The room is taken at this time.",
)


class AddConstraintOnPostgreSQL(migrations.operations.base.Operation):
    """Add ``constraint`` to ``model_name``'s table on PostgreSQL only, without
    touching the migration state (the model does not declare it)."""

    reversible = True

    def __init__(self, model_name, constraint):
        self.model_name = model_name
        self.constraint = constraint

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        schema_editor.add_constraint(model, self.constraint)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        schema_editor.remove_constraint(model, self.constraint)

    def describe(self):
        return f"PostgreSQL only: constraint {self.constraint.name} on {self.model_name}"

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {"model_name": self.model_name, "constraint": self.constraint},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("event_sessions", "0003_programme_side_events_seats"),
    ]

    operations = [
        BtreeGistExtension(),
        AddConstraintOnPostgreSQL("programmeitem", CONSTRAINT),
    ]

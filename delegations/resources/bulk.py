"""Writing many new records with their history records at once.

On PostgreSQL the rows go in with ``COPY`` (primary keys taken from the
table's sequence first, so the history rows can name them): Django's
``bulk_create`` spends most of its time preparing each value of each row in
Python, which for a 10,000-row import is most of the import. Elsewhere
(SQLite) ``simple_history.utils.bulk_create_with_history`` does it.

Values are written as the model holds them: what ``save()`` would set on its
own (``auto_now``/``auto_now_add`` times) is set first, file fields are
written as their names. Nothing here validates: the import checked the rows.
"""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import FileField, JSONField, Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model


def _converter(field):
    if isinstance(field, FileField):
        return lambda value: (value.name or "") if value else ""
    if isinstance(field, JSONField):
        return lambda value: None if value is None else json.dumps(value)
    return None


def _copy(table: str, fields, rows) -> None:
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)


def _rows(objects, fields):
    getters = [(f.attname, _converter(f)) for f in fields]
    for obj in objects:
        row = []
        for attname, convert in getters:
            value = getattr(obj, attname)
            row.append(convert(value) if convert is not None else value)
        yield row


def create_with_history(
    model: type[Model], objects: list[Model], *, user=None, reason: str = ""
) -> list[Model]:
    """Insert ``objects`` (new, unsaved) and one "+" history record each,
    naming ``user`` and ``reason``. Returns the objects with their keys."""
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return bulk_create_with_history(
            objects,
            model,
            batch_size=1000,
            default_user=user,
            default_change_reason=reason,
        )
    opts = model._meta
    fields = [f for f in opts.concrete_fields]
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objects:
                setattr(obj, field.attname, now)
    pk = opts.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
            "FROM generate_series(1, %s)",
            [opts.db_table, pk.column, len(objects)],
        )
        keys = [row[0] for row in cursor.fetchall()]
    for obj, key in zip(objects, keys, strict=True):
        setattr(obj, pk.attname, key)
        obj._state.adding = False
        obj._state.db = "default"
    _copy(opts.db_table, fields, _rows(objects, fields))

    history = get_history_manager_for_model(model).model
    constants = {
        "history_date": now,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": user.pk if user is not None else None,
    }
    history_fields = [
        f
        for f in history._meta.concrete_fields
        if f.attname != history._meta.pk.attname
    ]
    # Each history column from the record's own field of that name (files as
    # their names, as simple-history stores them), or a constant.
    source = {f.attname: _converter(f) for f in fields}
    columns = []
    for field in history_fields:
        if field.attname in constants:
            columns.append((False, constants[field.attname], None))
        elif field.attname in source:
            columns.append((True, field.attname, source[field.attname]))
        else:
            raise LookupError(f"{history._meta.label}.{field.attname}: no value")

    def history_rows():
        for obj in objects:
            row = []
            for from_record, name_or_value, convert in columns:
                if not from_record:
                    row.append(name_or_value)
                    continue
                value = getattr(obj, name_or_value)
                row.append(convert(value) if convert is not None else value)
            yield row

    _copy(history._meta.db_table, history_fields, history_rows())
    return objects

"""Raw SQL for the check-in hot path (the device's token, a scan's badge,
presence and log row): statements written once per process from the models'
own table and column names, rows turned into model instances with
``Model.from_db``.

Prepared on PostgreSQL with persistent connections (CONN_MAX_AGE, 60 s in
production): PostgreSQL plans each statement once per connection instead of
for every scan (planning the badge's four-table read cost more than running
it). Django's cursors bind parameters on the client and never prepare, so
these statements then go through a server-binding psycopg cursor on
Django's own connection (same transaction; errors wrapped as Django's,
IntegrityError included) and are not in Django's query log
(``CaptureQueriesContext``). A transaction-pooling PgBouncer would need its
prepared-statement support. Without persistent connections (the tests, a
local run) they go through Django's cursor.
"""

from __future__ import annotations

import psycopg
from django.db import DEFAULT_DB_ALIAS, connection, connections

# psycopg prepares a statement run this many times, or when asked.
_NEVER_BY_COUNT = 2**31


def fetchone(sql: str, params: list) -> tuple | None:
    """Run ``sql`` (a statement that returns rows: SELECT, INSERT ...
    RETURNING); its first row or None. Prepared on PostgreSQL with
    persistent connections; else through Django's cursor (a connection
    closed after each request would prepare again every time, an extra round
    trip; SQLite is the embedded default for a local try-out)."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or db.settings_dict.get("CONN_MAX_AGE") == 0:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    db.ensure_connection()
    if db.connection.prepare_threshold is None:
        # Django turns psycopg's preparing off (prepare_threshold None), and
        # then psycopg prepares nothing, even when asked. Django's own
        # cursors bind on the client and never prepare, whatever this says:
        # only the statements here, which ask for it, are prepared.
        db.connection.prepare_threshold = _NEVER_BY_COUNT
    with db.wrap_database_errors:
        with psycopg.Cursor(db.connection) as cursor:
            cursor.execute(sql, params, prepare=True)
            return cursor.fetchone()


def in_model_order(model, names: tuple[str, ...]) -> tuple[str, ...]:
    # Model.from_db() takes a row's values in the model's field order.
    order = {f.attname: i for i, f in enumerate(model._meta.concrete_fields)}
    return tuple(sorted(names, key=order.__getitem__))


_converters: dict[tuple, list] = {}


def from_row(model, names: tuple[str, ...], values):
    """A ``model`` instance of the row ``values`` of the fields ``names``
    (in the model's order: ``in_model_order``), each value converted as the
    ORM converts it (JSON, SQLite's dates...)."""
    key = (model, names, connection.vendor)
    if key not in _converters:
        found = []
        for i, name in enumerate(names):
            field = model._meta.get_field(name)
            column = field.get_col(model._meta.db_table)
            functions = [
                *connection.ops.get_db_converters(column),
                *field.get_db_converters(connection),
            ]
            if functions:
                found.append((i, column, functions))
        _converters[key] = found
    values = list(values)
    for i, column, functions in _converters[key]:
        for convert in functions:
            values[i] = convert(values[i], column, connection)
    return model.from_db(connection.alias, names, values)


_insert_sql: dict[type, tuple[str, list]] = {}


def insert_row(instance) -> None:
    """INSERT ``instance`` (all its fields but the primary key) and set its
    primary key: what ``save(force_insert=True)`` does, without compiling the
    statement for every scan and without signals (none are connected to
    scans). IntegrityError as from ``save``."""
    model = type(instance)
    if model not in _insert_sql:
        quote = connection.ops.quote_name
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        _insert_sql[model] = (
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) "
            f"RETURNING {quote(model._meta.pk.column)}",
            fields,
        )
    sql, fields = _insert_sql[model]
    values = [
        f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields
    ]
    instance.pk = fetchone(sql, values)[0]
    instance._state.adding = False
    instance._state.db = connection.alias

"""Inserting and updating many rows with prepared statements, without Django's per-row compiler.

An import writes four rows per record (the row, its history row, its key-map row, its log entry).
Django's bulk_create compiles every value of every row through the SQL compiler, and bulk_update
builds one CASE per field over the whole batch (which SQLite evaluates row by row): together they
held an import near 1,000 records a second. These write the same rows, with the same field
preparation (`pre_save`, `get_db_prep_save`), in one statement per batch.
"""

from uuid import UUID

from django.db import connections, models, router
from django.db.models import AutoField, BigAutoField, SmallAutoField

_AUTO = (AutoField, BigAutoField, SmallAutoField)


def _connection(model):
    return connections[router.db_for_write(model)]


def _insert_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, _AUTO))]


# Fields whose database value is the Python value itself (a str, int, bool or None).
_AS_IS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveIntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
)


def _preparer(field, connection):
    """A function giving `field`'s database value: Field.get_db_prep_save, made cheap for the
    plain types that make up most columns (it is called for every field of every row)."""
    target = field.target_field if field.is_relation else field
    slow = field.get_db_prep_save
    if isinstance(target, models.UUIDField):
        if connection.features.has_native_uuid_field:
            return lambda v: v if v is None or isinstance(v, UUID) else slow(v, connection)
        return lambda v: v.hex if isinstance(v, UUID) else slow(v, connection)
    if isinstance(target, _AS_IS):
        return lambda v: v if v is None or isinstance(v, str | int) else slow(v, connection)
    return lambda v: slow(v, connection)


def _preparers(fields, connection) -> list:
    return [_preparer(f, connection) for f in fields]


def values_insert(model, fields: list, values: list[list]) -> None:
    """INSERT already-prepared `values` (one list per row, in the order of `fields`)."""
    if not values:
        return
    connection = _connection(model)
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: PostgreSQL's own bulk load, the fastest way in (and the benchmark's baseline).
            # The raw cursor bypasses Django, so its errors are wrapped as Django's by hand.
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in values:
                    copy.write_row(row)
            return
        # Table and column names come from the model, never from input.
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {row}", values)  # noqa: S608


def rows_insert(model, rows: list) -> None:
    """INSERT model instances (their primary keys already set, or auto-increment)."""
    if not rows:
        return
    connection = _connection(model)
    fields = _insert_fields(model)
    # pre_save fills auto_now(_add) dates; the other fields' pre_save just reads the attribute.
    plan = [
        (f.attname, prep, f if f.pre_save.__func__ is not models.Field.pre_save else None)
        for f, prep in zip(fields, _preparers(fields, connection), strict=True)
    ]
    values = [
        [prep(f.pre_save(r, True) if f else getattr(r, name)) for name, prep, f in plan]
        for r in rows
    ]
    values_insert(model, fields, values)


def rows_update(model, rows: list, fields: list[str]) -> None:
    """UPDATE `fields` of each row by primary key, as one prepared statement run many times."""
    if not rows or not fields:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    connection = _connection(model)
    qn = connection.ops.quote_name
    assignments = ", ".join(f"{qn(f.column)} = %s" for f in columns)
    sql = f"UPDATE {qn(meta.db_table)} SET {assignments} WHERE {qn(meta.pk.column)} = %s"  # noqa: S608
    plan = list(zip([f.attname for f in columns], _preparers(columns, connection), strict=True))
    pk = _preparer(meta.pk, connection)
    params = [[prep(getattr(row, name)) for name, prep in plan] + [pk(row.pk)] for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not any(_is_json(f) for f in columns):
            cursor.execute(*_update_from_arrays(meta, columns, params, connection))
            return
        cursor.executemany(sql, params)


def _is_json(field) -> bool:
    return isinstance(field, models.JSONField)


def _update_from_arrays(meta, columns: list, params: list[list], connection):
    """One UPDATE ... FROM unnest(column arrays) for the whole batch: PostgreSQL then writes each
    row once, without a statement per row."""
    qn = connection.ops.quote_name
    table = qn(meta.db_table)
    names = [f"c{i}" for i in range(len(columns))] + ["pk"]
    types = [f.db_type(connection) for f in columns] + [meta.pk.db_type(connection)]
    arrays = [list(values) for values in zip(*params, strict=True)]
    assignments = ", ".join(f"{qn(f.column)} = v.{n}" for f, n in zip(columns, names, strict=False))
    unnest = ", ".join(f"%s::{t}[]" for t in types)
    sql = (
        f"UPDATE {table} SET {assignments} FROM unnest({unnest}) AS v({', '.join(names)}) "  # noqa: S608
        f"WHERE {table}.{qn(meta.pk.column)} = v.pk"
    )
    return sql, arrays


def history_insert(model, rows: list, *, history_type: str, user_id, date, reason: str) -> None:
    """The django-simple-history rows for `rows` ("+" created, "~" changed), as the library's
    bulk_history_create would write them, without building a model instance for each."""
    history_model = model.history.model
    connection = _connection(history_model)
    tracked = list(history_model.tracked_fields)
    meta = history_model._meta
    extra = [
        meta.get_field("history_date"),
        meta.get_field("history_change_reason"),
        meta.get_field("history_type"),
        meta.get_field("history_user"),
    ]
    fields = [meta.get_field(f.name) for f in tracked] + extra
    tail = [
        extra[0].get_db_prep_save(date, connection),
        reason,
        history_type,
        extra[3].get_db_prep_save(user_id, connection),
    ]
    plan = list(zip([f.attname for f in tracked], _preparers(fields, connection), strict=False))
    values = [[prep(getattr(row, name)) for name, prep in plan] + tail for row in rows]
    values_insert(history_model, fields, values)

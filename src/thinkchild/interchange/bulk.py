"""Inserting and updating many rows with prepared statements, without Django's per-row compiler.

An import writes four rows per record (the row, its history row, its key-map row, its log entry).
Django's bulk_create compiles every value of every row through the SQL compiler, and bulk_update
builds one CASE per field over the whole batch (which SQLite evaluates row by row): together they
held an import near 1,000 records a second. These write the same rows, with the same field
preparation (`pre_save`, `get_db_prep_save`), in one statement per batch.
"""

from django.db import models
from django.db.models import AutoField, BigAutoField, SmallAutoField

from thinkchild.access.fastwrite import array_text, ids_among, values_insert
from thinkchild.access.fastwrite import connection_for as _connection
from thinkchild.access.fastwrite import preparer as _preparer
from thinkchild.access.fastwrite import preparers as _preparers

_AUTO = (AutoField, BigAutoField, SmallAutoField)


def _insert_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, _AUTO))]


# pre_save methods that only read the attribute unless the field has auto_now(_add).
_PLAIN_PRE_SAVE = (models.Field.pre_save, models.DateField.pre_save, models.DateTimeField.pre_save)


def _fills_itself(field) -> bool:
    """Whether the field's pre_save gives something other than the attribute (auto_now)."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return True
    return field.pre_save.__func__ not in _PLAIN_PRE_SAVE


def rows_insert(model, rows: list) -> None:
    """INSERT model instances (their primary keys already set, or auto-increment)."""
    if not rows:
        return
    connection = _connection(model)
    fields = _insert_fields(model)
    # pre_save fills auto_now(_add) dates; the other fields' pre_save just reads the attribute.
    plan = [
        (f.attname, prep, f if _fills_itself(f) else None)
        for f, prep in zip(fields, _preparers(fields, connection), strict=True)
    ]
    values = [
        [prep(f.pre_save(r, True) if f else getattr(r, name)) for name, prep, f in plan]
        for r in rows
    ]
    values_insert(model, fields, values)


def rows_update(model, rows: list, fields: list[str], *, unless_equal=None) -> int:
    """UPDATE `fields` of each row by primary key, as one prepared statement run many times (one
    UPDATE ... FROM arrays on PostgreSQL). `unless_equal=(field, value)` leaves alone the rows
    whose `field` already holds `value`. Returns the number of rows updated."""
    if not rows or not fields:
        return 0
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    connection = _connection(model)
    qn = connection.ops.quote_name
    assignments = ", ".join(f"{qn(f.column)} = %s" for f in columns)
    sql = f"UPDATE {qn(meta.db_table)} SET {assignments} WHERE {qn(meta.pk.column)} = %s"
    plan = list(zip([f.attname for f in columns], _preparers(columns, connection), strict=True))
    pk = _preparer(meta.pk, connection)
    params = [[prep(getattr(row, name)) for name, prep in plan] + [pk(row.pk)] for row in rows]
    unless = []
    if unless_equal is not None:
        field = meta.get_field(unless_equal[0])
        unless = [field.get_db_prep_value(unless_equal[1], connection)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not any(_is_json(f) for f in columns):
            update, arrays = _update_from_arrays(meta, columns, params, connection)
            if unless:
                update += f" AND {qn(meta.db_table)}.{qn(field.column)} IS DISTINCT FROM %s"
            cursor.execute(update, [*arrays, *unless])
            return cursor.rowcount
        if unless:
            # SQLite's IS NOT, like IS DISTINCT FROM, treats NULL as a value.
            sql += f" AND {qn(field.column)} IS NOT %s"
        cursor.executemany(sql, [[*row, *unless] for row in params])
        return cursor.rowcount


def _is_json(field) -> bool:
    return isinstance(field, models.JSONField)


def _update_from_arrays(meta, columns: list, params: list[list], connection):
    """One UPDATE ... FROM unnest(column arrays) for the whole batch: PostgreSQL then writes each
    row once, without a statement per row."""
    qn = connection.ops.quote_name
    table = qn(meta.db_table)
    names = [f"c{i}" for i in range(len(columns))] + ["pk"]
    types = [f.db_type(connection) for f in columns] + [meta.pk.db_type(connection)]
    arrays = [array_text(values) for values in zip(*params, strict=True)]
    assignments = ", ".join(f"{qn(f.column)} = v.{n}" for f, n in zip(columns, names, strict=False))
    unnest = ", ".join(f"%s::{t}[]" for t in types)
    sql = (
        f"UPDATE {table} SET {assignments} FROM unnest({unnest}) AS v({', '.join(names)}) "
        f"WHERE {table}.{qn(meta.pk.column)} = v.pk"
    )
    return sql, arrays


def history_copy(model, ids: list, *, history_type: str, user_id, date, reason: str) -> None:
    """The django-simple-history rows of the rows `ids` of `model` ("+" created, "~" changed), as
    the library's bulk_history_create would write them: copied by the database from the rows just
    written (INSERT ... SELECT), so no value goes through Python twice."""
    if not ids:
        return
    connection = _connection(model.history.model)
    among, id_values = ids_among(model._meta.pk, ids, connection)
    pk = connection.ops.quote_name(model._meta.pk.column)
    history_copy_where(
        model,
        f"{pk} {among}",
        [id_values],
        history_type=history_type,
        user_id=user_id,
        date=date,
        reason=reason,
    )


def history_copy_where(
    model, where: str, params: list, *, history_type: str, user_id, date, reason: str
) -> None:
    """history_copy of the rows of `model` that the SQL condition `where` (with `params`) picks:
    rows an import wrote from its staging table (interchange.staging)."""
    history_model = model.history.model
    connection = _connection(history_model)
    qn = connection.ops.quote_name
    meta = history_model._meta
    tracked = list(history_model.tracked_fields)
    extra = [
        meta.get_field(name)
        for name in ("history_date", "history_change_reason", "history_type", "history_user")
    ]
    into = ", ".join(qn(meta.get_field(f.name).column) for f in tracked + extra)
    copied = ", ".join(qn(model._meta.get_field(f.name).column) for f in tracked)
    table = qn(model._meta.db_table)
    # Names come from the models; `where` from our own code, never from input.
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({into}) "  # noqa: S608
        f"SELECT {copied}, %s, %s, %s, %s FROM {table} WHERE {where}"
    )
    values = [
        extra[0].get_db_prep_save(date, connection),
        reason,
        history_type,
        extra[3].get_db_prep_save(user_id, connection),
        *params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)

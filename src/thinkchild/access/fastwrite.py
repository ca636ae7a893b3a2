"""Inserting many rows of already-prepared values in one statement, without Django's compiler.

The processing log gets one entry per record an import writes, and the importer writes three more
rows per record (the row, its history row, its key-map row). Django's bulk_create compiles every
value of every row through the SQL compiler, which held an import near 1,000 records a second.
These send the same values through PostgreSQL's COPY, or one prepared INSERT run many times on
SQLite. It sits here, at the bottom, so the access layer can use it without importing the
importer (thinkchild.interchange.bulk builds on it).
"""

import datetime as dt
import json
from uuid import UUID

from django.db import connections, models, router

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


def connection_for(model):
    return connections[router.db_for_write(model)]


def preparer(field, connection):
    """A function giving `field`'s database value: Field.get_db_prep_save, made cheap for the
    plain types that make up most columns (it is called for every field of every row)."""
    target = field.target_field if field.is_relation else field
    slow = field.get_db_prep_save
    if isinstance(target, models.UUIDField):
        if connection.features.has_native_uuid_field:
            return lambda v: v if v is None or isinstance(v, UUID) else slow(v, connection)
        return lambda v: v.hex if isinstance(v, UUID) else slow(v, connection)
    if connection.vendor == "postgresql" and isinstance(target, models.DateTimeField):
        # psycopg sends an aware datetime as it is (Django's adapt_datetimefield_value returns it
        # unchanged); a naive one still goes through Django, which warns and makes it aware.
        return lambda v: (
            v if v is None or (type(v) is dt.datetime and v.tzinfo) else slow(v, connection)
        )
    if connection.vendor == "postgresql" and isinstance(target, models.DateField):
        return lambda v: v if v is None or type(v) is dt.date else slow(v, connection)
    if connection.vendor == "sqlite" and isinstance(target, models.DateTimeField):
        # What Django's SQLite adapter stores for an aware datetime: naive, in the connection's
        # time zone, as str() writes it.
        zone = connection.timezone
        return lambda v: (
            str(v.astimezone(zone).replace(tzinfo=None))
            if type(v) is dt.datetime and v.tzinfo
            else (None if v is None else slow(v, connection))
        )
    if connection.vendor == "sqlite" and isinstance(target, models.DateField):
        return lambda v: v.isoformat() if type(v) is dt.date else slow(v, connection)
    if isinstance(target, models.JSONField) and connection.vendor == "postgresql":
        # COPY takes the JSON text itself; psycopg's Jsonb wrapper would be encoded row by row
        # through its adapter machinery. None stays SQL NULL, as in JSONField.get_db_prep_save.
        encoder = target.encoder
        return lambda v: None if v is None else json.dumps(v, cls=encoder)
    if isinstance(target, _AS_IS):
        return lambda v: v if v is None or isinstance(v, str | int) else slow(v, connection)
    return lambda v: slow(v, connection)


def preparers(fields, connection) -> list:
    return [preparer(f, connection) for f in fields]


def values_insert(model, fields: list, values: list) -> None:
    """INSERT already-prepared `values` (one sequence per row, in the order of `fields`)."""
    if not values:
        return
    connection = connection_for(model)
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
                write = copy.write_row
                for row in values:
                    write(row)
            return
        # Table and column names come from the model, never from input.
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {row}", values)


def values_insert_new(model, fields: list, values: list) -> None:
    """INSERT rows of Python `values` (in the order of `fields`) whose primary key is not there yet.

    One statement for the whole list on PostgreSQL (the columns as arrays, ON CONFLICT DO NOTHING),
    inserting in key order: two transactions adding the same rows then wait for each other, never
    in a cycle (a deadlock). One prepared INSERT OR IGNORE run many times on SQLite, which has one
    writer at a time.
    """
    if not values:
        return
    connection = connection_for(model)
    prepare = preparers(fields, connection)
    rows = [[p(v) for p, v in zip(prepare, row, strict=True)] for row in values]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
            order = ", ".join(str(i) for i in range(1, len(fields) + 1))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) "
                f"ORDER BY {order} ON CONFLICT DO NOTHING",
                [array_text(column) for column in zip(*rows, strict=True)],
            )
            return
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        cursor.executemany(f"INSERT OR IGNORE INTO {table} ({columns}) VALUES {row}", rows)


def rows_among(model, columns: list[str], field: str, values: list, **equal) -> list[tuple]:
    """The `columns` (attnames) of the rows of `model` whose `field` holds one of `values` and
    whose other fields equal `equal`, in no particular order: a queryset's values_list(...), for
    the lookups an import makes for every batch (thousands of ids). On PostgreSQL, one plain
    statement: Django prepares each value of a list lookup and builds the query around it, which
    cost four times what reading the rows did (8 against 2 µs a person at force scale).
    Elsewhere, the queryset.

    The plain statement skips Django's conversion of what the database returns, so it takes only
    columns that have none (not JSON), and `equal` values that are not None."""
    if not values:
        return []
    meta = model._meta
    converted = [c for c in columns if hasattr(meta.get_field(c), "from_db_value")]
    if converted or any(v is None for v in equal.values()):
        raise ValueError(
            f"rows_among reads plain columns and compares with values: not {converted or equal}"
        )
    connection = connection_for(model)
    if connection.vendor != "postgresql":
        return list(
            model.objects.filter(**{f"{field}__any_of": values}, **equal).values_list(*columns)
        )
    qn = connection.ops.quote_name
    where_field = meta.get_field(field)
    among, param = ids_among(where_field, values, connection)
    conditions, params = [f"{qn(where_field.column)} {among}"], [param]
    for name, value in equal.items():
        other = meta.get_field(name)
        conditions.append(f"{qn(other.column)} = %s")
        params.append(other.get_db_prep_value(value, connection))
    selected = ", ".join(qn(meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {selected} FROM {qn(meta.db_table)} WHERE {' AND '.join(conditions)}",
            params,
        )
        return cursor.fetchall()


def ids_among(field, ids: list, connection) -> tuple[str, object]:
    """SQL testing that `field`'s column holds one of `ids`, and its one parameter: an array on
    PostgreSQL (`= ANY`), a JSON list on SQLite (`IN json_each`), so a batch's thousands of ids
    make one parameter, not one placeholder each."""
    prepare = preparer(field, connection)
    values = [prepare(i) for i in ids]
    if connection.vendor == "postgresql":
        return f"= ANY(%s::{field.db_type(connection).split('(', 1)[0]}[])", array_text(values)
    return "IN (SELECT value FROM json_each(%s))", json.dumps(values)


def array_text(values) -> list | str:
    """A column as PostgreSQL array text ('{a,b}') when every value is a UUID, which psycopg
    would otherwise adapt one by one in Python (a third of an import batch's involvements time);
    other columns go as lists."""
    if values and all(isinstance(v, UUID) for v in values):
        return "{" + ",".join(map(str, values)) + "}"
    return list(values)

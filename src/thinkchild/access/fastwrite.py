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


def array_text(values) -> list | str:
    """A column as PostgreSQL array text ('{a,b}') when every value is a UUID, which psycopg
    would otherwise adapt one by one in Python (a third of an import batch's involvements time);
    other columns go as lists."""
    if values and all(isinstance(v, UUID) for v in values):
        return "{" + ",".join(map(str, values)) + "}"
    return list(values)

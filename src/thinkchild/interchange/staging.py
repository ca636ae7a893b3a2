"""Writing a batch's new records with SQL on PostgreSQL (docs/decisions/0012).

A record type that registers a `StagedWriter` has the new records of a batch (no row yet, not a
line coming back out of the quarantine) written set-based on PostgreSQL. The batch has already
done, in Python and for every type alike, what decides a line's fate by its rules: the checks and
their reasons, duplicates, the unchanged, erased keys, references resolved or held. What is left
is writing rows, which is where Python spent most of an incident's time building values one by
one. Here the records go into a temporary table with one COPY:

    interchange_staged (n, line, id, source_system, source_id, digest, rec jsonb, refs jsonb)

`n` is the record's place in the list given, `id` the Think Child id chosen for it in Python,
`rec` the record and `refs` the ids its references resolved to, by field path ("location",
"participants.0.person"). The type's writer then reports what only the database can check (its
reasons worded as its Python upsert words them), those lines leave the table, and the writer
writes its rows with INSERT ... SELECT. The key map rows and the processing log's collection
entries are written here, for every type, from the same table.

SQLite, changed records and lines retried from the quarantine keep the type's `upsert_batch`.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from uuid import UUID

import orjson
from django.db import connection as default_connection

from thinkchild.access.fastwrite import connection_for
from thinkchild.access.log import processing_log_record_from_query
from thinkchild.access.models import Operation
from thinkchild.interchange.bulk import history_copy_where
from thinkchild.interchange.models import SourceRecord
from thinkchild.interchange.records import Item, Reason

STAGED = "interchange_staged"

# A version 7 UUID (time-ordered, as access.ids.record_id gives) made by PostgreSQL 15, which
# has no uuidv7(): a random UUID with its first 48 bits set to the clock in milliseconds and its
# version nibble set to 7 (bits 52 and 53 of a version 4 UUID's 0100).
UUID7_SQL = (
    "encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING "
    "substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) "
    "FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid"
)


@dataclass(frozen=True)
class StagedWriter:
    """How a record type writes its new records from `interchange_staged` (PostgreSQL).

    `problems(cursor, ctx)` gives (n, sort key, Reason) for each problem only the database can
    find; `write(cursor, ctx)` writes the rows of what is left in the table, with their history.
    `log_subject` is whom the processing log's collection entry is about, as SQL over the staged
    row `s`: (subject type, id, label); None for records that are not personal data. `record(item)`
    is the record as staged (as it came, unless the type normalises a value in Python: a postcode,
    a time PostgreSQL might read otherwise). `after(items, ctx)` runs, in Python, after the rows of
    `items` are written (what the type's upsert does after writing, such as a person's area)."""

    write: Callable
    problems: Callable = lambda cursor, ctx: ()
    log_subject: tuple[str, str, str] | None = None
    record: Callable[[Item], dict] = lambda item: item.record
    after: Callable | None = None


def rows_writer(model, columns: dict[str, str], **options) -> StagedWriter:
    """A StagedWriter for a type whose record is one row of `model`: `columns` gives each column
    (by attname, the id aside) as SQL over the staged row `s`, with %(force)s and %(now)s for the
    installation's force and the batch's time."""

    def write(cursor, ctx) -> None:
        staged_rows_insert(cursor, model, columns, ctx)

    return StagedWriter(write=write, **options)


def staged_rows_insert(cursor, model, columns: dict[str, str], ctx) -> None:
    """INSERT a row of `model` for each staged record (its id the record's), then its "+"
    history row."""
    connection = connection_for(model)
    qn = connection.ops.quote_name
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    names = ", ".join(qn(by_attname[name]) for name in ["id", *columns])
    values = ", ".join(["s.id", *columns.values()])
    cursor.execute(
        f"INSERT INTO {qn(model._meta.db_table)} ({names}) "  # noqa: S608 (our own SQL)
        f"SELECT {values} FROM {STAGED} s ORDER BY s.n",
        {"force": getattr(ctx.force, "pk", None), "now": ctx.now},
    )
    staged_history(model, "id", ctx)


def staged_history(model, column: str, ctx) -> None:
    """The "+" history rows of the rows of `model` whose `column` is a staged record's id."""
    if not getattr(model._meta, "simple_history_manager_attribute", None):
        return
    history_copy_where(
        model,
        f"{column} IN (SELECT id FROM {STAGED})",  # noqa: S608 (our own SQL)
        [],
        history_type="+",
        user_id=getattr(ctx.actor, "pk", None),
        date=ctx.now,
        reason=ctx.change_reason,
    )


def temp_table_create(cursor, name: str, columns_or_query: str) -> None:
    """A temporary table for this transaction; dropped first if an earlier pass of the same
    transaction (another record type, a retry) made it."""
    cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{name}")
    cursor.execute(f"CREATE TEMP TABLE {name} {columns_or_query}")


def staged_write(record_type, items: list[Item], ids: list[UUID], ctx) -> dict[int, list[Reason]]:
    """Write `items` (new records of `record_type`, ids chosen) with the type's StagedWriter;
    returns the reasons of those refused, by their place in `items`. Everything else is written:
    rows, history, key map and collection entries in the log."""
    writer: StagedWriter = record_type.staged
    with default_connection.cursor() as cursor:
        temp_table_create(
            cursor,
            STAGED,
            "(n int PRIMARY KEY, line int, id uuid, source_system text, source_id text, "
            "digest text, rec jsonb, refs jsonb) ON COMMIT DROP",
        )
        with (
            default_connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY {STAGED} FROM STDIN") as copy,
        ):
            write = copy.write_row
            for n, (item, object_id) in enumerate(zip(items, ids, strict=True)):
                # orjson writes a UUID as its text itself.
                refs = {path: item.refs[key].object_id for path, key in item.ref_keys or ()}
                write(
                    (
                        n,
                        item.line.number,
                        object_id,
                        item.key.source_system,
                        item.key.source_id,
                        item.digest,
                        orjson.dumps(writer.record(item)).decode(),
                        orjson.dumps(refs).decode(),
                    )
                )
        problems = _problems_collect(writer.problems(cursor, ctx))
        if problems:
            cursor.execute(f"DELETE FROM {STAGED} WHERE n = ANY(%s)", [list(problems)])  # noqa: S608
        if len(problems) < len(items):
            writer.write(cursor, ctx)
            _key_map_write(cursor, record_type.name, ctx)
            if writer.log_subject is not None:
                subject_type, subject_id, label = writer.log_subject
                processing_log_record_from_query(
                    operation=Operation.COLLECTION,
                    actor=ctx.actor,
                    query=(
                        f"SELECT {UUID7_SQL}, %s, {subject_id}, left({label}, 200) "  # noqa: S608
                        f"FROM {STAGED} s ORDER BY s.n"
                    ),
                    params=[subject_type],
                    detail={"import_run": str(ctx.run.pk)},
                )
            if writer.after is not None:
                writer.after([item for n, item in enumerate(items) if n not in problems], ctx)
    return problems


def _problems_collect(found: Iterable[tuple[int, object, Reason]]) -> dict[int, list[Reason]]:
    by_line: dict[int, list[tuple[object, Reason]]] = defaultdict(list)
    for n, order, reason in found:
        by_line[n].append((order, reason))
    return {n: [r for _, r in sorted(found, key=lambda f: f[0])] for n, found in by_line.items()}


def _key_map_write(cursor, type_name: str, ctx) -> None:
    """The key-map rows of what was written, as Batch._save_source_records writes a new one."""
    connection = connection_for(SourceRecord)
    qn = connection.ops.quote_name
    meta = SourceRecord._meta
    columns = ", ".join(
        qn(meta.get_field(name).column)
        for name in (
            "record_type",
            "source_system",
            "source_id",
            "object_id",
            "digest",
            "first_seen_run",
            "last_seen_run",
            "last_seen_line",
            "updated_at",
        )
    )
    cursor.execute(
        f"INSERT INTO {qn(meta.db_table)} ({columns}) "  # noqa: S608 (names from the model)
        f"SELECT %s, source_system, source_id, id, digest, %s, %s, line, %s FROM {STAGED} "
        "ORDER BY n",
        [type_name, ctx.run.pk, ctx.run.pk, ctx.now],
    )

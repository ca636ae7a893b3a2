"""Writing the s.62 processing log. Services and selectors call these; nothing else writes it."""

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.utils import timezone

from thinkchild.access.context import access_context
from thinkchild.access.fastwrite import array_text, connection_for, preparer, values_insert
from thinkchild.access.ids import record_id
from thinkchild.access.models import Operation, ProcessingLogEntry


@dataclass(frozen=True)
class Subject:
    """What a log entry is about: a record kind, its id and a label a reader recognises."""

    type: str
    id: UUID
    label: str = ""


def _actor_label(actor) -> str:
    if actor is None:
        return "system"
    return getattr(actor, "display_name", "") or str(actor)


def processing_log_record(
    *,
    operation: Operation,
    actor,
    subject: Subject,
    justification: str = "",
    out_of_scope: bool = False,
    recipient: str = "",
    detail: dict | None = None,
) -> ProcessingLogEntry:
    ctx = access_context()
    if operation in (Operation.CONSULTATION, Operation.DISCLOSURE) and not justification:
        # s.62(3)-(4): consultation and disclosure logs must show the justification.
        raise ValueError(f"A {operation} must be logged with its justification.")
    return ProcessingLogEntry.objects.create(
        occurred_at=timezone.now(),
        operation=operation,
        channel=ctx.channel,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor),
        subject_type=subject.type,
        subject_id=subject.id,
        subject_label=subject.label[:200],
        justification=justification,
        out_of_scope=out_of_scope,
        recipient=recipient or (ctx.recipient if operation == Operation.DISCLOSURE else ""),
        request_id=ctx.request_id,
        source_ip=ctx.source_ip,
        detail=detail or {},
    )


def processing_log_record_many(
    *,
    operation: Operation,
    actor,
    subjects: Iterable[Subject],
    justification: str = "",
    recipient: str = "",
    detail: dict | None = None,
    batch_size: int = 2000,
) -> int:
    """Log one operation over many subjects in one insert (imports, exports, search results).

    An import logs every record it writes, so the entries go in as prepared values (COPY on
    PostgreSQL) rather than through bulk_create, which cost more than the records themselves.
    The values are those ProcessingLogEntry would save; `batch_size` is kept for callers.
    """
    connection, fields, order, shared = _shared_values(
        operation, actor, justification, recipient, detail
    )
    if connection.vendor == "postgresql":
        return _entries_insert_from_arrays(connection, fields, order, shared, subjects)
    prep_id, prep_subject = (
        preparer(fields["id"], connection),
        preparer(fields["subject_id"], connection),
    )
    head = order.index("subject_type")
    before, after = [shared[n] for n in order[1:head]], [shared[n] for n in order[head + 3 :]]
    rows = [
        (prep_id(record_id()), *before, s.type, prep_subject(s.id), s.label[:200], *after)
        for s in subjects
    ]
    values_insert(ProcessingLogEntry, [fields[n] for n in order], rows)
    return len(rows)


def processing_log_record_from_query(
    *, operation: Operation, actor, query: str, params: list, detail: dict | None = None
) -> int:
    """PostgreSQL: log one operation over the subjects a query gives, as processing_log_record_many
    would log them: `query` selects (id, subject_type, subject_id, subject_label) for each entry
    (an import's staged records, interchange.staging), the other values are the same for all."""
    connection, fields, order, shared = _shared_values(operation, actor, "", "", detail)
    return _entries_insert(connection, fields, order, shared, f"({query})", params)


def _shared_values(operation, actor, justification, recipient, detail):
    """(connection, fields by name, column order, the prepared values shared by every entry)."""
    ctx = access_context()
    if operation in (Operation.CONSULTATION, Operation.DISCLOSURE) and not justification:
        raise ValueError(f"A {operation} must be logged with its justification.")
    connection = connection_for(ProcessingLogEntry)
    fields = {f.name: f for f in ProcessingLogEntry._meta.concrete_fields}
    # The same for every entry: prepared once.
    shared = {
        "occurred_at": timezone.now(),
        "operation": str(operation),
        "channel": str(ctx.channel),
        "actor": getattr(actor, "pk", None),
        "actor_label": _actor_label(actor),
        "justification": justification,
        "out_of_scope": False,
        "recipient": recipient or (ctx.recipient if operation == Operation.DISCLOSURE else ""),
        "request_id": ctx.request_id,
        "source_ip": ctx.source_ip or None,
        "detail": detail or {},
    }
    shared = {name: preparer(fields[name], connection)(value) for name, value in shared.items()}
    order = list(fields)
    head = order.index("subject_type")
    if (
        order[head : head + 3] != ["subject_type", "subject_id", "subject_label"]
        or order[0] != "id"
    ):
        raise RuntimeError("ProcessingLogEntry's columns moved: update processing_log_record_many")
    return connection, fields, order, shared


_PER_ENTRY = ("id", "subject_type", "subject_id", "subject_label")


def _entries_insert_from_arrays(connection, fields: dict, order: list, shared: dict, subjects):
    """PostgreSQL: one INSERT ... SELECT from unnest() of the four columns that differ between the
    entries, the others given once. An import logs several entries per record; sending each
    entry's fifteen values through COPY cost more Python than the record they are about."""
    subjects = list(subjects)
    if not subjects:
        return 0
    columns = {
        "id": array_text([record_id() for _ in subjects]),
        "subject_type": [s.type for s in subjects],
        "subject_id": array_text([s.id for s in subjects]),
        "subject_label": [s.label[:200] for s in subjects],
    }
    arrays = ", ".join(f"%s::{fields[n].db_type(connection)}[]" for n in _PER_ENTRY)
    _entries_insert(
        connection, fields, order, shared, f"unnest({arrays})", [columns[n] for n in _PER_ENTRY]
    )
    return len(subjects)


def _entries_insert(connection, fields, order, shared, source: str, source_params: list) -> int:
    """INSERT ... SELECT the entries: the four columns that differ from `source` (SQL giving
    them, in _PER_ENTRY's order), the others given once as parameters."""
    qn = connection.ops.quote_name
    select = ", ".join(
        f"e.{n}" if n in _PER_ENTRY else f"%s::{fields[n].db_type(connection)}" for n in order
    )
    table = qn(ProcessingLogEntry._meta.db_table)
    names = ", ".join(qn(fields[n].column) for n in order)
    # Names come from the model, never from input; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({names}) "  # noqa: S608
        f"SELECT {select} FROM {source} AS e({', '.join(_PER_ENTRY)})"
    )
    params = [shared[n] for n in order if n not in _PER_ENTRY] + source_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def records_read_log(
    *, user, subjects: list[Subject], justification: str, out_of_scope: bool = False
) -> None:
    """The reads of a page or a list: a consultation by a person, a disclosure to a system
    account (s.62(1)(d)); one entry for each record, those of a list in one insert."""
    from thinkchild.org.models import Role

    if user.role == Role.SYSTEM_ACCOUNT:
        operation, recipient = Operation.DISCLOSURE, user.username
    else:
        operation, recipient = Operation.CONSULTATION, ""
    if out_of_scope or len(subjects) == 1:
        # processing_log_record_many writes in-scope entries only; these are few.
        for subject in subjects:
            processing_log_record(
                operation=operation,
                actor=user,
                subject=subject,
                justification=justification,
                out_of_scope=out_of_scope,
                recipient=recipient,
            )
    elif subjects:
        processing_log_record_many(
            operation=operation,
            actor=user,
            subjects=subjects,
            justification=justification,
            recipient=recipient,
        )

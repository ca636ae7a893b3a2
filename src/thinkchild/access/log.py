"""Writing the s.62 processing log. Services and selectors call these; nothing else writes it."""

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.utils import timezone

from thinkchild.access.context import access_context
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
    """Log one operation over many subjects in one insert (imports, exports, search results)."""
    ctx = access_context()
    if operation in (Operation.CONSULTATION, Operation.DISCLOSURE) and not justification:
        raise ValueError(f"A {operation} must be logged with its justification.")
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    label = _actor_label(actor)
    entries = [
        ProcessingLogEntry(
            occurred_at=now,
            operation=operation,
            channel=ctx.channel,
            actor_id=actor_id,
            actor_label=label,
            subject_type=s.type,
            subject_id=s.id,
            subject_label=s.label[:200],
            justification=justification,
            recipient=recipient or (ctx.recipient if operation == Operation.DISCLOSURE else ""),
            request_id=ctx.request_id,
            source_ip=ctx.source_ip,
            detail=detail or {},
        )
        for s in subjects
    ]
    ProcessingLogEntry.objects.bulk_create(entries, batch_size=batch_size)
    return len(entries)

"""Reads of the quarantine and the import runs, for the people whose role lets them fix imports.

A quarantined line holds personal data as received, so opening one is logged as a consultation.
"""

from uuid import UUID

from django.core.paginator import Page, Paginator

from thinkchild.access.log import Subject, processing_log_record
from thinkchild.access.models import Operation
from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.access.scope import AccessDenied
from thinkchild.interchange.models import OPEN_STATUSES, ImportRun, QuarantinedRecord

PAGE_SIZE = 50


def _may_view(user) -> None:
    if not user.is_authenticated or not role_can(user.role, RecordKind.QUARANTINE, Action.VIEW):
        raise AccessDenied(
            "Your role cannot open the import quarantine.", kind=RecordKind.QUARANTINE
        )


def quarantine_list(
    *,
    user,
    status: str | None = None,  # None: the open ones (rejected or held); "all": every one
    record_type: str | None = None,
    run_id: UUID | None = None,
    page: int | str = 1,
) -> Page:
    _may_view(user)
    entries = QuarantinedRecord.objects.select_related("run").defer(
        "raw", "raw_bytes_hex", "record"
    )
    if status is None:
        entries = entries.filter(status__in=OPEN_STATUSES)
    elif status != "all":
        entries = entries.filter(status=status)
    if record_type:
        entries = entries.filter(record_type=record_type)
    if run_id:
        entries = entries.filter(run_id=run_id)
    return Paginator(entries.order_by("-created_at", "line_number"), PAGE_SIZE).get_page(page)


def quarantine_record_types(*, user) -> list[str]:
    _may_view(user)
    return sorted(
        t for t in QuarantinedRecord.objects.values_list("record_type", flat=True).distinct() if t
    )


def quarantine_get(*, user, entry_id: UUID) -> QuarantinedRecord:
    """One quarantined line with every reason; logged as a consultation of what it holds."""
    _may_view(user)
    entry = QuarantinedRecord.objects.select_related("run", "resolved_by").get(pk=entry_id)
    processing_log_record(
        operation=Operation.CONSULTATION,
        actor=user,
        subject=Subject(
            type="quarantined_record",
            id=entry.pk,
            label=f"{entry.record_type or 'line'} {entry.source_system}/{entry.source_id}",
        ),
        justification=f"Reviewing the import quarantine ({user.get_role_display()})",
    )
    return entry


def import_run_list(*, user, page: int | str = 1) -> Page:
    _may_view(user)
    runs = ImportRun.objects.select_related("actor").order_by("-started_at")
    return Paginator(runs, PAGE_SIZE).get_page(page)

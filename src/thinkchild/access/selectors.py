"""Reading the processing log: for the PPU lead's page and its export."""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone

from thinkchild.access.models import ProcessingLogEntry
from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.access.scope import AccessDenied


@dataclass(frozen=True)
class ProcessingLogQuery:
    subject_type: str = ""
    subject_id: UUID | None = None
    actor: str = ""
    operation: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def processing_log_viewable_by(user) -> bool:
    return user.is_authenticated and role_can(
        user.role, RecordKind.PROCESSING_LOG, Action.VIEW_PROCESSING_LOG
    )


def _start_of(day: dt.date) -> dt.datetime:
    # Dates are the force's local days (Europe/London), not UTC days.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def processing_log_search(*, user, query: ProcessingLogQuery) -> QuerySet[ProcessingLogEntry]:
    """Entries matching the filters, newest first. Only roles that may read the log get any."""
    if not processing_log_viewable_by(user):
        raise AccessDenied(
            "Only the roles that oversee lawful processing can read the processing log.",
            kind=RecordKind.PROCESSING_LOG,
        )
    entries = ProcessingLogEntry.objects.select_related("actor")
    if query.subject_id:
        entries = entries.filter(subject_id=query.subject_id)
        if query.subject_type:
            entries = entries.filter(subject_type=query.subject_type)
    if query.actor:
        entries = entries.filter(
            Q(actor__username__iexact=query.actor)
            | Q(actor__collar_number__iexact=query.actor)
            | Q(actor_label__icontains=query.actor)
        )
    if query.operation:
        entries = entries.filter(operation=query.operation)
    if query.date_from:
        entries = entries.filter(occurred_at__gte=_start_of(query.date_from))
    if query.date_to:
        entries = entries.filter(occurred_at__lt=_start_of(query.date_to + dt.timedelta(days=1)))
    return entries.order_by("-occurred_at", "-id")


def processing_log_subject_label(*, subject_type: str, subject_id: UUID) -> str:
    """The label the log last gave this record (the page heading for "who looked at this child")."""
    entry = (
        ProcessingLogEntry.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .exclude(subject_label="")
        .order_by("-occurred_at")
        .values_list("subject_label", flat=True)
        .first()
    )
    return entry or ""

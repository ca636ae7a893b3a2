"""Exporting the processing log. The export is itself logged: it discloses who the log is about."""

from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from thinkchild.access.log import Subject, processing_log_record_many
from thinkchild.access.models import Operation
from thinkchild.access.selectors import ProcessingLogQuery, processing_log_search

EXPORT_COLUMNS = [
    "occurred_at",
    "operation",
    "channel",
    "actor",
    "actor_username",
    "subject_type",
    "subject_id",
    "subject_label",
    "justification",
    "out_of_scope",
    "recipient",
    "request_id",
    "source_ip",
]
# An export is for one child, one user or one period: the whole log belongs in a database dump
# taken under the force's own procedures, not in a spreadsheet.
EXPORT_MAX_ROWS = 100_000
EXPORT_JUSTIFICATION = (
    "Export of the processing log to verify lawful processing and for self-monitoring "
    "(Data Protection Act 2018 s.62(4))"
)


class ExportTooLarge(ValueError):
    pass


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula (justifications are free text)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


@transaction.atomic
def processing_log_export(*, user, query: ProcessingLogQuery) -> Iterator[list[str]]:
    """Rows (header first) of the filtered log, after logging a disclosure of each subject in it."""
    cutoff = timezone.now()
    entries = processing_log_search(user=user, query=query).filter(occurred_at__lte=cutoff)
    count = entries.count()
    if count > EXPORT_MAX_ROWS:
        raise ExportTooLarge(
            f"These filters match {count:,} entries; an export can hold {EXPORT_MAX_ROWS:,}. "
            "Narrow them to a record, a user or a shorter period."
        )
    subjects = {
        (row["subject_type"], row["subject_id"]): row["subject_label"]
        for row in entries.order_by().values("subject_type", "subject_id", "subject_label")
    }
    processing_log_record_many(
        operation=Operation.DISCLOSURE,
        actor=user,
        subjects=[Subject(type=t, id=i, label=label) for (t, i), label in subjects.items()],
        justification=EXPORT_JUSTIFICATION,
        recipient=user.display_name,
        detail={"export": "processing_log", "rows": count},
    )
    return _rows(entries)


def _rows(entries) -> Iterator[list[str]]:
    yield EXPORT_COLUMNS
    for entry in entries.iterator(chunk_size=2000):
        yield [
            _cell(v)
            for v in (
                timezone.localtime(entry.occurred_at).isoformat(),
                entry.operation,
                entry.channel,
                entry.actor_label,
                entry.actor.username if entry.actor else "",
                entry.subject_type,
                entry.subject_id,
                entry.subject_label,
                entry.justification,
                "yes" if entry.out_of_scope else "no",
                entry.recipient,
                entry.request_id,
                entry.source_ip,
            )
        ]

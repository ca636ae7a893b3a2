"""Every write of the interchange app: imports, held-record retries, quarantine fixes, exports."""

import sys
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from uuid import UUID

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from tqdm import tqdm

from thinkchild.access.context import access_context, acting_through
from thinkchild.access.models import Channel
from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.access.scope import AccessDenied
from thinkchild.interchange.exporting import export_records
from thinkchild.interchange.models import (
    ImportRun,
    QuarantinedRecord,
    QuarantineStatus,
    RunStatus,
    SourceRecord,
)
from thinkchild.interchange.pipeline import (
    BATCH_SIZE,
    Counts,
    DatabaseNotReady,
    Importer,
    Interrupted,
)
from thinkchild.interchange.readers.csvfile import Mapping, MappingError, csv_lines, mapping_load
from thinkchild.interchange.readers.jsonl import jsonl_lines, line_parse, text_lines
from thinkchild.interchange.records import Line
from thinkchild.interchange.registry import record_types_finish
from thinkchild.interchange.statistics import PlannerStatistics, database_statistics_refresh
from thinkchild.interchange.workers import WorkerPool, workers_default, workers_possible

# export_records lives in exporting.py; it is re-exported so every entry point is here.
__all__ = [
    "DatabaseNotReady",
    "database_statistics_refresh",
    "export_records",
    "held_records_retry",
    "import_files",
    "import_lines",
    "quarantine_discard",
    "quarantine_reprocess",
    "source_records_mark_erased",
]


# The counts each batch adds to its run (Importer._counts_save); total_lines is the reader's.
_BATCH_COUNTS = ("accepted", "unchanged", "rejected", "held", "released")


class InputUnreadable(Exception):
    """Nothing was imported: a file is missing or unreadable, or the CSV mapping does not fit."""


class ImportInterrupted(Exception):
    def __init__(self, summary: "ImportSummary"):
        super().__init__("import interrupted")
        self.summary = summary


@dataclass
class ImportSummary:
    accepted: int = 0
    unchanged: int = 0
    rejected: int = 0
    held: int = 0
    released: int = 0
    total_lines: int = 0
    run_ids: list[UUID] = field(default_factory=list)
    source_name: str = ""
    # Processes that wrote the batches (1: this one; see workers.py).
    workers: int = 1
    # For the API's answer: [{"line": n, "reasons": [...]}] of the rejected and held lines.
    rejections: list[dict] = field(default_factory=list)

    def add(self, counts: Counts) -> None:
        for name in ("accepted", "unchanged", "rejected", "held", "released", "total_lines"):
            setattr(self, name, getattr(self, name) + getattr(counts, name))

    @property
    def run_id(self) -> UUID | None:
        return self.run_ids[-1] if self.run_ids else None

    @property
    def records(self) -> int:
        return self.accepted + self.unchanged + self.rejected + self.held

    @property
    def all_accepted(self) -> bool:
        return not self.rejected and not self.held


def _run_start(*, source_name: str, actor, channel: str) -> ImportRun:
    return ImportRun.objects.create(
        source_name=source_name[:300],
        channel=channel,
        actor=actor if getattr(actor, "pk", None) else None,
        started_at=timezone.now(),
    )


def _run_finish(run: ImportRun, counts: Counts, status: str) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        status=status, finished_at=timezone.now(), **vars(counts)
    )


def _readable(paths: list[Path]) -> None:
    for path in paths:
        if not path.exists():
            raise InputUnreadable(f"{path}: no such file")
        if path.is_dir():
            raise InputUnreadable(f"{path} is a directory, not a file")
        try:
            with path.open("rb") as f:
                f.read(1)
        except OSError as error:
            raise InputUnreadable(f"{path}: cannot be read ({error.strerror})") from error


def _lines_of(path: Path, stream: BinaryIO, mapping: Mapping | None, system: str, on_bytes):
    if mapping is not None:
        return csv_lines(stream, mapping, name=path.name, default_system=system, on_bytes=on_bytes)
    return jsonl_lines(stream, on_bytes)


def import_files(
    *,
    paths: Iterable[str | Path],
    actor=None,
    mapping: str | Path | Mapping | None = None,
    progress: bool = True,
    source_system: str = "",
    batch_size: int = BATCH_SIZE,
    stop_requested: Callable[[], bool] = lambda: False,
    statistics_after: int = 10_000,
    workers: int | None = None,
) -> ImportSummary:
    """Import JSON Lines files (or CSV files with a column mapping), one run per file, then retry
    the held records. Raises InputUnreadable before anything is written if any input is unusable,
    and ImportInterrupted (after finishing the current batch) when `stop_requested()` says so.

    `workers` processes write the batches of a file side by side on PostgreSQL (workers.py; by
    default one per core, up to four); 1, or SQLite, writes them one after another here."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputUnreadable("no file to import")
    _readable(paths)
    if mapping is None and any(p.suffix.lower() == ".csv" for p in paths):
        raise InputUnreadable("a CSV file needs a column mapping: give one with --mapping")
    if mapping is not None and not isinstance(mapping, Mapping):
        try:
            mapping = mapping_load(mapping)
        except MappingError as error:
            raise InputUnreadable(str(error)) from error
    summary = ImportSummary(source_name=paths[0].name if len(paths) == 1 else f"{len(paths)} files")
    total = sum(p.stat().st_size for p in paths)
    with ExitStack() as stack:
        stack.enter_context(acting_through(Channel.IMPORT))
        bar = stack.enter_context(
            tqdm(total=total, unit="B", unit_scale=True, disable=not progress, file=sys.stderr)
        )
        counts_by_run: dict[UUID, Counts] = {}
        statistics = PlannerStatistics(after=statistics_after)
        workers = workers_default() if workers is None else workers
        pool = WorkerPool(workers) if workers > 1 and workers_possible() else None
        if pool is not None:
            stack.callback(pool.close)

        def finish(last_status: str) -> None:
            # No batch may commit after the counts are read: workers still writing are stopped.
            if pool is not None:
                pool.close()
            # Every file's run is finished at the end: the retry may still release its records.
            # Each batch added its counts to its run's row in its own transaction, so the row
            # holds those of every batch committed, whichever process wrote it; only the lines
            # read are counted here alone.
            for run_id, counts in counts_by_run.items():
                status = last_status if run_id == summary.run_id else RunStatus.COMPLETED
                run = ImportRun.objects.filter(pk=run_id)
                run.update(
                    status=status, finished_at=timezone.now(), total_lines=counts.total_lines
                )
                saved = run.values(*_BATCH_COUNTS).get()
                summary.add(Counts(**saved, total_lines=counts.total_lines))

        try:
            for path in paths:
                run = _run_start(source_name=str(path), actor=actor, channel=Channel.IMPORT)
                summary.run_ids.append(run.pk)
                importer = Importer(
                    run=run,
                    actor=actor,
                    default_system=source_system,
                    batch_size=batch_size,
                    stop_requested=stop_requested,
                    statistics=statistics,
                    pool=pool,
                )
                counts_by_run[run.pk] = importer.counts
                with path.open("rb") as stream:
                    importer.add_all(_lines_of(path, stream, mapping, source_system, bar.update))
                    # Every batch of a file is written before the next file, which may refer to it.
                    importer.drain()
            # Held records wait for records that may have come in any of the files.
            _held_retry(importer, counts_by_run)
            record_types_finish()
            statistics.finish()
        except MappingError as error:
            finish(RunStatus.FAILED)
            raise InputUnreadable(str(error)) from error
        except Interrupted:
            record_types_finish()
            statistics.finish()
            finish(RunStatus.INTERRUPTED)
            raise ImportInterrupted(summary) from None
        except BaseException:
            finish(RunStatus.FAILED)
            raise
        finish(RunStatus.COMPLETED)
        if pool is not None and pool.started:
            summary.workers = workers
    return summary


def import_lines(
    *, lines: Iterable[str | bytes], source_name: str, actor, channel: str = Channel.API
) -> ImportSummary:
    """Import canonical lines that arrived as text (the API). Same checks, same quarantine."""
    run = _run_start(source_name=source_name, actor=actor, channel=channel)
    with acting_through(channel):
        importer = Importer(run=run, actor=actor)
        importer.keep_rejections = True
        try:
            importer.add_all(text_lines(lines))
            importer.flush()
            _held_retry(importer)
            record_types_finish()
        except BaseException:
            _run_finish(run, importer.counts, RunStatus.FAILED)
            raise
        _run_finish(run, importer.counts, RunStatus.COMPLETED)
    summary = ImportSummary(source_name=source_name, run_ids=[run.pk])
    summary.add(importer.counts)
    summary.rejections = [
        {
            "line": r.line.number,
            "status": str(r.status),
            "reasons": [reason.as_dict() for reason in r.reasons],
        }
        for r in importer.all_rejections
        if r.line.entry is None
    ]
    return summary


def _entry_line(entry: QuarantinedRecord) -> Line:
    raw = entry.raw
    return Line(
        number=entry.line_number,
        raw=raw,
        raw_bytes=raw.encode("utf-8"),
        record=dict(entry.record) if isinstance(entry.record, dict) else None,
        entry=entry,
    )


def _held_retry(importer: Importer, counts_by_run: dict | None = None) -> None:
    """Retry every held record, pass after pass while passes release some (a held person can
    release a held incident)."""
    retry = Importer(
        run=importer.run,
        actor=importer.actor,
        batch_size=importer.batch_size,
        file_checks=False,
        counts_by_run={**(counts_by_run or {}), importer.run.pk: importer.counts},
    )
    retry.counts = importer.counts
    retry.keep_rejections = False
    held = QuarantinedRecord.objects.filter(status=QuarantineStatus.HELD)
    while True:
        before = held.count()
        if not before:
            return
        # Oldest first, a batch at a time, paged by key so memory stays bounded.
        page = held.order_by("created_at", "line_number", "pk")
        while chunk := list(page[: retry.batch_size]):
            for entry in chunk:
                retry.add(_entry_line(entry))
            retry.flush()
            last = chunk[-1]
            page = held.order_by("created_at", "line_number", "pk").filter(
                Q(created_at__gt=last.created_at)
                | Q(created_at=last.created_at, line_number__gt=last.line_number)
                | Q(created_at=last.created_at, line_number=last.line_number, pk__gt=last.pk)
            )
        if held.count() >= before:
            return


def held_records_retry(*, actor=None) -> ImportSummary:
    """Retry the held records on their own (the periodic task): a run of its own, channel task."""
    with acting_through(Channel.TASK):
        run = _run_start(source_name="held records retry", actor=actor, channel=Channel.TASK)
        importer = Importer(run=run, actor=actor)
        _held_retry(importer)
        record_types_finish()
        _run_finish(run, importer.counts, RunStatus.COMPLETED)
    summary = ImportSummary(source_name=run.source_name, run_ids=[run.pk])
    summary.add(importer.counts)
    return summary


def _may_fix_quarantine(user) -> None:
    if not role_can(user.role, RecordKind.QUARANTINE, Action.RECORD):
        raise AccessDenied("Your role cannot change quarantined records.")


def quarantine_reprocess(*, user, entry: QuarantinedRecord, raw: str) -> QuarantinedRecord:
    """Import a quarantined line again, as the user corrected it. Returns the entry: resolved, or
    still open with the reasons found this time."""
    _may_fix_quarantine(user)
    if not entry.is_open:
        raise ValueError("This record has already been dealt with.")
    run = _run_start(
        source_name=f"quarantine: line {entry.line_number} of run {entry.run.short_id}",
        actor=user,
        channel=access_context().channel,
    )
    line = line_parse(entry.line_number, raw.strip().encode("utf-8"))
    line.entry = entry
    importer = Importer(run=run, actor=user, file_checks=False)
    importer.add(line)
    importer.flush()
    record_types_finish()
    _run_finish(run, importer.counts, RunStatus.COMPLETED)
    entry.refresh_from_db()
    return entry


def source_records_mark_erased(*, objects: dict[str, Iterable[UUID]]) -> int:
    """Mark the keys of lawfully erased records (record type -> ids of the rows they became): the
    key stays, so the source sending the record again is refused rather than bringing the person
    back, but the digest of what the record held goes, and so do the lines the quarantine kept
    for those keys. Runs in the erasure's transaction."""
    marked = 0
    now = timezone.now()
    for record_type, ids in objects.items():
        ids = list(ids)
        if not ids:
            continue
        keys = SourceRecord.objects.filter(record_type=record_type, object_id__any_of=ids)
        marked += keys.update(erased_at=now, digest="")
        # What the quarantine kept of these records' lines (a rejected or held version) goes too.
        for system, source_id in keys.values_list("source_system", "source_id"):
            QuarantinedRecord.objects.filter(
                record_type=record_type, source_system=system, source_id=source_id
            ).update(raw="", raw_bytes_hex="", record=None)
    return marked


@transaction.atomic
def quarantine_discard(*, user, entry: QuarantinedRecord) -> QuarantinedRecord:
    """Close an entry that should not be imported at all (kept, marked discarded, by whom)."""
    _may_fix_quarantine(user)
    if not entry.is_open:
        raise ValueError("This record has already been dealt with.")
    entry.status = QuarantineStatus.DISCARDED
    entry.resolved_at = timezone.now()
    entry.resolved_by = user
    entry.save(update_fields=["status", "resolved_at", "resolved_by"])
    return entry

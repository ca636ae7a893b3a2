"""One batch of an import, in one transaction: check, skip the unchanged, resolve, write, log.

Per batch: check every line, skip what is unchanged (digest), then per record type in dependency
order resolve references with one query per type, write with bulk queries, and record the key map,
the processing log and the quarantine. The caller (pipeline.Importer) holds the transaction.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import DatabaseError, connection
from django.utils import timezone

from thinkchild.access.fastwrite import rows_among
from thinkchild.access.ids import record_id
from thinkchild.access.log import Subject, processing_log_record_many
from thinkchild.access.models import Operation
from thinkchild.interchange.bulk import rows_insert, rows_update
from thinkchild.interchange.models import (
    OPEN_STATUSES,
    QuarantinedRecord,
    QuarantineStatus,
    SourceRecord,
)
from thinkchild.interchange.records import (
    Item,
    Key,
    Line,
    Outcome,
    Reason,
    Resolved,
    record_digest,
    ref_key,
)
from thinkchild.interchange.registry import RecordType, record_type_get, record_type_names_in_order
from thinkchild.interchange.staging import staged_write
from thinkchild.interchange.validation import envelope_check, record_check
from thinkchild.interchange.writing import NO_FORCE, UpsertContext

if TYPE_CHECKING:
    from thinkchild.interchange.pipeline import Importer


class SeenMeanwhile(DatabaseError):
    """A key of the batch was written by another batch of the same run, committed meanwhile."""


# A reference to one of these links personal records: logged as a COMBINATION (s.62(1)(e)).
COMBINED_TYPES = {"person"}


@dataclass(slots=True)
class Source:
    """A key-map row (SourceRecord) as the batch reads and writes it: plain attributes named as the
    model's columns, so bulk.rows_insert/rows_update take it without a model instance per record."""

    record_type: str
    source_system: str
    source_id: str
    object_id: UUID | None = None
    digest: str = ""
    first_seen_run_id: UUID | None = None
    last_seen_run_id: UUID | None = None
    last_seen_line: int | None = None
    updated_at: datetime | None = None
    id: int | None = None
    erased_at: datetime | None = None

    @property
    def pk(self) -> int | None:
        return self.id


_SOURCE_COLUMNS = (
    "id",
    "object_id",
    "digest",
    "first_seen_run_id",
    "last_seen_run_id",
    "last_seen_line",
    "updated_at",
    "erased_at",
)


@dataclass
class Rejection:
    line: Line
    reasons: list[Reason]
    status: str = QuarantineStatus.REJECTED
    key: Key | None = None
    record: dict | None = None
    waiting_for: list | None = None
    # The quarantine keeps the key and the reasons only, not the line (an erased person's data).
    redact: bool = False


def source_rows(type_name: str, system: str, ids: list[str], columns) -> Iterable[tuple]:
    """(source_id, *columns) of the key-map rows of these source ids (the ids as one array
    parameter on PostgreSQL: access.fastwrite.rows_among)."""
    return rows_among(
        SourceRecord,
        ["source_id", *columns],
        "source_id",
        ids,
        record_type=type_name,
        source_system=system,
    )


def line_check(line: Line, default_system: str) -> tuple:
    """The checks of a parsed line that need no database: (record type, key, reasons, digest)."""
    record = line.record
    record_type, reasons = envelope_check(record, default_system=default_system)
    key = None
    if record_type is not None:
        key = Key(record_type.name, str(record["source_system"]), str(record["source_id"]))
        reasons = record_check(record_type, record)
    return record_type, key, reasons, (None if reasons else record_digest(record))


def ref_fields(record_type: RecordType, record: dict) -> Iterator[tuple[str, str, object]]:
    """(field path, referenced type, reference value) for every reference the record makes."""
    for list_name, sub, referenced in _reference_paths(record_type):
        if sub is None:
            value = record.get(list_name)
            if value is not None and value != "":
                yield list_name, referenced, value
            continue
        for i, entry in enumerate(record.get(list_name) or ()):
            if isinstance(entry, dict):
                value = entry.get(sub)
                if value is not None and value != "":
                    yield f"{list_name}.{i}.{sub}", referenced, value


@cache
def _reference_paths(record_type: RecordType) -> tuple[tuple[str, str | None, str], ...]:
    """(field, sub-field or None, referenced type) of each reference path ("participants[].person"
    is ("participants", "person", "person")), split once per record type."""
    paths = []
    for ref in record_type.references:
        name, _, sub = ref.path.partition("[].")
        paths.append((name, sub or None, ref.record_type))
    return tuple(paths)


class Batch:
    def __init__(self, importer: "Importer", lines: list[Line]):
        self.imp = importer
        self.run = importer.run
        self.lines = lines
        self.now = timezone.now()
        self.rejections: list[Rejection] = []
        self.outcomes: list[Outcome] = []
        # Items written set-based (interchange.staging): key map and log written with them.
        self.staged: list[Item] = []
        self.sources_new: list[Source] = []
        self.sources_seen: list[Source] = []
        self.existing: dict[Key, Source] = {}
        self.resolved_here: dict[Key, Resolved] = {}
        self.combined_logged: set = set()
        # References to records lawfully erased (Batch._resolve), with when.
        self.erased_refs: dict[Key, datetime] = {}

    # -- the steps ------------------------------------------------------------------------------

    def process(self) -> None:
        items = self._check_lines()
        items = self._skip_known(items)
        self._write(items)
        self._save_source_records()
        self._log()
        self._quarantine()

    def _check_lines(self) -> list[Item]:
        items: list[Item] = []
        seen: dict[Key, int] = {}
        for line in self.lines:
            if line.reasons or line.record is None:
                self._reject(Rejection(line, line.reasons))
                continue
            record = line.record
            record_type, key, reasons, digest = line_check(line, self.imp.default_system)
            if reasons:
                self._reject(Rejection(line, reasons, key=key, record=record))
                continue
            if key in seen:
                dup = Reason("source_id", f"duplicate of line {seen[key]}")
                self._reject(Rejection(line, [dup], key=key, record=record))
                continue
            seen[key] = line.number
            items.append(Item(line, record_type, record, key, digest))
        return items

    def _skip_known(self, items: list[Item]) -> list[Item]:
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for item in items:
            groups[item.key.record_type, item.key.source_system].append(item.key.source_id)
        held_lines: dict[Key, int] = {}
        for (type_name, system), ids in groups.items():
            for source_id, *values in source_rows(type_name, system, ids, _SOURCE_COLUMNS):
                self.existing[Key(type_name, system, source_id)] = Source(
                    type_name, system, source_id, **dict(zip(_SOURCE_COLUMNS, values, strict=True))
                )
            if self.imp.file_checks and (self.imp.counts.held or self.imp.in_worker):
                # Only a run that has held lines can hold an earlier copy of one of these.
                for source_id, number in QuarantinedRecord.objects.filter(
                    run=self.run,
                    status=QuarantineStatus.HELD,
                    record_type=type_name,
                    source_system=system,
                    source_id__any_of=ids,
                ).values_list("source_id", "line_number"):
                    held_lines[Key(type_name, system, source_id)] = number
        remaining = []
        for item in items:
            source = self.existing.get(item.key)
            earlier = held_lines.get(item.key)
            if source and self.imp.file_checks and source.last_seen_run_id == self.run.pk:
                earlier = source.last_seen_line
            if earlier is not None:
                dup = Reason("source_id", f"duplicate of line {earlier}")
                self._reject(Rejection(item.line, [dup], key=item.key, record=item.record))
            elif source and source.erased_at:
                self._reject_erased(item, source.erased_at)
            elif source and source.digest == item.digest:
                self._seen(source, item)
                self._count_accepted(item.line, unchanged=True)
            else:
                item.existing_id = source.object_id if source else None
                remaining.append(item)
        return remaining

    def _write(self, items: list[Item]) -> None:
        by_type: dict[str, list[Item]] = defaultdict(list)
        for item in items:
            by_type[item.type.name].append(item)
        for name in record_type_names_in_order(by_type):
            self._write_type(record_type_get(name), by_type[name])

    def _write_type(self, record_type: RecordType, pending: list[Item]) -> None:
        ctx = UpsertContext(run=self.run, actor=self.imp.actor, now=self.now, force=None)
        while pending:
            self._resolve(pending)
            ready, waiting = [], []
            for item in pending:
                missing = self._missing(item)
                erased = [(path, key) for path, key in missing if key in self.erased_refs]
                if erased:
                    reasons = [
                        Reason(
                            path,
                            f"refers to {key}, which was erased on "
                            f"{timezone.localtime(self.erased_refs[key]):%d/%m/%Y} (a lawful "
                            "erasure): take the reference out to import the rest",
                        )
                        for path, key in erased
                    ]
                    self._reject(Rejection(item.line, reasons, key=item.key, record=item.record))
                    continue
                (waiting if missing else ready).append((item, missing))
            if ready and record_type.needs_force:
                ctx.force = self.imp.force()
                if ctx.force is None:
                    for item, _ in ready:
                        self._reject(
                            Rejection(item.line, [NO_FORCE], key=item.key, record=item.record)
                        )
                    ready = []
            accepted_now: set[Key] = set()
            items = [item for item, _ in ready]
            staged = self._stageable(record_type, items)
            if staged:
                chosen = {id(item) for item in staged}
                items = [item for item in items if id(item) not in chosen]
            # The changed first: a new record's checks then see what they became (a reference).
            if items:
                for outcome in record_type.upsert_batch(items, ctx):
                    self._outcome(outcome)
                    if not outcome.reasons:
                        accepted_now.add(outcome.item.key)
            if staged:
                accepted_now |= self._write_staged(record_type, staged, ctx)
            if ready and record_type.name == "force":
                self.imp.force_forget()
            # Another pass only helps records that refer to one just written (same type).
            retry = [
                item for item, missing in waiting if any(k in accepted_now for _, k in missing)
            ]
            for item, missing in waiting:
                if item not in retry:
                    self._hold(item, missing)
            pending = retry

    def _stageable(self, record_type: RecordType, items: list[Item]) -> list[Item]:
        """The items written set-based (interchange.staging): on PostgreSQL, of a type with a
        StagedWriter, new, and not a line back from the quarantine (whose entry is updated one by
        one, as it is resolved)."""
        if record_type.staged is None or connection.vendor != "postgresql":
            return []
        return [i for i in items if i.existing_id is None and i.line.entry is None]

    def _write_staged(self, record_type: RecordType, items: list[Item], ctx) -> set[Key]:
        ids = [record_id() for _ in items]
        problems = staged_write(record_type, items, ids, ctx)
        accepted: set[Key] = set()
        for n, (item, object_id) in enumerate(zip(items, ids, strict=True)):
            if n in problems:
                self._reject(Rejection(item.line, problems[n], key=item.key, record=item.record))
                continue
            self.resolved_here[item.key] = Resolved(object_id, self.run.pk)
            self.staged.append(item)
            accepted.add(item.key)
        # Lines of this run's file (no quarantine entry): counted for this run.
        self.imp.counts.accepted += len(accepted)
        return accepted

    @property
    def written(self) -> int:
        return len(self.outcomes) + len(self.staged)

    def _items_written(self) -> Iterator[Item]:
        yield from (o.item for o in self.outcomes)
        yield from self.staged

    # -- references ---------------------------------------------------------------------------

    @staticmethod
    def _ref_keys(item: Item) -> list[tuple[str, Key]]:
        """(field path, key) of every reference the item makes, worked out once per item."""
        if item.ref_keys is None:
            system = item.key.source_system
            item.ref_keys = [
                (path, ref_key(value, type_name, system))
                for path, type_name, value in ref_fields(item.type, item.record)
            ]
        return item.ref_keys

    def _resolve(self, items: list[Item]) -> None:
        """Find what each reference names: written by this batch, known to the importer from an
        earlier batch, or looked up in the key map (one query per record type)."""
        known = self.imp.resolved_known
        wanted: dict[tuple[str, str], set[str]] = defaultdict(set)
        for item in items:
            for _, key in self._ref_keys(item):
                if key in self.resolved_here:
                    item.refs[key] = self.resolved_here[key]
                elif key in known:
                    item.refs[key] = known[key]
                elif key not in item.refs:
                    wanted[key.record_type, key.source_system].add(key.source_id)
        found: dict[Key, Resolved] = {}
        for (type_name, system), ids in wanted.items():
            for source_id, object_id, first_run, erased_at in source_rows(
                type_name, system, list(ids), ("object_id", "first_seen_run_id", "erased_at")
            ):
                key = Key(type_name, system, source_id)
                if erased_at is None:
                    found[key] = Resolved(object_id, first_run)
                else:
                    self.erased_refs[key] = erased_at
        # Committed, so true whatever becomes of this batch.
        self.imp.resolved_remember(found)
        if found:
            for item in items:
                for _, key in self._ref_keys(item):
                    if key in found:
                        item.refs[key] = found[key]

    def _missing(self, item: Item) -> list[tuple[str, Key]]:
        return [(path, key) for path, key in self._ref_keys(item) if key not in item.refs]

    # -- outcomes -----------------------------------------------------------------------------

    def _outcome(self, outcome: Outcome) -> None:
        item = outcome.item
        if outcome.reasons:
            self._reject(Rejection(item.line, outcome.reasons, key=item.key, record=item.record))
            return
        self.outcomes.append(outcome)
        source = self.existing.get(item.key)
        if source is None:
            source = Source(*item.key, first_seen_run_id=self.run.pk)
            self.sources_new.append(source)
        else:
            self.sources_seen.append(source)
        source.object_id = outcome.object_id
        source.digest = item.digest
        source.updated_at = self.now
        source.last_seen_run_id = self.run.pk
        source.last_seen_line = item.line.number
        self.resolved_here[item.key] = Resolved(outcome.object_id, source.first_seen_run_id)
        self._count_accepted(item.line)

    def _seen(self, source: Source, item: Item) -> None:
        source.last_seen_run_id = self.run.pk
        source.last_seen_line = item.line.number
        self.sources_seen.append(source)

    def _count_accepted(self, line: Line, *, unchanged: bool = False) -> None:
        entry = line.entry
        # A line held by a run of this same import counts for that run; one held by an earlier
        # import counts as released by this one.
        counts = self.imp.counts_by_run.get(entry.run_id) if entry else self.imp.counts
        if counts is None:
            self.imp.counts.released += 1
        elif unchanged:
            counts.unchanged += 1
        else:
            counts.accepted += 1
        if entry is not None:
            if counts is not None and entry.status == QuarantineStatus.HELD:
                counts.held -= 1
            entry.status = QuarantineStatus.RESOLVED
            entry.resolved_at = self.now
            entry.resolved_by = self.imp.actor if getattr(self.imp.actor, "pk", None) else None
            entry.save(update_fields=["status", "resolved_at", "resolved_by"])

    def _reject_erased(self, item: Item, erased_at: datetime) -> None:
        """A record whose key became a record since lawfully erased: refused, and the quarantine
        keeps its key and the reason, not the personal data it carries."""
        reason = Reason(
            "source_id",
            f"{item.key} was erased on {timezone.localtime(erased_at):%d/%m/%Y} (a lawful "
            "erasure): it is not imported again, and what the line held is not kept",
        )
        self._reject(Rejection(item.line, [reason], key=item.key, record=None, redact=True))

    def _hold(self, item: Item, missing: list[tuple[str, Key]]) -> None:
        waiting = [
            {
                "field": path,
                "type": k.record_type,
                "source_system": k.source_system,
                "source_id": k.source_id,
            }
            for path, k in missing
        ]
        reasons = [
            Reason(path, f"refers to {k}, which has not been imported yet") for path, k in missing
        ]
        self._reject(
            Rejection(
                item.line,
                reasons,
                status=QuarantineStatus.HELD,
                key=item.key,
                record=item.record,
                waiting_for=waiting,
            )
        )

    def _reject(self, rejection: Rejection) -> None:
        entry = rejection.line.entry
        counts = self.imp.counts_by_run.get(entry.run_id) if entry else self.imp.counts
        held = rejection.status == QuarantineStatus.HELD
        if entry is None:
            counts.held += held
            counts.rejected += not held
        elif counts is not None and entry.status != rejection.status:
            # A line of this run held until now and rejected on its retry (or the reverse).
            counts.held += 1 if held else -1
            counts.rejected += -1 if held else 1
        self.rejections.append(rejection)

    # -- what the batch leaves behind ----------------------------------------------------------

    def _save_source_records(self) -> None:
        rows_insert(SourceRecord, self.sources_new)
        fields = ["object_id", "digest", "updated_at", "last_seen_run", "last_seen_line"]
        if not self.imp.file_checks:  # a retry of held or quarantined lines: no file to check
            rows_update(SourceRecord, self.sources_seen, fields)
            return
        # Import workers write batches side by side: a key this batch saw as last seen by another
        # run may have been seen since by a batch of this run committed meanwhile (a duplicate
        # line the checks could not see). The row is then left alone and the batch fails, to be
        # written again (Importer._write), when its checks find the line the duplicate it is.
        # (With one writer, as on SQLite, it never happens; the same statement runs there.)
        updated = rows_update(
            SourceRecord,
            self.sources_seen,
            fields,
            unless_equal=("last_seen_run", self.run.pk),
        )
        if updated != len(self.sources_seen):
            raise SeenMeanwhile("a source key of this batch was imported by another batch")

    def _log(self) -> None:
        created = [s for o in self.outcomes if o.created for s in o.subjects]
        changed = [s for o in self.outcomes if not o.created for s in o.subjects]
        detail = {"import_run": str(self.run.pk)}
        actor = self.imp.actor
        if created:
            processing_log_record_many(
                operation=Operation.COLLECTION, actor=actor, subjects=created, detail=detail
            )
        if changed:
            processing_log_record_many(
                operation=Operation.ALTERATION, actor=actor, subjects=changed, detail=detail
            )
        # Once per person per run: the run is the operation that combines (the incidents it
        # linked to a person are in the run's own collection entries and key map). Remembered
        # by the importer when the batch commits (Importer._done).
        combined: dict = {}
        already = self.imp.combined_logged
        for item in self._items_written():
            system = item.key.source_system
            for key, resolved in item.refs.items():
                if key.record_type not in COMBINED_TYPES or resolved.object_id in already:
                    continue
                linked_to_existing = resolved.first_seen_run_id != self.run.pk
                if key.source_system != system or linked_to_existing:
                    combined[resolved.object_id] = Subject(
                        type=key.record_type, id=resolved.object_id
                    )
        self.combined_logged = set(combined)
        if combined:
            processing_log_record_many(
                operation=Operation.COMBINATION,
                actor=actor,
                subjects=combined.values(),
                detail={**detail, "why": "linked by an import to a record already held"},
            )

    def _redact_erased(self) -> None:
        """A rejected line whose key belongs to a lawfully erased record (rejected for another
        reason first: a bad field, a duplicate) keeps no more of its data than the erased key's
        own refusal does."""
        keyed: dict[tuple[str, str], set[str]] = defaultdict(set)
        for rejection in self.rejections:
            if rejection.key is not None and not rejection.redact:
                keyed[rejection.key.record_type, rejection.key.source_system].add(
                    rejection.key.source_id
                )
        erased: set[Key] = set()
        for (type_name, system), ids in keyed.items():
            erased.update(
                Key(type_name, system, source_id)
                for source_id in SourceRecord.objects.filter(
                    record_type=type_name,
                    source_system=system,
                    source_id__any_of=list(ids),
                    erased_at__isnull=False,
                ).values_list("source_id", flat=True)
            )
        for rejection in self.rejections:
            if rejection.key in erased:
                rejection.redact, rejection.record = True, None

    def _quarantine(self) -> None:
        self._redact_erased()
        accepted: dict[tuple[str, str], list[str]] = defaultdict(list)
        for item in self._items_written():
            key = item.key
            accepted[key.record_type, key.source_system].append(key.source_id)
        # A record that now arrives whole supersedes its earlier quarantined versions (none to look
        # for when the quarantine has nothing open, as in most loads: one cheap query, not one
        # per record type).
        if accepted and not QuarantinedRecord.objects.filter(status__in=OPEN_STATUSES).exists():
            accepted = {}
        for (type_name, system), ids in accepted.items():
            QuarantinedRecord.objects.filter(
                status__in=OPEN_STATUSES,
                record_type=type_name,
                source_system=system,
                source_id__in=ids,
            ).update(status=QuarantineStatus.RESOLVED, resolved_at=self.now)
        fresh = [r for r in self.rejections if r.line.entry is None]
        # The same bad line imported again (a re-run) is already in the quarantine.
        known = set(
            QuarantinedRecord.objects.filter(
                status__in=OPEN_STATUSES, digest__in=[r.line.digest for r in fresh]
            )
            .exclude(run=self.run)
            .values_list("digest", flat=True)
        )
        QuarantinedRecord.objects.bulk_create(
            [self._entry(r) for r in fresh if r.line.digest not in known], batch_size=1000
        )
        for rejection in self.rejections:
            entry = rejection.line.entry
            if entry is None:
                continue
            entry.status = rejection.status
            entry.reasons = [r.as_dict() for r in rejection.reasons]
            entry.waiting_for = rejection.waiting_for or []
            entry.record = rejection.record
            entry.raw = "" if rejection.redact else rejection.line.raw
            if rejection.redact:
                entry.raw_bytes_hex = ""
            entry.save(
                update_fields=["status", "reasons", "waiting_for", "record", "raw", "raw_bytes_hex"]
            )

    def _entry(self, rejection: Rejection) -> QuarantinedRecord:
        line = rejection.line
        key = rejection.key
        record = rejection.record or {}
        return QuarantinedRecord(
            run=self.run,
            line_number=line.number,
            raw="" if rejection.redact else line.raw,
            raw_bytes_hex=line.raw_bytes.hex() if line.not_utf8 and not rejection.redact else "",
            digest=line.digest,
            record=rejection.record,
            record_type=key.record_type if key else str(record.get("type") or "")[:40],
            source_system=(key.source_system if key else str(record.get("source_system") or ""))[
                :40
            ],
            source_id=(key.source_id if key else str(record.get("source_id") or ""))[:100],
            reasons=[r.as_dict() for r in rejection.reasons],
            status=rejection.status,
            waiting_for=rejection.waiting_for or [],
            created_at=self.now,
        )

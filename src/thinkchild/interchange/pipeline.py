"""The import engine: numbered lines in, one transaction per batch, counts out.

A process killed at any moment leaves whole batches only (each batch is one transaction), and a
re-run skips them as unchanged (docs/decisions/0004). What happens inside a batch is batch.py.
"""

import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from itertools import islice

from django.db import (
    DatabaseError,
    IntegrityError,
    OperationalError,
    ProgrammingError,
    connection,
    transaction,
)
from django.db.models import F

from thinkchild.access.context import access_context
from thinkchild.interchange.batch import Batch, Rejection, SeenMeanwhile
from thinkchild.interchange.models import SOURCE_KEY_CONSTRAINT, ImportRun
from thinkchild.interchange.readers.jsonl import lines_parse
from thinkchild.interchange.records import Line, RawLine, Reason
from thinkchild.interchange.registry import record_types_referenced
from thinkchild.interchange.statistics import PlannerStatistics
from thinkchild.interchange.workers import Job, JobResult, WorkerPool

# Measured on the demo force (benchmarks/import_profile.py): 5,000 a batch imports a fifth faster
# than 2,000 on PostgreSQL (fewer round trips and commits); 10,000 gains nothing more.
BATCH_SIZE = 5000

# Beyond this many, the people already logged as combined by a run are forgotten (and logged again
# if linked again): memory stays bounded on a force of millions.
COMBINED_REMEMBERED = 500_000
# The source keys an importer remembers, with what they resolved to (about 400 bytes each, so at
# most about 400 MB a worker). Enough for every person and location of the force-scale demo
# (about 700,000), which an incidents file names again and again: at 500,000, cleared when full,
# three lookups in ten were saved; a key map lookup costs the database more than remembering.
KEYS_REMEMBERED = 1_000_000

# PostgreSQL's answers to two transactions that wait for each other (deadlock detected, could not
# serialize), and batch.SeenMeanwhile: the batch is written again whole, a few times, before line
# by line; a single line that still meets them stops the import rather than being quarantined.
_TRANSIENT = {"40P01", "40001"}
_TRANSIENT_RETRIES = 5


class Interrupted(Exception):
    """Stopped between batches at the user's request; every finished batch is kept."""


class DatabaseNotReady(Exception):
    """The database cannot take any record (a table or column missing: not migrated). Stops the
    import, keeping the batches already written, rather than quarantining every record with the
    same error one line at a time."""


@dataclass
class Counts:
    accepted: int = 0
    unchanged: int = 0
    rejected: int = 0
    held: int = 0
    released: int = 0
    total_lines: int = 0


def _force_get():
    from thinkchild.org.models import Force

    # One installation serves one force (docs/interchange.md); the first by code if several.
    return Force.objects.order_by("code").first()


class Importer:
    """Feed it lines; it processes them a batch at a time. `finish()` flushes and retries held."""

    def __init__(
        self,
        *,
        run: ImportRun,
        actor=None,
        default_system: str = "",
        batch_size: int = BATCH_SIZE,
        stop_requested: Callable[[], bool] = lambda: False,
        file_checks: bool = True,
        counts_by_run: dict | None = None,
        statistics: PlannerStatistics | None = None,
        pool: WorkerPool | None = None,
    ):
        self.run = run
        self.actor = actor
        self.default_system = default_system
        self.batch_size = batch_size
        self.stop_requested = stop_requested
        # Off when reprocessing quarantined lines: they are not lines of one file.
        self.file_checks = file_checks
        self.counts = Counts()
        # The counts of every run of the same import (several files), by run id.
        self.counts_by_run = {run.pk: self.counts, **(counts_by_run or {})}
        self.rejections: list[Rejection] = []  # of the last batch, for the API's answer
        self.all_rejections: list[Rejection] = []
        self.keep_rejections = False
        self._batch: list[Line | RawLine] = []
        # In an import worker, other batches of the run, written elsewhere, may have held lines.
        self.in_worker = False
        # People this run has logged as combined (batch.Batch._log): once each, per process.
        self.combined_logged: set = set()
        # What source keys committed records have (Batch._resolve): a record's key names the same
        # record for good, so an incident naming a person already looked up by an earlier batch
        # reads nothing. Forgotten when a batch fails (a record may have been erased meanwhile).
        self.resolved_known: dict = {}
        self._force = None
        self.statistics = statistics
        # Batches after the first go to the pool's workers when there is one (workers.py).
        self.pool = pool
        self._flushed = 0

    def add(self, line: Line | RawLine) -> None:
        if type(line) is RawLine or line.entry is None:
            self.counts.total_lines += 1
        self._batch.append(line)
        if len(self._batch) >= self.batch_size:
            self.flush()
            if self.stop_requested():
                if self.pool is not None:
                    self.pool.drain()
                raise Interrupted

    def add_all(self, lines: Iterable[Line | RawLine]) -> None:
        # Checking lines in a second thread, a batch ahead while this one waits for the
        # database, was measured (benchmarks/import_profile.py) and was slower on a 2-core machine
        # shared with the database: the lines are checked in the batch.
        for line in lines:
            self.add(line)

    def flush(self) -> None:
        if not self._batch:
            return
        lines, self._batch = self._batch, []
        self._flushed += 1
        # The first batch is written here: an import of one batch never starts the workers.
        if self.pool is None or self._flushed == 1:
            self._note(self._write(lines_parse(lines)))
            return
        context = access_context()
        job = Job(
            run_id=self.run.pk,
            actor_id=getattr(self.actor, "pk", None),
            default_system=self.default_system,
            channel=context.channel,
            request_id=context.request_id,
            lines=lines,
        )
        self.pool.submit(job, self._collected)

    def drain(self) -> None:
        """Flush, and wait until the workers have written every batch sent to them."""
        self.flush()
        if self.pool is not None:
            self.pool.drain()

    def _collected(self, result: JobResult) -> None:
        for name, value in result.counts.items():
            setattr(self.counts, name, getattr(self.counts, name) + value)
        self._note(result.written)

    def _write(self, lines: list[Line], attempt: int = 1) -> int:
        """Write one batch in one transaction; returns the number of records written."""
        before = {run_id: replace(c) for run_id, c in self.counts_by_run.items()}
        try:
            # Inside a caller's transaction the settings would outlast the batch: not set there.
            ours = not connection.in_atomic_block
            with transaction.atomic():
                if ours:
                    _batch_settings()
                batch = Batch(self, lines)
                batch.process()
                if ours:
                    _constraints_check()
                self._counts_save(before)
            self._done(batch)
            return batch.written
        except DatabaseError as error:
            self.force_forget()
            self.resolved_known.clear()
            if _schema_problem(error):
                raise DatabaseNotReady(
                    f"the database is not ready for these records ({_first_line(error)}): "
                    "has it been migrated? (thinkchild migrate)"
                ) from error
            for run_id, counts in self.counts_by_run.items():
                for name, value in vars(before[run_id]).items():
                    setattr(counts, name, value)
            for line in lines:
                if line.entry is not None:
                    line.entry.refresh_from_db()
            if _transient(error):
                if attempt < _TRANSIENT_RETRIES:
                    # A moment's pause, different in each worker, so they do not meet again.
                    time.sleep(random.uniform(0, 0.05 * attempt))  # noqa: S311 (not a secret)
                    return self._write(lines, attempt + 1)
                if len(lines) == 1:
                    # Never quarantine a record for another batch's timing: stop, and let the
                    # next run (which skips what committed) write it.
                    raise
            # A constraint the checks did not foresee: find the line at fault, one at a time,
            # so the rest of the batch still goes in.
            if len(lines) > 1:
                return sum(self._write([line]) for line in lines)
            with transaction.atomic():
                batch = Batch(self, lines)
                batch._reject(Rejection(lines[0], [Reason("", f"could not be saved: {error}")]))
                batch._quarantine()
                self._counts_save(before)
            self._done(batch)
            return 0

    def _counts_save(self, before: dict) -> None:
        """Add what this batch counted to its runs' counts, in its transaction. Added, not set:
        batches of the same run may be written by several workers at once."""
        for run_id, counts in self.counts_by_run.items():
            changes = {
                name: F(name) + value - getattr(before[run_id], name)
                for name, value in vars(counts).items()
                if value != getattr(before[run_id], name)
            }
            if changes:
                ImportRun.objects.filter(pk=run_id).update(**changes)

    def resolved_remember(self, found: dict) -> None:
        known = self.resolved_known
        if len(known) + len(found) > KEYS_REMEMBERED:
            # The older half goes (a dict keeps the order keys came in): those named lately are
            # the likeliest to be named again.
            for key in list(islice(known, len(known) // 2 + len(found))):
                del known[key]
        known.update(found)

    def _done(self, batch: "Batch") -> None:
        """After a batch commits: keep what the caller may report, whom it logged as combined
        and the keys of what it wrote."""
        if len(self.combined_logged) > COMBINED_REMEMBERED:
            self.combined_logged.clear()
        self.combined_logged |= batch.combined_logged
        # Keys of types no record refers to (incidents) would only push out those that are.
        referenced = record_types_referenced()
        self.resolved_remember(
            {k: v for k, v in batch.resolved_here.items() if k.record_type in referenced}
        )
        self.rejections = batch.rejections
        if self.keep_rejections:
            self.all_rejections.extend(batch.rejections)

    def _note(self, written: int) -> None:
        """Refresh the planner's statistics as the tables grow."""
        if self.statistics is not None:
            self.statistics.note(written)

    def force(self):
        if self._force is None:
            self._force = _force_get()
        return self._force

    def force_forget(self) -> None:
        """A force record was just written, or a batch rolled back: read it again next time."""
        self._force = None


# For the transaction of one import batch on PostgreSQL (docs/decisions/0011):
_BATCH_SETTINGS = {
    # Commit returns before the WAL reaches the disk: a crash of the server can lose the last
    # batches committed, never part of one, and the next run imports them again, as after a
    # killed import.
    "synchronous_commit": "off",
    # A batch's queries are lookups of a few thousand keys. Past a size the planner would run
    # them with parallel workers, and JIT-compile them, each costing more than the lookup.
    "jit": "off",
    "max_parallel_workers_per_gather": "0",
    # And would join a few thousand rows to a large table by scanning all of it: at force scale,
    # every location for the areas of 4,000 people (109 ms, against 57 ms through the index).
    # The rows a batch reads were mostly written or read moments before (the usual value for
    # data in memory or on SSD).
    "random_page_cost": "1.1",
}


def _batch_settings() -> None:
    if connection.vendor == "postgresql":
        calls = ", ".join("set_config(%s, %s, true)" for _ in _BATCH_SETTINGS)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {calls}", [v for item in _BATCH_SETTINGS.items() for v in item])


def _constraints_check() -> None:
    """PostgreSQL: check the batch's deferred foreign keys now, not at commit. The run's counts are
    saved next, and that row stays locked until commit: another worker saving its counts waited
    for all of this batch's checks (a quarter of a second a batch at force scale)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


# SQLite's words for a table or column that is not there (PostgreSQL's are ProgrammingErrors).
_SQLITE_SCHEMA = ("no such table", "no such column", "has no column named")


# PostgreSQL's undefined_table and undefined_column.
_POSTGRES_SCHEMA = {"42P01", "42703"}


def _schema_problem(error: DatabaseError) -> bool:
    """Whether the error is a table or column missing, not a problem with a record."""
    if isinstance(error, ProgrammingError):
        return getattr(error.__cause__, "sqlstate", None) in _POSTGRES_SCHEMA
    return isinstance(error, OperationalError) and any(
        words in str(error) for words in _SQLITE_SCHEMA
    )


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _transient(error: DatabaseError) -> bool:
    """Whether writing the batch again may succeed: it met another batch written at the same
    moment (a deadlock, or a key that batch has just imported, which the batch's checks will now
    see and name as the duplicate it is)."""
    if isinstance(error, SeenMeanwhile):
        return True
    cause = error.__cause__
    if isinstance(error, IntegrityError):
        # A new key that another batch of the run inserted and committed meanwhile.
        diag = getattr(cause, "diag", None)
        return getattr(diag, "constraint_name", None) == SOURCE_KEY_CONSTRAINT
    return isinstance(error, OperationalError) and getattr(cause, "sqlstate", None) in _TRANSIENT

"""The import engine: numbered lines in, one transaction per batch, counts out.

A process killed at any moment leaves whole batches only (each batch is one transaction), and a
re-run skips them as unchanged (docs/decisions/0004). What happens inside a batch is batch.py.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.db import DatabaseError, transaction

from thinkchild.interchange.batch import Batch, Rejection
from thinkchild.interchange.models import ImportRun
from thinkchild.interchange.records import Line, Reason
from thinkchild.interchange.statistics import PlannerStatistics

# Measured on the demo force (benchmarks/import_profile.py): 5,000 a batch imports a fifth faster
# than 2,000 on PostgreSQL (fewer round trips and commits); 10,000 gains nothing more.
BATCH_SIZE = 5000


class Interrupted(Exception):
    """Stopped between batches at the user's request; every finished batch is kept."""


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
        self._batch: list[Line] = []
        self._force = None
        self.statistics = statistics

    def add(self, line: Line) -> None:
        if line.entry is None:
            self.counts.total_lines += 1
        self._batch.append(line)
        if len(self._batch) >= self.batch_size:
            self.flush()
            if self.stop_requested():
                raise Interrupted

    def add_all(self, lines: Iterable[Line]) -> None:
        # Checking lines in a second thread, a batch ahead while this one waits for the
        # database, was measured (benchmarks/import_profile.py) and was slower on a 2-core machine
        # shared with the database: the lines are checked in the batch.
        for line in lines:
            self.add(line)

    def flush(self) -> None:
        if not self._batch:
            return
        lines, self._batch = self._batch, []
        self._write(lines)

    def _write(self, lines: list[Line]) -> None:
        before = {run_id: replace(c) for run_id, c in self.counts_by_run.items()}
        try:
            with transaction.atomic():
                batch = Batch(self, lines)
                batch.process()
                for run_id, counts in self.counts_by_run.items():
                    ImportRun.objects.filter(pk=run_id).update(**vars(counts))
            self._done(batch)
        except DatabaseError as error:
            self.force_forget()
            # A constraint the checks did not foresee: find the line at fault, one at a time,
            # so the rest of the batch still goes in.
            for run_id, counts in self.counts_by_run.items():
                for name, value in vars(before[run_id]).items():
                    setattr(counts, name, value)
            for line in lines:
                if line.entry is not None:
                    line.entry.refresh_from_db()
            if len(lines) > 1:
                for line in lines:
                    self._write([line])
                return
            with transaction.atomic():
                batch = Batch(self, lines)
                batch._reject(Rejection(lines[0], [Reason("", f"could not be saved: {error}")]))
                batch._quarantine()
                for run_id, counts in self.counts_by_run.items():
                    ImportRun.objects.filter(pk=run_id).update(**vars(counts))
            self._done(batch)

    def _done(self, batch: "Batch") -> None:
        """After a batch commits: keep what the caller may report, refresh the statistics."""
        self.rejections = batch.rejections
        if self.keep_rejections:
            self.all_rejections.extend(batch.rejections)
        if self.statistics is not None:
            self.statistics.note(len(batch.outcomes))

    def force(self):
        if self._force is None:
            self._force = _force_get()
        return self._force

    def force_forget(self) -> None:
        """A force record was just written, or a batch rolled back: read it again next time."""
        self._force = None

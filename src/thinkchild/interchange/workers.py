"""Import batches in worker processes, so that one batch's Python runs while another batch is in
the database (docs/decisions/0011).

An import spends about half its time in Python (parsing, checks, building rows) and half waiting
for PostgreSQL. In one process the two take turns; with a worker process per core they overlap.
Each batch is still one transaction of its own, written by `Importer._write` exactly as in one
process, so everything a batch guarantees (whole batches only, the quarantine, the log) holds. What
changes is that two batches of a file may be written at the same time:

- a record that refers to one in a batch not yet committed is held, and the retry at the end of
  the import releases it (as for any record that arrives before what it refers to);
- two batches that write the same row wait for each other; where the wait is a deadlock, the
  batch that PostgreSQL stops is written again whole (Importer._write).

Only PostgreSQL: SQLite has one writer at a time, so workers there would only queue.

The parent reads the file and hands each worker a batch of raw lines (cheaper to send than parsed
records); workers are started with `spawn` (a fresh interpreter that sets Django up itself, not a
copy of a process holding a database connection and a progress bar's thread) and die with the
parent, so killing the import kills the batches in flight, which then roll back.
"""

import ctypes
import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from uuid import UUID

from django.db import connections

from thinkchild.interchange.records import Line, RawLine

# More batches waiting than workers keeps every worker busy while the parent reads the next one.
QUEUED_PER_WORKER = 2


def workers_default() -> int:
    """Workers for an import on this machine: one per core, at most four (more only queue on the
    database's locks and memory)."""
    return max(1, min(4, os.cpu_count() or 1))


def workers_possible(alias: str = "default") -> bool:
    """PostgreSQL, and no transaction open around the import: workers see only what is committed,
    so an import inside a caller's transaction (a test's, for one) is written by the caller."""
    connection = connections[alias]
    return connection.vendor == "postgresql" and not connection.in_atomic_block


@dataclass(frozen=True)
class Job:
    run_id: UUID
    actor_id: object
    default_system: str
    channel: str
    request_id: str
    # A RawLine for a line the worker parses; a Line for one already built (a CSV row, or a line
    # with a problem found while reading).
    lines: list[Line | RawLine]


@dataclass
class JobResult:
    counts: dict
    written: int


class WorkerPool:
    """A pool of import workers, started on the first batch sent to it.

    A `concurrent.futures` pool: a worker that dies (killed, out of memory) breaks the pool and
    the import stops with an error (BrokenProcessPool), where a `multiprocessing.Pool` would
    quietly replace the worker and wait for the lost batch for ever."""

    def __init__(self, workers: int):
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._waiting: deque = deque()
        # Whether any batch went to the workers (it stays true once they are closed).
        self.started = False

    def submit(self, job: Job, on_result) -> None:
        """Send a batch; `on_result(JobResult)` is called (in this process, in the order the
        batches were sent) when it is written."""
        if self._pool is None:
            self._pool = _start(self.workers)
            self.started = True
        self._waiting.append((self._pool.submit(_job_run, job), on_result))
        while len(self._waiting) >= self.workers * QUEUED_PER_WORKER:
            self._collect_one()

    def drain(self) -> None:
        """Wait until every batch sent has been written."""
        while self._waiting:
            self._collect_one()

    def _collect_one(self) -> None:
        future, on_result = self._waiting.popleft()
        on_result(future.result())

    def close(self) -> None:
        """Stop the workers at once (SIGKILL: they ignore the signals that ask). A batch being
        written rolls back as its worker's connection closes; one already committing is kept
        whole, like any committed batch."""
        pool, self._pool = self._pool, None
        self._waiting.clear()
        if pool is None:
            return
        kill = getattr(pool, "kill_workers", None)  # Python 3.14 (it shuts the pool down too)
        if kill is not None:
            kill()
            return
        processes = list((pool._processes or {}).values())  # Python 3.13 has no API for this
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.kill()
        for process in processes:
            process.join(timeout=30)


def _start(workers: int) -> ProcessPoolExecutor:
    database = dict(connections["default"].settings_dict)
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_init,
        initargs=(os.environ.get("DJANGO_SETTINGS_MODULE"), database),
    )


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the import process dies (PR_SET_PDEATHSIG)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere a worker ends when it next reads from the closed pipe


_importers: dict = {}


def _worker_init(settings_module: str | None, database: dict) -> None:
    # Ctrl-C and a service manager's SIGTERM reach the whole process group: the parent decides
    # (finish the batches being written, or stop at once: WorkerPool.close).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _die_with_parent()
    if settings_module:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()
    # The parent's database, as it was connected (under the tests, the test database's name).
    connections["default"].settings_dict.update(database)


def _importer(job: Job):
    from thinkchild.interchange.models import ImportRun
    from thinkchild.interchange.pipeline import Importer
    from thinkchild.org.models import User

    key = (job.run_id, job.actor_id, job.default_system)
    importer = _importers.get(key)
    if importer is None:
        _importers.clear()
        actor = User.objects.filter(pk=job.actor_id).first() if job.actor_id else None
        importer = Importer(
            run=ImportRun.objects.get(pk=job.run_id),
            actor=actor,
            default_system=job.default_system,
        )
        importer.in_worker = True
        _importers[key] = importer
    return importer


def _job_run(job: Job) -> JobResult:
    from thinkchild.access.context import acting_through
    from thinkchild.interchange.pipeline import Counts
    from thinkchild.interchange.readers.jsonl import lines_parse

    importer = _importer(job)
    importer.counts = Counts()
    importer.counts_by_run = {job.run_id: importer.counts}
    with acting_through(job.channel, request_id=job.request_id):
        written = importer._write(lines_parse(job.lines))
    return JobResult(counts=vars(importer.counts), written=written)

"""`thinkchild import FILE...`: load canonical JSON Lines, or CSV with a column mapping.

Exit status: 0 every record accepted (unchanged counts as accepted), 1 some rejected or held,
2 the input could not be read at all, 3 the database could not take the records (not migrated),
130 interrupted (finished batches are kept; run it again).
"""

import signal
import sys

from django.core.management.base import BaseCommand, CommandError

from thinkchild.interchange.pipeline import BATCH_SIZE
from thinkchild.interchange.services import (
    DatabaseNotReady,
    ImportInterrupted,
    ImportSummary,
    InputUnreadable,
    import_files,
)
from thinkchild.interchange.workers import workers_default


def summary_line(summary: ImportSummary) -> str:
    run = summary.run_id.hex[:8] if summary.run_id else "-"
    line = (
        f"imported {summary.records:,} records from {summary.source_name}: "
        f"{summary.accepted:,} accepted, {summary.unchanged:,} unchanged, "
        f"{summary.rejected:,} rejected, {summary.held:,} held (run {run})"
    )
    if summary.released:
        line += f"; {summary.released:,} held earlier now imported"
    return line


class Command(BaseCommand):
    help = "Import records in the canonical format (docs/interchange.md)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="JSON Lines or CSV files")
        parser.add_argument("--mapping", help="column mapping (JSON) for CSV files")
        parser.add_argument(
            "--source-system", default="", help="source system of records that do not name one"
        )
        parser.add_argument("--batch-size", type=positive, default=BATCH_SIZE, help=HELP_BATCH)
        parser.add_argument(
            "--workers", type=positive, default=workers_default(), help=HELP_WORKERS
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(
        self, *args, files, mapping, source_system, batch_size, workers, no_progress, **options
    ):
        stop = {"asked": False}

        def ask_to_stop(signum, frame):
            if stop["asked"]:  # a second Ctrl-C stops at once; the batch transaction rolls back
                raise KeyboardInterrupt
            stop["asked"] = True
            self.stderr.write("\nstopping after the batches being written ...")

        old = {s: signal.signal(s, ask_to_stop) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            summary = import_files(
                paths=files,
                mapping=mapping,
                source_system=source_system,
                batch_size=batch_size,
                workers=workers,
                progress=not no_progress and options.get("verbosity", 1) > 0,
                stop_requested=lambda: stop["asked"],
            )
        except InputUnreadable as error:
            raise CommandError(f"nothing imported: {error}", returncode=2) from None
        except DatabaseNotReady as error:
            raise CommandError(
                f"stopped: {error}; the batches written before it are kept", returncode=3
            ) from None
        except ImportInterrupted as interrupted:
            self.stdout.write(summary_line(interrupted.summary))
            self.stderr.write(
                "interrupted: every finished batch is saved; run the same command again to "
                "complete the import (records already imported are skipped as unchanged)"
            )
            sys.exit(130)
        finally:
            for s, handler in old.items():
                signal.signal(s, handler)
        self.stdout.write(summary_line(summary))
        if not summary.all_accepted:
            self.stderr.write(
                "some records were not imported: see the quarantine for each reason "
                "(thinkchild run, then Quarantine)"
            )
            sys.exit(1)


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


HELP_BATCH = f"records per transaction (default {BATCH_SIZE:,})"
HELP_WORKERS = (
    "processes writing batches side by side, on PostgreSQL (default: one per core, up to four; "
    "SQLite always uses one)"
)

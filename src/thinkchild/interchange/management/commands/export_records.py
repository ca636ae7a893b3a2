"""`thinkchild export [--out FILE] --recipient WHO`: write the canonical format.

An export discloses personal data, so it names its recipient, and every person, incident and user
written is logged as a disclosure to them (DPA 2018 s.62).
"""

import sys
from contextlib import ExitStack
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thinkchild.access.context import acting_through
from thinkchild.access.models import Channel
from thinkchild.interchange.registry import record_types
from thinkchild.interchange.services import export_records


class Command(BaseCommand):
    help = "Export records in the canonical format (docs/interchange.md)."

    def add_arguments(self, parser):
        parser.add_argument("--out", help="file to write (default: standard output)")
        parser.add_argument(
            "--types", default="", help="comma-separated record types (default all)"
        )
        parser.add_argument("--recipient", required=True, help="who receives the data")
        parser.add_argument("--reason", default="", help="why it is disclosed (logged)")

    def handle(self, *args, out, types, recipient, reason, **options):
        wanted = [t.strip() for t in types.split(",") if t.strip()] or None
        unknown = sorted(set(wanted or []) - set(record_types()))
        if unknown:
            raise CommandError(f"unknown record type: {', '.join(unknown)}", returncode=2)
        if not recipient.strip():
            raise CommandError("name the recipient of the export (--recipient)", returncode=2)
        with ExitStack() as stack:
            try:
                stream = stack.enter_context(Path(out).open("wb")) if out else sys.stdout.buffer
            except OSError as error:
                raise CommandError(f"cannot write {out}: {error.strerror}", returncode=2) from None
            stack.enter_context(acting_through(Channel.CLI, recipient=recipient))
            counts = export_records(
                out=stream, recipient=recipient, justification=reason, types=wanted
            )
        total = sum(counts.values())
        detail = ", ".join(f"{n:,} {name}" for name, n in counts.items() if n)
        self.stderr.write(f"exported {total:,} records to {out or 'standard output'}: {detail}")

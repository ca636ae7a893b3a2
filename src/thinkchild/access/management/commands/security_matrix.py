"""`thinkchild security_matrix`: rewrite the role matrix in docs/security.md from access.policy."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from thinkchild.access.matrix import security_doc_with_matrix


class Command(BaseCommand):
    help = "Regenerate the role × record kind × action matrix in docs/security.md."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", type=Path, default=Path(settings.BASE_DIR) / "docs" / "security.md"
        )
        parser.add_argument(
            "--check", action="store_true", help="fail if the document is out of date"
        )

    def handle(self, *args, path: Path, check: bool, **options):
        try:
            current = path.read_text(encoding="utf-8")
            updated = security_doc_with_matrix(current)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        if check:
            if updated != current:
                raise CommandError(f"{path} is out of date: run `thinkchild security_matrix`.")
            self.stdout.write(f"{path} is up to date.")
            return
        path.write_text(updated, encoding="utf-8")
        self.stdout.write(f"Wrote the security matrix to {path}.")

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from thinkchild.standards.catalogue import standards_catalogue_markdown


class Command(BaseCommand):
    help = "Write docs/standards.md from the standards registry."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, default=settings.BASE_DIR / "docs" / "standards.md")

    def handle(self, *args, out: Path, **options):
        out.write_text(standards_catalogue_markdown())
        self.stdout.write(f"Wrote {out}")

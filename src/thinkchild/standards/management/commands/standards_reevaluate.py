from django.core.management.base import BaseCommand

from thinkchild.standards.services import obligations_reevaluate


class Command(BaseCommand):
    help = (
        "Work out every subject's obligations again from the standards (idempotent: a second run "
        "changes nothing)."
    )

    def handle(self, *args, **options):
        changed = obligations_reevaluate()
        self.stdout.write(f"{changed} obligations opened, changed or cancelled.")

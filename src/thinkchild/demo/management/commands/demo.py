"""`thinkchild demo`: generate the synthetic force as canonical files and load them."""

import time
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from thinkchild.demo.generate import demo_generate
from thinkchild.demo.investigations import demo_investigations_create
from thinkchild.demo.scales import SCALES
from thinkchild.demo.services import DemoRefused, demo_check_database, demo_load


class Command(BaseCommand):
    help = "Generate the deterministic synthetic force (canonical JSON Lines) and import it."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", type=Path, help="directory (default var/demo/<scale>/)")
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            help="the day the generated period ends (default today; fix it to repeat the files)",
        )
        parser.add_argument("--no-load", action="store_true", help="write the files only")
        parser.add_argument(
            "--no-logins", action="store_true", help="don't print the logins (thinkchild run does)"
        )

    def handle(self, *args, scale, seed, out, as_of, no_load, **options):
        out = out or Path(settings.VAR_DIR) / "demo" / scale
        as_of = as_of or timezone.localdate()
        if not no_load:
            try:
                demo_check_database()
            except DemoRefused as refusal:
                raise CommandError(str(refusal)) from refusal
        started = time.perf_counter()
        force = demo_generate(scale=SCALES[scale], seed=seed, out=out, as_of=as_of)
        total = sum(force.counts.values())
        self.stdout.write(
            f"Generated {total:,} records ({scale} scale, seed {seed}, up to {as_of}) in "
            f"{time.perf_counter() - started:.1f}s into {out}"
        )
        for name, count in force.counts.items():
            self.stdout.write(f"  {name + '.jsonl':<24} {count:>10,}")
        if no_load:
            return
        started = time.perf_counter()
        try:
            summary = demo_load(paths=force.paths, progress=options["verbosity"] > 0)
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            f"Loaded in {time.perf_counter() - started:.1f}s: {summary.accepted:,} accepted, "
            f"{summary.unchanged:,} unchanged, {summary.rejected:,} rejected, "
            f"{summary.held:,} held"
        )
        if summary.rejected or summary.held:
            self.stderr.write(
                self.style.WARNING("Some demo records did not load: see the quarantine.")
            )
        per_team = SCALES[scale].investigations_per_team
        if per_team:
            opened = demo_investigations_create(per_team=per_team, seed=seed)
            self.stdout.write(f"Opened {opened} investigations with supervision histories.")
        if not options["no_logins"]:
            self._print_logins(force.logins)

    def _print_logins(self, logins):
        self.stdout.write("")
        if settings.DEMO_MODE:
            from thinkchild.org.demo import DEMO_PASSWORD

            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        else:
            self.stdout.write(
                "Demo logins (demo mode is off, so they cannot sign in: set THINKCHILD_DEMO=1 "
                "and run this again):"
            )
        self.stdout.write(f"  {'username':<16} {'role':<22} area")
        for login in logins:
            self.stdout.write(f"  {login.username:<16} {login.role:<22} {login.area}")

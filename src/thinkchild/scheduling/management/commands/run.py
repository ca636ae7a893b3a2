"""`thinkchild run`: web server, task worker and scheduler together; Ctrl-C stops them all."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Migrate, then run the web server, the task worker and the scheduler together."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2, help="web server processes")
        parser.add_argument(
            "--demo", action="store_true", help="load the demo force if the database is empty"
        )

    def handle(self, *args, bind: str, workers: int, demo: bool, **options):
        if demo and not settings.DEMO_MODE:
            raise CommandError(
                "--demo needs THINKCHILD_DEMO=1 (demo users exist only in demo mode)."
            )
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        call_command("collectstatic", interactive=False, verbosity=0)
        if demo:
            self._load_demo_if_empty()
        call_command("check", deploy=not settings.DEBUG and not settings.DEMO_MODE)
        if demo:
            self._print_logins(bind)
        self._supervise(bind, workers)

    def _load_demo_if_empty(self):
        from thinkchild.org.models import Force

        if Force.objects.exists():
            self.stdout.write("Database already holds a force: not loading the demo again.")
            return
        self.stdout.write("Loading the demo force (first run only)...")
        call_command("demo", no_logins=True)

    def _print_logins(self, bind: str):
        from thinkchild.org.demo import DEMO_PASSWORD
        from thinkchild.org.models import User

        users = User.objects.filter(is_demo=True, is_active=True).select_related("team__area")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Think Child is starting on http://{bind}/"))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in users.order_by("role", "username"):
            area = user.team.area.name if user.team and user.team.area else "force-wide"
            self.stdout.write(f"  {user.username:<16} {user.get_role_display():<26} {area}")
        self.stdout.write("Press Ctrl-C to stop.\n")

    def _supervise(self, bind: str, workers: int):
        thinkchild = [sys.executable, "-m", "thinkchild.cli"]
        commands = {
            "web": [
                sys.executable,
                "-m",
                "gunicorn",
                "thinkchild.config.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            "worker": [*thinkchild, "worker", "--no-reload", "--interval", "2"],
            "scheduler": [*thinkchild, "scheduler"],
        }
        procs = {
            name: subprocess.Popen(cmd, env=os.environ.copy(), start_new_session=True)
            for name, cmd in commands.items()
        }
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        try:
            while not stopping:
                for name, proc in procs.items():
                    if proc.poll() is not None:
                        self.stderr.write(f"The {name} process stopped (exit {proc.returncode}).")
                        stopping, exit_code = True, 1
                time.sleep(0.5)
        finally:
            self.stdout.write("Stopping web server, worker and scheduler...")
            for proc in procs.values():
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for proc in procs.values():
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    proc.kill()
            self.stdout.write("Stopped.")
        if exit_code:
            raise CommandError("One of the processes stopped unexpectedly.")

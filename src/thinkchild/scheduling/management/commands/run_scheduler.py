import os
import signal
import socket
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from thinkchild.scheduling.services import lease_acquire, lease_release, ticks_enqueue_due

LEASE = "scheduler"


class Command(BaseCommand):
    help = "Enqueue periodic ticks as background tasks. Only the holder of the lease does so."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=15.0, help="seconds between checks")
        parser.add_argument("--once", action="store_true", help="check once and exit")

    def handle(self, *args, interval: float, once: bool, **options):
        holder = f"{socket.gethostname()}:{os.getpid()}"
        ttl = timedelta(seconds=max(60.0, interval * 4))
        last_enqueued: dict = {}
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Scheduler {holder} started (checks every {interval:g}s)")
        try:
            while not stopping:
                now = timezone.now()
                if lease_acquire(name=LEASE, holder=holder, now=now, ttl=ttl):
                    for name in ticks_enqueue_due(now=now, last_enqueued=last_enqueued):
                        self.stdout.write(f"{now:%H:%M:%S} enqueued {name}")
                if once:
                    break
                deadline = time.monotonic() + interval
                while not stopping and time.monotonic() < deadline:
                    time.sleep(0.2)
        finally:
            lease_release(name=LEASE, holder=holder)
            self.stdout.write("Scheduler stopped")

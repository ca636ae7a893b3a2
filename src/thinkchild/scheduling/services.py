"""The scheduler's lease and the enqueueing of due ticks."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q

from thinkchild.scheduling.models import SchedulerLease
from thinkchild.scheduling.registry import registered_ticks
from thinkchild.scheduling.tasks import tick_run


def lease_acquire(*, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the lease `name` for `holder`; False while another holder's lease is live.

    One conditional UPDATE decides between rival schedulers on SQLite and PostgreSQL alike.
    """
    expires_at = now + ttl
    updated = SchedulerLease.objects.filter(
        Q(name=name) & (Q(holder=holder) | Q(expires_at__lt=now))
    ).update(holder=holder, expires_at=expires_at)
    if updated:
        return True
    try:
        with transaction.atomic():
            SchedulerLease.objects.create(name=name, holder=holder, expires_at=expires_at)
    except IntegrityError:
        return False
    return True


def lease_release(*, name: str, holder: str) -> None:
    SchedulerLease.objects.filter(name=name, holder=holder).delete()


def ticks_enqueue_due(*, now: datetime, last_enqueued: dict[str, datetime]) -> list[str]:
    """Enqueue every tick whose interval has passed since it was last enqueued by this scheduler."""
    enqueued = []
    for tick in registered_ticks().values():
        last = last_enqueued.get(tick.name)
        if last is None or now - last >= tick.every:
            tick_run.enqueue(tick.name)
            last_enqueued[tick.name] = now
            enqueued.append(tick.name)
    return enqueued

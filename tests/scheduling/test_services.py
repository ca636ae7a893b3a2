import datetime as dt

import pytest
from django.utils import timezone

from thinkchild.scheduling import registry
from thinkchild.scheduling.services import lease_acquire, lease_release, ticks_enqueue_due

pytestmark = pytest.mark.django_db

TTL = dt.timedelta(seconds=60)


def test_only_one_scheduler_holds_the_lease_until_it_expires():
    now = timezone.now()
    assert lease_acquire(name="scheduler", holder="a", now=now, ttl=TTL)
    assert not lease_acquire(name="scheduler", holder="b", now=now, ttl=TTL)
    assert lease_acquire(name="scheduler", holder="a", now=now, ttl=TTL)  # renewal
    later = now + TTL + dt.timedelta(seconds=1)
    assert lease_acquire(name="scheduler", holder="b", now=later, ttl=TTL)
    assert not lease_acquire(name="scheduler", holder="a", now=later, ttl=TTL)


def test_a_released_lease_can_be_taken_at_once():
    now = timezone.now()
    assert lease_acquire(name="scheduler", holder="a", now=now, ttl=TTL)
    lease_release(name="scheduler", holder="a")
    assert lease_acquire(name="scheduler", holder="b", now=now, ttl=TTL)


def test_due_ticks_run_once_per_interval(monkeypatch):
    runs = []
    monkeypatch.setattr(registry, "_ticks", {})
    registry.register_tick("count", dt.timedelta(minutes=5), lambda: runs.append(1))
    now = timezone.now()
    last: dict = {}
    assert ticks_enqueue_due(now=now, last_enqueued=last) == ["count"]
    assert ticks_enqueue_due(now=now + dt.timedelta(minutes=4), last_enqueued=last) == []
    assert ticks_enqueue_due(now=now + dt.timedelta(minutes=5), last_enqueued=last) == ["count"]
    # The test settings run tasks immediately, so each enqueue ran the tick.
    assert runs == [1, 1]

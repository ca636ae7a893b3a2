"""Periodic ticks. An app registers idempotent functions in its AppConfig.ready(); the scheduler
enqueues each one as a background task when it falls due. Deadline state lives in the database,
so a missed or doubled tick costs nothing (stack-notes A1).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Tick:
    name: str
    every: timedelta
    run: Callable[[], object]


_ticks: dict[str, Tick] = {}


def register_tick(name: str, every: timedelta, run: Callable[[], object]) -> None:
    _ticks[name] = Tick(name=name, every=every, run=run)


def registered_ticks() -> dict[str, Tick]:
    return dict(_ticks)

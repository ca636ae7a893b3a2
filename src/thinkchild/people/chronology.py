"""The chronology registry: every app contributes entries to a person's timeline.

An app registers a provider in its AppConfig.ready(); `people.selectors.person_chronology` asks
each provider for the entries of a set of people (one child, or a household) and merges them in
time order. The core never imports the apps that feed it (architecture §5).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class ChronologyEntry:
    occurred_at: datetime
    kind: str  # a stable key for filters: "incident", "address", "enrolment", ...
    kind_label: str
    title: str
    person_id: UUID  # whose chronology this entry belongs to
    summary: str = ""
    url: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    source: str = "thinkchild"


# A provider receives the user (for scoping), the people, and optional bounds, and returns entries.
ChronologyProvider = Callable[..., Iterable[ChronologyEntry]]

_providers: dict[str, tuple[str, ChronologyProvider]] = {}


def register_chronology_provider(kind: str, label: str, provider: ChronologyProvider) -> None:
    _providers[kind] = (label, provider)


def chronology_providers() -> dict[str, tuple[str, ChronologyProvider]]:
    return dict(_providers)

"""What we already know: each app registers what it can tell control room about an address or a
person before officers attend (previous incidents, open referrals, police protection, ...).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class KnownFact:
    kind: str
    title: str
    occurred_at: datetime | None = None
    summary: str = ""
    url: str = ""
    # "warning" facts are shown first (an open referral, a police protection at the address).
    warning: bool = False
    # Short labels shown as tags beside the fact ("child marker").
    tags: tuple[str, ...] = ()


# provider(user=..., person_ids=[...], location_id=..., exclude_incident_id=...) -> facts
ResearchProvider = Callable[..., Iterable[tuple[UUID | None, KnownFact]]]

_providers: dict[str, ResearchProvider] = {}


def register_research_provider(kind: str, provider: ResearchProvider) -> None:
    """`provider` yields (person_id or None for the address, fact) pairs."""
    _providers[kind] = provider


def research_providers() -> dict[str, ResearchProvider]:
    return dict(_providers)

"""The chronology: every registered provider's entries for one person or a household."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.utils import timezone

from thinkchild.access.policy import RecordKind
from thinkchild.access.scope import AccessDenied, ReasonRequired, decide
from thinkchild.people.chronology import ChronologyEntry, chronology_providers
from thinkchild.people.models import Person
from thinkchild.people.selectors.common import in_scope_ids, log_one


@dataclass(frozen=True)
class ChronologyItem:
    entry: ChronologyEntry
    person_name: str


@dataclass(frozen=True)
class ChronologyKind:
    kind: str
    label: str
    count: int
    selected: bool


@dataclass
class Chronology:
    items: list[ChronologyItem]
    kinds: list[ChronologyKind]
    people: list[Person]
    hidden_count: int  # requested people the user may not open


def _local_day(moment) -> date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def person_chronology(
    *,
    user,
    person_ids,
    kinds=None,
    date_from: date | None = None,
    date_to: date | None = None,
    reason: str | None = None,
) -> Chronology:
    """Every registered provider's entries for these people, newest first.

    One person: the access decision is person_get's (a reason may be needed). Several (a
    household): those the user may not open are left out and counted, so the rest still shows.
    """
    person_ids = list(dict.fromkeys(UUID(str(pid)) for pid in person_ids))
    people = {
        p.pk: p for p in Person.objects.filter(pk__in=person_ids).prefetch_related("pregnancies")
    }
    if len(person_ids) == 1 and person_ids[0] not in people:
        raise Person.DoesNotExist("No such person.")
    in_scope = in_scope_ids(user, people)
    allowed: list[Person] = []
    for pid in person_ids:
        person = people.get(pid)
        if person is None:
            continue
        try:
            decision = decide(
                user=user,
                kind=RecordKind.PERSON,
                record=person,
                in_scope=pid in in_scope,
                reason=reason,
            )
        except (AccessDenied, ReasonRequired):
            if len(person_ids) == 1:
                raise
            continue
        log_one(
            user,
            person,
            justification=f"Chronology: {decision.justification}",
            out_of_scope=decision.out_of_scope,
            detail={"chronology": True},
        )
        allowed.append(person)
    allowed_ids = [p.pk for p in allowed]
    names = {p.pk: p.full_name for p in allowed}
    entries: list[ChronologyEntry] = []
    labels: dict[str, str] = {}
    for kind, (label, provider) in chronology_providers().items():
        labels[kind] = label
        if not allowed_ids:
            continue
        for entry in provider(
            user=user, person_ids=allowed_ids, date_from=date_from, date_to=date_to
        ):
            day = _local_day(entry.occurred_at)
            if (date_from and day < date_from) or (date_to and day > date_to):
                continue
            if entry.person_id in names:
                entries.append(entry)
    counts: dict[str, int] = dict.fromkeys(labels, 0)
    for entry in entries:
        counts[entry.kind] = counts.get(entry.kind, 0) + 1
    selected = set(kinds or [])
    if selected:
        entries = [e for e in entries if e.kind in selected]
    entries.sort(key=lambda e: e.occurred_at, reverse=True)
    return Chronology(
        items=[ChronologyItem(entry=e, person_name=names[e.person_id]) for e in entries],
        kinds=[
            ChronologyKind(kind=k, label=labels.get(k, k), count=n, selected=k in selected)
            for k, n in counts.items()
        ],
        people=allowed,
        hidden_count=len(person_ids) - len(allowed),
    )

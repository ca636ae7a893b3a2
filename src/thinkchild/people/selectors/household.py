"""The household: who is linked to a person now, as far as the user may see."""

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from django.db.models import Q
from django.utils import timezone

from thinkchild.people.models import Person, PersonAddress, Relationship
from thinkchild.people.selectors.common import (
    annotate_person,
    current_addresses,
    log_many,
    visible_people_q,
)

# How a relative is described from the opened person's side: (kind, person is the opened one).
_RELATION_LABELS = {
    ("parent", True): "Child",
    ("parent", False): "Parent",
    ("carer", True): "Cared for",
    ("carer", False): "Carer",
    ("partner", True): "Partner",
    ("partner", False): "Partner",
    ("sibling", True): "Sibling",
    ("sibling", False): "Sibling",
    ("lives_with", True): "Lives with",
    ("lives_with", False): "Lives with",
}
SAME_ADDRESS = "Same address"


@dataclass
class HouseholdMember:
    person: Person
    relations: list[str] = field(default_factory=list)


@dataclass
class Household:
    person: Person
    members: list[HouseholdMember]
    hidden_count: int  # people in the household the user may not see

    @property
    def person_ids(self) -> list[UUID]:
        return [self.person.pk, *(m.person.pk for m in self.members)]


def _current(q_prefix: str = "") -> Q:
    today = timezone.localdate()
    return (
        Q(**{f"{q_prefix}valid_to__isnull": True}) | Q(**{f"{q_prefix}valid_to__gte": today})
    ) & (Q(**{f"{q_prefix}valid_from__isnull": True}) | Q(**{f"{q_prefix}valid_from__lte": today}))


def person_household(*, user, person: Person) -> Household:
    """People linked to `person` now (relationships either way, or the same current address)."""
    relations: dict[UUID, list[str]] = {}
    links = Relationship.objects.filter(Q(person=person) | Q(other=person)).filter(_current())
    for person_id, other_id, kind in links.values_list("person_id", "other_id", "kind"):
        is_subject = person_id == person.pk
        relative = other_id if is_subject else person_id
        relations.setdefault(relative, []).append(_RELATION_LABELS[(kind, is_subject)])
    here = PersonAddress.objects.filter(person=person).filter(_current()).values("location_id")
    neighbours = (
        PersonAddress.objects.filter(location_id__in=here)
        .filter(_current())
        .exclude(person=person)
        .values_list("person_id", flat=True)
    )
    for relative in neighbours:
        relations.setdefault(relative, []).append(SAME_ADDRESS)
    visible = list(
        Person.objects.filter(pk__in=list(relations))
        .filter(visible_people_q(user))
        .select_related("area")
        .prefetch_related(current_addresses())
        # Sorted here, not in SQL: an ORDER BY tempts a planner to walk a whole index in order
        # rather than look up a handful of rows by primary key.
    )
    visible.sort(key=lambda p: (p.date_of_birth is None, p.family_name_key, p.given_name_key))
    visible.sort(key=lambda p: p.date_of_birth or date.min, reverse=True)
    today = timezone.localdate()
    members = [
        HouseholdMember(person=annotate_person(p, today), relations=sorted(set(relations[p.pk])))
        for p in visible
    ]
    log_many(
        user,
        visible,
        justification=f"Household of {person.full_name}",
        detail={"household_of": str(person.pk)},
    )
    # Out-of-scope relatives are counted so the reader knows to ask; restricted ones the reader is
    # not listed on are not mentioned at all (their existence can itself be sensitive, ADR 0007).
    unseen = set(relations) - {p.pk for p in visible}
    silent = Person.objects.filter(pk__in=unseen, is_restricted=True).count() if unseen else 0
    return Household(person=person, members=members, hidden_count=len(unseen) - silent)

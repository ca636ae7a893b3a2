"""Person search: names by prefix, aliases, date of birth and address, in the user's scope."""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils import timezone

from thinkchild.access.lookups import prefix_q, upper_bound
from thinkchild.access.policy import Action, RecordKind, Scope, reach_for
from thinkchild.access.scope import on_access_list_q, person_scope_q
from thinkchild.people.models import Alias, Location, Person, PersonAddress
from thinkchild.people.names import name_key
from thinkchild.people.postcodes import postcode_search_prefix
from thinkchild.people.selectors.common import (
    annotate_person,
    current_addresses,
    log_many,
    require_person_access,
)

PAGE_SIZE = 25
# Enough alias matches for any real search; a cap keeps a one-letter alias search cheap.
ALIAS_MATCH_LIMIT = 1000
ADDRESS_MATCH_LIMIT = 2000
# Matches counted for the pager: beyond this the page says "more than" and asks for more detail.
COUNT_LIMIT = 1000


@dataclass(frozen=True)
class PersonQuery:
    name: str = ""
    date_of_birth: date | None = None
    address: str = ""  # a postcode (or its start) or part of the first line
    page: int | str = 1
    # "Show people outside my area": names only, for roles that may open them with a reason.
    outside_scope: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.name_tokens or self.date_of_birth or self.address.strip())

    @property
    def name_tokens(self) -> list[str]:
        return [key for key in (name_key(part) for part in self.name.split()) if key]

    def summary(self) -> str:
        parts = []
        if self.name.strip():
            parts.append(f'name "{self.name.strip()}"')
        if self.date_of_birth:
            parts.append(f"born {self.date_of_birth:%d/%m/%Y}")
        if self.address.strip():
            parts.append(f'address "{self.address.strip()}"')
        return ", ".join(parts)


class PersonSearchPage(Page):
    """A page of people, with what the user should know about matches outside their scope."""

    outside_scope_count: int = 0
    counts_capped: bool = False  # more matches than COUNT_LIMIT: the counts are of the first ones
    count_limit: int = 0
    showing_outside_scope: bool = False
    may_reach_beyond_scope: bool = False
    summary: str = ""


class _SearchPaginator(Paginator):
    def _get_page(self, *args, **kwargs):
        return PersonSearchPage(*args, **kwargs)


def _name_q(tokens: list[str]) -> Q:
    """One word is a family name; more are a given name then a family name ("jo smi").

    Not the other way round as well: an OR of two name orders defeats the index on every
    database, and "smith john" is rarer than a fast search is valuable.
    """
    if len(tokens) == 1:
        return prefix_q("family_name_key", tokens[0])
    return prefix_q("given_name_key", tokens[0]) & prefix_q("family_name_key", tokens[-1])


def _address_q(text: str) -> Q:
    prefix = postcode_search_prefix(text)
    if prefix:
        outward = prefix.split(" ")[0]
        upper = upper_bound(outward)
        locations = Location.objects.filter(postcode__gte=outward, postcode__startswith=prefix)
        if upper:
            locations = locations.filter(postcode__lt=upper)
    else:
        locations = Location.objects.filter(line1__icontains=text.strip())
    lived_there = PersonAddress.objects.filter(location__in=locations).values_list(
        "person_id", flat=True
    )
    # A postcode or a street usually holds a few dozen people: look them up by primary key. A
    # subquery would let a planner without statistics scan the whole force instead.
    few = list(lived_there[: ADDRESS_MATCH_LIMIT + 1])
    return Q(pk__in=few) if len(few) <= ADDRESS_MATCH_LIMIT else Q(pk__in=lived_there)


def _criteria_parts(query: PersonQuery) -> list[Q]:
    """The query as one or two filters whose union is the matches: with a name, those matching
    by name and those matching only by an alias (see _MatchesInNameOrder)."""
    q = Q()
    if query.date_of_birth:
        q &= Q(date_of_birth=query.date_of_birth)
    if query.address.strip():
        q &= _address_q(query.address)
    tokens = query.name_tokens
    if not tokens:
        return [q]
    alias_people = list(
        Alias.objects.filter(_name_q(tokens)).values_list("person_id", flat=True)[
            :ALIAS_MATCH_LIMIT
        ]
    )
    by_name = q & _name_q(tokens)
    if not alias_people:
        return [by_name]
    return [by_name, q & Q(pk__in=alias_people) & ~_name_q(tokens)]


ORDERING = ("family_name_key", "given_name_key", "id")


def _name_order(person: Person) -> tuple:
    # As the databases order them: UUIDs compare as their hex text, as PostgreSQL orders bytes.
    return (person.family_name_key, person.given_name_key, str(person.id))


class _MatchesInNameOrder:
    """People of one or more querysets, in name order, sliced for a page.

    An OR of the name range with the alias matches kept both databases off the name index: they
    walked the force in name order up to the name searched for (165 ms for "tho" at force scale).
    Each part here is an index range of its own; a page needs only the first rows of each.
    """

    def __init__(self, parts: list):
        self.parts = [part.order_by(*ORDERING) for part in parts]

    def __getitem__(self, index: slice) -> list:
        if len(self.parts) == 1:
            return list(self.parts[0][index])
        rows = [row for part in self.parts for row in part[: index.stop]]
        return sorted(rows, key=_name_order)[index]


def person_search(*, user, query: PersonQuery) -> PersonSearchPage:
    """People matching the query that the user may see, 25 a page, the page's people logged."""
    require_person_access(user, Action.SEARCH)
    reach = reach_for(user.role)
    may_reach_beyond = reach.scope != Scope.FORCE and reach.beyond_scope_with_reason
    if query.is_empty:
        page = _SearchPaginator([], PAGE_SIZE).get_page(1)
        page.may_reach_beyond_scope = may_reach_beyond
        return page
    force_people = Person.objects.filter(force_id=user.force_id)
    parts = [force_people.filter(criteria) for criteria in _criteria_parts(query)]
    scope_q = person_scope_q(user)
    listed_q = on_access_list_q(user, RecordKind.PERSON)
    showing_outside = bool(query.outside_scope and may_reach_beyond)
    if showing_outside:
        # Names only: enough to choose whom to open, and opening one asks for a reason. Restricted
        # people stay hidden from everyone not on their list, in or out of scope.
        fields = ("id", "force_id", "given_name", "family_name", *ORDERING[:2])
        rows = [part.filter(listed_q).exclude(scope_q).only(*fields) for part in parts]
    else:
        rows = [
            part.filter(scope_q & listed_q)
            .select_related("area")
            .prefetch_related(current_addresses())
            for part in parts
        ]
    # Both counts in one pass over at most COUNT_LIMIT + 1 matches of each part, in name order:
    # counting every "Smith" at force scale cost more than the page itself.
    # The ids are fetched first: as subqueries in an OR they sent PostgreSQL over every person.
    first: set = set()
    for part in parts:
        listed = part.filter(listed_q).order_by(*ORDERING)
        first.update(listed.values_list("pk", flat=True)[: COUNT_LIMIT + 1])
    counted = Person.objects.filter(pk__in=first)
    if may_reach_beyond:
        counts = counted.aggregate(
            inside=Count("pk", filter=scope_q), outside=Count("pk", filter=~scope_q)
        )
    elif reach.scope == Scope.FORCE:
        # Every match is in a force-wide user's scope. (Asking SQLite to check the force again
        # sent it along the force's name index instead of to the ids: 0.85 s at force scale.)
        counts = {"inside": len(first), "outside": 0}
    else:
        counts = {"inside": counted.filter(scope_q).count(), "outside": 0}
    paginator = _SearchPaginator(_MatchesInNameOrder(rows), PAGE_SIZE)
    paginator.count = counts["outside"] if showing_outside else counts["inside"]
    page = paginator.get_page(query.page)
    page.showing_outside_scope = showing_outside
    page.may_reach_beyond_scope = may_reach_beyond
    page.outside_scope_count = counts["outside"]
    page.counts_capped = counts["inside"] + counts["outside"] > COUNT_LIMIT
    page.count_limit = COUNT_LIMIT
    page.summary = query.summary()
    people = list(page.object_list)
    if not showing_outside:
        today = timezone.localdate()
        for person in people:
            annotate_person(person, today)
    page.object_list = people
    label = "Search results outside scope" if showing_outside else "Search results"
    log_many(
        user,
        people,
        justification=f"{label}: {page.summary}",
        detail={"search": page.summary, "page": page.number, "outside_scope": showing_outside},
    )
    return page

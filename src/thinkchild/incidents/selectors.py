"""Every read of incidents: scoped through thinkchild.access.scope, and logged (DPA 2018 s.62)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Upper
from django.http import Http404

from thinkchild.access.log import Subject, records_read_log
from thinkchild.access.lookups import prefix_q
from thinkchild.access.models import AccessListEntry
from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.access.scope import AccessDenied, decide, incident_scope_q, on_access_list_q
from thinkchild.incidents.marker import pregnant_on
from thinkchild.incidents.models import Incident, Participant, ParticipantRole
from thinkchild.incidents.research import KnownFact, research_providers
from thinkchild.incidents.services import incident_day, incident_subject
from thinkchild.people.age import age_on
from thinkchild.people.models import Location
from thinkchild.standards.calendars import start_of

PAGE_SIZE = 50
_ROLE_ORDER = {role.value: n for n, role in enumerate(ParticipantRole)}


def incident_visible_q(user) -> Q:
    """Incidents `user` sees in lists without a reason: in scope and, if restricted, listed."""
    return incident_scope_q(user) & on_access_list_q(user, RecordKind.INCIDENT)


def incident_read_log(
    *, user, subjects: list[Subject], justification: str, out_of_scope=False
) -> None:
    """A read by a person is a consultation; an API response to a system account a disclosure."""
    records_read_log(
        user=user, subjects=subjects, justification=justification, out_of_scope=out_of_scope
    )


def incident_search(
    *,
    user,
    reference: str | None = None,
    incident_type=None,
    date_from: date | None = None,
    date_to: date | None = None,
    has_child: bool | None = None,
    area=None,
    page: int | str = 1,
) -> Page:
    """A page of the incidents `user` may see, newest first, each with `participant_count`."""
    if not role_can(user.role, RecordKind.INCIDENT, Action.SEARCH):
        raise AccessDenied(f"A {user.get_role_display().lower()} cannot search incidents.")
    incidents = Incident.objects.filter(incident_visible_q(user))
    if reference and reference.strip():
        # Case-insensitive, as a range of the index on UPPER(reference): istartswith uses no
        # index, and took 5.8 s at force scale to find that nothing matched.
        incidents = incidents.annotate(reference_upper=Upper("reference")).filter(
            prefix_q("reference_upper", reference.strip().upper())
        )
    if incident_type:
        incidents = incidents.filter(type_id=getattr(incident_type, "pk", incident_type))
    if date_from:
        incidents = incidents.filter(occurred_at__gte=start_of(date_from))
    if date_to:
        incidents = incidents.filter(occurred_at__lt=start_of(date_to + timedelta(days=1)))
    if has_child is not None:
        incidents = incidents.filter(has_child=has_child)
    if area:
        incidents = incidents.filter(area_id=getattr(area, "pk", area))
    incidents = incidents.select_related("type", "area", "location").order_by("-occurred_at", "-id")
    result = Paginator(incidents, PAGE_SIZE).get_page(page)
    rows = list(result.object_list)
    # Counted for the page only: a COUNT over a join of the whole force would be slow.
    counts = dict(
        Participant.objects.filter(incident_id__in=[i.pk for i in rows])
        .values_list("incident_id")
        .annotate(n=Count("id"))
    )
    for incident in rows:
        incident.participant_count = counts.get(incident.pk, 0)
    result.object_list = rows
    incident_read_log(
        user=user,
        subjects=[incident_subject(i) for i in rows],
        justification=f"Listed in incident search results ({user.get_role_display()})",
    )
    return result


def incident_get(
    *, user, incident_id: UUID | str, reason: str | None = None, action: Action = Action.VIEW
) -> Incident:
    """One incident with its participants, if `user` may open it (for `action`: VIEW, or RECORD
    to change it); raises AccessDenied or ReasonRequired (thinkchild.access.scope) otherwise."""
    participants = Participant.objects.select_related("person").prefetch_related(
        "person__pregnancies"
    )
    incident = (
        Incident.objects.select_related("type", "area", "team", "location", "allocated_to")
        .prefetch_related(Prefetch("participants", queryset=participants))
        .filter(pk=incident_id)
        .first()
    )
    if incident is None:
        raise Http404("No incident has this id.")
    in_scope = Incident.objects.filter(pk=incident.pk).filter(incident_scope_q(user)).exists()
    decision = decide(
        user=user,
        kind=RecordKind.INCIDENT,
        record=incident,
        in_scope=in_scope,
        reason=reason,
        action=action,
    )
    incident_read_log(
        user=user,
        subjects=[incident_subject(incident)],
        justification=decision.justification,
        out_of_scope=decision.out_of_scope,
    )
    return incident


@dataclass(frozen=True)
class ParticipantRow:
    """A participant as the incident page shows them: age and child status at the time."""

    id: UUID
    person_id: UUID
    name: str
    role: str
    role_label: str
    age: int | None
    age_estimated: bool
    under_18: bool
    appears_under_18: bool
    pregnant: bool
    # A restricted person whose access list the user is not on: shown without a name.
    hidden: bool

    @property
    def counts_as_child(self) -> bool:
        return self.under_18 or self.appears_under_18


def participant_rows(*, user, incident: Incident) -> list[ParticipantRow]:
    """The participants of an incident fetched by incident_get, in role order."""
    participants = list(incident.participants.all())
    restricted = [p.person_id for p in participants if p.person.is_restricted]
    listed = set(
        AccessListEntry.objects.filter(
            subject_type=RecordKind.PERSON, subject_id__in=restricted, user=user
        ).values_list("subject_id", flat=True)
    )
    day = incident_day(incident.occurred_at)
    rows = []
    for p in participants:
        person = p.person
        age = age_on(person, day)
        hidden = person.is_restricted and person.pk not in listed
        rows.append(
            ParticipantRow(
                id=p.pk,
                person_id=person.pk,
                name="Restricted person" if hidden else person.full_name,
                role=p.role,
                role_label=p.get_role_display(),
                age=None if hidden else age,
                age_estimated=person.date_of_birth is None and age is not None,
                under_18=age is not None and 0 <= age < 18,
                appears_under_18=person.appears_under_18,
                pregnant=pregnant_on(person.pregnancies.all(), day),
                hidden=hidden,
            )
        )
    rows.sort(key=lambda r: (_ROLE_ORDER.get(r.role, 99), r.hidden, r.name))
    return rows


@dataclass
class ResearchGroup:
    """What we already know about one subject of an incident: its address, or one participant."""

    heading: str
    caption: str
    person_id: UUID | None = None
    facts: list[KnownFact] = field(default_factory=list)


def _fact_order(fact: KnownFact):
    when = fact.occurred_at.timestamp() if fact.occurred_at else float("-inf")
    return (not fact.warning, -when)


def incident_research(*, user, incident: Incident) -> list[ResearchGroup]:
    """Every registered provider's facts about the incident's address and each participant,
    grouped by subject (address first), warnings first and then newest first."""
    rows = [r for r in participant_rows(user=user, incident=incident) if not r.hidden]
    groups: list[ResearchGroup] = []
    by_person: dict[UUID, ResearchGroup] = {}
    address = None
    if incident.location_id:
        address = ResearchGroup(heading=str(incident.location), caption="Address")
        groups.append(address)
    for row in rows:
        if row.person_id in by_person:
            by_person[row.person_id].caption += f", {row.role_label.lower()}"
            continue
        group = ResearchGroup(heading=row.name, caption=row.role_label, person_id=row.person_id)
        by_person[row.person_id] = group
        groups.append(group)
    for provider in research_providers().values():
        facts = provider(
            user=user,
            person_ids=list(by_person),
            location_id=incident.location_id,
            exclude_incident_id=incident.pk,
        )
        for person_id, fact in facts:
            group = address if person_id is None else by_person.get(person_id)
            if group is not None:
                group.facts.append(fact)
    for group in groups:
        group.facts.sort(key=_fact_order)
    return groups


def location_options(*, user, postcode: str) -> list[Location]:
    """Addresses already known at a postcode in the user's force, to attach to a new incident."""
    if not postcode:
        return []
    return list(Location.objects.filter(force_id=user.force_id, postcode=postcode)[:100])

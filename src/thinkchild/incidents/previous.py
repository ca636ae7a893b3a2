"""Previous incidents, as incidents contributes them to "What we already know" and to chronologies.

Both are scoped like every other read: an incident the user can open is listed with its details;
one outside their scope is only counted ("2 more incidents you cannot open") so control room knows
to ask; a restricted incident whose access list they are not on is not mentioned at all.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from uuid import UUID

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils.text import Truncator

from thinkchild.access.log import Subject
from thinkchild.access.models import AccessListEntry
from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.access.scope import incident_scope_q
from thinkchild.incidents.models import Incident, Participant, ParticipantRole
from thinkchild.incidents.research import KnownFact
from thinkchild.incidents.selectors import incident_read_log
from thinkchild.incidents.services import incident_day, incident_subject
from thinkchild.people.chronology import ChronologyEntry
from thinkchild.standards.calendars import start_of

# Enough for control room to see a pattern; the chronology holds the full story.
LISTED_PER_SUBJECT = 20
CHILD_TAG = "child marker"


def _listed(user, ref: str):
    return AccessListEntry.objects.filter(
        subject_type=RecordKind.INCIDENT, subject_id=OuterRef(ref), user=user
    )


def _participant_visibility(user):
    """Annotations on Participant rows: may the user open the incident, and may they know of it."""
    listed = Exists(_listed(user, "incident_id"))
    open_or_listed = Q(incident__is_restricted=False) | Q(listed)
    visible = incident_scope_q(user, prefix="incident__") & open_or_listed
    return {
        "can_open": Case(
            When(visible, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        "may_know": Case(
            When(open_or_listed, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    }


def _incident_visibility(user):
    listed = Exists(_listed(user, "pk"))
    open_or_listed = Q(is_restricted=False) | Q(listed)
    return {
        "can_open": Case(
            When(incident_scope_q(user) & open_or_listed, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        "may_know": Case(
            When(open_or_listed, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    }


def _incident_fact(incident: Incident, role: str | None = None) -> KnownFact:
    title = incident.type.name
    if role:
        title += f" ({ParticipantRole(role).label.lower()})"
    return KnownFact(
        kind="incident",
        title=title,
        occurred_at=incident.occurred_at,
        summary=incident.reference,
        url=reverse("incidents:detail", args=[incident.pk]),
        tags=(CHILD_TAG,) if incident.has_child else (),
    )


def _more_facts(hidden: int, any_shown: bool, earlier: int) -> list[KnownFact]:
    facts = []
    if earlier:
        facts.append(
            KnownFact(
                kind="incident",
                title=f"{earlier} earlier incident{'s' if earlier != 1 else ''} not shown here",
                summary="Open the chronology for the full history.",
            )
        )
    if hidden:
        more = "more " if any_shown else ""
        facts.append(
            KnownFact(
                kind="incident",
                title=f"{hidden} {more}incident{'s' if hidden != 1 else ''} you cannot open",
                summary="Outside your scope. Ask the owning area or team if you need the details.",
            )
        )
    return facts


def previous_incidents_research(
    *, user, person_ids: list[UUID], location_id: UUID | None, exclude_incident_id=None, **_
) -> Iterable[tuple[UUID | None, KnownFact]]:
    """Research provider: earlier incidents at the address and for each participant."""
    if not role_can(user.role, RecordKind.INCIDENT, Action.VIEW):
        return []
    found: list[tuple[UUID | None, KnownFact]] = []
    consulted: dict[UUID, Incident] = {}
    if location_id:
        at_address = (
            Incident.objects.filter(location_id=location_id, force_id=user.force_id)
            .exclude(pk=exclude_incident_id)
            .annotate(**_incident_visibility(user))
            .filter(may_know=True)
            .select_related("type")
            .order_by("-occurred_at")
        )
        found += _summarise(None, [(i, None) for i in at_address], consulted)
    if person_ids:
        rows = (
            Participant.objects.filter(person_id__in=person_ids, incident__force_id=user.force_id)
            .exclude(incident_id=exclude_incident_id)
            .annotate(**_participant_visibility(user))
            .filter(may_know=True)
            .select_related("incident__type")
            .order_by("-incident__occurred_at")
        )
        per_person: dict[UUID, list] = defaultdict(list)
        for row in rows:
            row.incident.can_open = row.can_open
            per_person[row.person_id].append((row.incident, row.role))
        for person_id, incidents in per_person.items():
            found += _summarise(person_id, incidents, consulted)
    if consulted:
        # The listed incidents were read, as in a search result list (s.62 consultation).
        incident_read_log(
            user=user,
            subjects=[incident_subject(i) for i in consulted.values()],
            justification="What we already know: research on a new or open incident",
        )
    return found


def _summarise(subject_id, incidents, consulted) -> list[tuple[UUID | None, KnownFact]]:
    openable = [(i, role) for i, role in incidents if i.can_open]
    hidden = len(incidents) - len(openable)
    shown = openable[:LISTED_PER_SUBJECT]
    for incident, _role in shown:
        consulted[incident.pk] = incident
    facts = [_incident_fact(i, role) for i, role in shown]
    facts += _more_facts(hidden, bool(shown), len(openable) - len(shown))
    return [(subject_id, f) for f in facts]


def _incident_url_maker():
    """incidents:detail for any id, from one reverse() (the id is the path's only variable)."""
    placeholder = UUID(int=0)
    template = reverse("incidents:detail", args=[placeholder])
    return lambda pk: template.replace(str(placeholder), str(pk))


def incident_chronology(
    *,
    user,
    person_ids: Iterable[UUID],
    date_from: date | None = None,
    date_to: date | None = None,
    **_,
) -> list[ChronologyEntry]:
    """Chronology provider: every incident each person took part in, as far as the user may know."""
    if not role_can(user.role, RecordKind.INCIDENT, Action.VIEW):
        return []
    rows = (
        Participant.objects.filter(person_id__in=list(person_ids), incident__force_id=user.force_id)
        .annotate(**_participant_visibility(user))
        .filter(may_know=True)
    )
    if date_from:
        rows = rows.filter(incident__occurred_at__gte=start_of(date_from))
    if date_to:
        rows = rows.filter(incident__occurred_at__lt=start_of(date_to + timedelta(days=1)))
    # Plain values, not model instances: at ~500 entries, building four instances a row (the
    # participant, incident, type and address) cost more than the query itself.
    rows = rows.values_list(
        "person_id",
        "role",
        "can_open",
        "incident_id",
        "incident__occurred_at",
        "incident__reference",
        "incident__summary",
        "incident__has_child",
        "incident__type__name",
        "incident__location__line1",
        "incident__location__line2",
        "incident__location__town",
        "incident__location__postcode",
    )
    entries = []
    consulted: dict[UUID, Subject] = {}
    # One reverse() for the lot: at ~500 entries, reversing each URL cost more than the query.
    url_of = _incident_url_maker()
    role_labels = dict(ParticipantRole.choices)
    for person_id, role, can_open, pk, occurred_at, reference, summary, has_child, *rest in rows:
        type_name, *address = rest
        if not can_open:
            # Only the day, so the entry neither reveals the record nor hides that it exists.
            entries.append(
                ChronologyEntry(
                    occurred_at=start_of(incident_day(occurred_at)),
                    kind="incident",
                    kind_label="Incidents",
                    title="Incident you cannot open",
                    person_id=person_id,
                )
            )
            continue
        consulted[pk] = Subject(type="incident", id=pk, label=reference)
        place = ", ".join(part for part in address if part)
        where = f" at {place}" if place else ""
        entries.append(
            ChronologyEntry(
                occurred_at=occurred_at,
                kind="incident",
                kind_label="Incidents",
                title=f"{type_name}: {role_labels.get(role, role).lower()}",
                person_id=person_id,
                summary=f"{reference}{where}. {Truncator(summary).words(40)}",
                url=url_of(pk),
                tags=(CHILD_TAG,) if has_child else (),
            )
        )
    if consulted:
        # Reference, place and summary of each incident are read here, as in research (s.62).
        incident_read_log(
            user=user,
            subjects=list(consulted.values()),
            justification="Chronology: incidents the person took part in",
        )
    return entries

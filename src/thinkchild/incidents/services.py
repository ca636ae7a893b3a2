"""Every write to incidents and their participants. Each one runs in a transaction and logs itself.

The child marker is stored on the incident but never typed: every change that could move it (the
participants, a participant's age or pregnancy, the incident's time) ends by refreshing it through
`incidents.marker.child_marker_reasons`.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable
from datetime import date, datetime
from typing import NamedTuple
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from thinkchild.access.fastwrite import rows_among
from thinkchild.access.log import Subject, processing_log_record
from thinkchild.access.models import Operation
from thinkchild.incidents.involvement import (
    incident_holders,
    incident_involvements_refresh,
    involvements_add,
    involvements_refresh,
)
from thinkchild.incidents.marker import child_marker_reasons
from thinkchild.incidents.models import (
    Incident,
    IncidentReferenceSequence,
    IncidentType,
    Participant,
    ParticipantRole,
)
from thinkchild.people.models import Person, Pregnancy

LONDON = ZoneInfo("Europe/London")
REFERENCE_PREFIX = "TC"
# Fields a user may change on an incident; the marker fields are derived and never in this list.
EDITABLE_FIELDS = frozenset(
    {"occurred_at", "type", "location", "summary", "area", "team", "allocated_to", "is_restricted"}
)
# Who holds an incident: a change to one of these moves its participants' involvements.
HOLDER_FIELDS = frozenset({"area", "team", "allocated_to"})
_MARKER_BATCH = 5000  # The import's batch size: one refresh per import batch.


def _as_history_user(instance, actor):
    # django-simple-history reads this, so each history row names who made the change.
    if getattr(actor, "pk", None):
        instance._history_user = actor
    return instance


def incident_subject(incident: Incident) -> Subject:
    return Subject(type="incident", id=incident.pk, label=incident.reference)


def incident_day(occurred_at: datetime) -> date:
    """The day an incident happened for the marker: ages are counted in Europe/London."""
    return timezone.localtime(occurred_at, LONDON).date()


def incident_reference_next(*, on: date | None = None) -> str:
    """The next Think Child reference for the year: TC-2026-000123."""
    year = (on or timezone.localdate(timezone=LONDON)).year
    for _attempt in range(3):
        if IncidentReferenceSequence.objects.filter(year=year).update(last=F("last") + 1):
            break
        try:
            # The first incident of a year creates the row; a concurrent creator loses the race
            # inside this savepoint and takes the UPDATE path on the next attempt.
            with transaction.atomic():
                IncidentReferenceSequence.objects.create(year=year, last=1)
            break
        except IntegrityError:
            continue
    last = IncidentReferenceSequence.objects.values_list("last", flat=True).get(year=year)
    return f"{REFERENCE_PREFIX}-{year}-{last:06d}"


@transaction.atomic
def incident_create(
    *,
    actor,
    force,
    area,
    incident_type: IncidentType,
    occurred_at: datetime,
    location=None,
    summary: str = "",
    team=None,
    allocated_to=None,
    is_restricted: bool = False,
    reference: str | None = None,
) -> Incident:
    if timezone.is_naive(occurred_at):
        raise ValueError("occurred_at must be timezone-aware.")
    if area.force_id != force.pk or (location is not None and location.force_id != force.pk):
        raise ValueError("The area and the address must belong to the incident's force.")
    incident = Incident(
        force=force,
        area=area,
        team=team,
        allocated_to=allocated_to,
        reference=reference or incident_reference_next(),
        occurred_at=occurred_at,
        location=location,
        type=incident_type,
        summary=summary,
        is_restricted=is_restricted,
    )
    _as_history_user(incident, actor).save(force_insert=True)
    processing_log_record(
        operation=Operation.COLLECTION,
        actor=actor,
        subject=incident_subject(incident),
        detail={"type": incident_type.pk},
    )
    return incident


@transaction.atomic
def incident_update(*, actor, incident: Incident, **changes) -> Incident:
    """Change the fields named in `changes`; the marker follows when the time changes."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"These incident fields cannot be changed: {', '.join(sorted(unknown))}.")
    changed = [name for name, value in changes.items() if getattr(incident, name) != value]
    if not changed:
        return incident
    for name in changed:
        setattr(incident, name, changes[name])
    if "occurred_at" in changed and timezone.is_naive(incident.occurred_at):
        raise ValueError("occurred_at must be timezone-aware.")
    _as_history_user(incident, actor).save(update_fields=[*changed, "updated_at"])
    if "occurred_at" in changed:
        incident_refresh_child_marker(incident=incident)
    if HOLDER_FIELDS & set(changed):
        incident_involvements_refresh(incident=incident)
    processing_log_record(
        operation=Operation.ALTERATION,
        actor=actor,
        subject=incident_subject(incident),
        detail={"changed": sorted(changed)},
    )
    return incident


@transaction.atomic
def participant_add(*, actor, incident: Incident, person: Person, role: str) -> Participant:
    if person.force_id != incident.force_id:
        raise ValueError("A person from another force cannot take part in this incident.")
    role = ParticipantRole(role).value
    existing = Participant.objects.filter(incident=incident, person=person, role=role).first()
    if existing is not None:
        return existing
    participant = Participant(incident=incident, person=person, role=role)
    _as_history_user(participant, actor).save(force_insert=True)
    holders = incident_holders(incident.area_id, incident.team_id, incident.allocated_to_id)
    involvements_add(pairs=[(person.pk, holder) for holder in holders])
    if person.area_id is None:
        # Rule: a person with no known area belongs, for scoping, to the area of the incident they
        # were last involved in (people.Person.area), so local officers can find them.
        person.area_id = incident.area_id
        _as_history_user(person, actor).save(update_fields=["area", "updated_at"])
        processing_log_record(
            operation=Operation.ALTERATION,
            actor=actor,
            subject=Subject(type="person", id=person.pk, label=person.full_name),
            detail={"changed": ["area"], "because": f"took part in {incident.reference}"},
        )
    incident_refresh_child_marker(incident=incident)
    processing_log_record(
        operation=Operation.ALTERATION,
        actor=actor,
        subject=incident_subject(incident),
        detail={"participant_added": {"person": str(person.pk), "role": role}},
    )
    return participant


@transaction.atomic
def participant_remove(*, actor, participant: Participant) -> None:
    incident = participant.incident
    detail = {"person": str(participant.person_id), "role": participant.role}
    _as_history_user(participant, actor).delete()
    involvements_refresh(person_ids=[participant.person_id])
    incident_refresh_child_marker(incident=incident)
    processing_log_record(
        operation=Operation.ALTERATION,
        actor=actor,
        subject=incident_subject(incident),
        detail={"participant_removed": detail},
    )


@transaction.atomic
def incident_refresh_child_marker(*, incident: Incident) -> Incident:
    """Recompute one incident's marker and copy the stored values back onto `incident`."""
    incidents_refresh_child_marker(incident_ids=[incident.pk])
    stored = Incident.objects.values("has_child", "child_marker_reasons").get(pk=incident.pk)
    incident.has_child = stored["has_child"]
    incident.child_marker_reasons = stored["child_marker_reasons"]
    return incident


@transaction.atomic
def incidents_refresh_child_marker(*, incident_ids: Iterable[UUID]) -> int:
    """Recompute the marker of many incidents (an import batch); returns how many changed.

    Not logged itself: the marker is derived, and the change that moved it (an import, a new
    participant, a corrected date of birth) is logged by the service that made it.
    """
    ids = list(dict.fromkeys(incident_ids))
    changed = 0
    for start in range(0, len(ids), _MARKER_BATCH):
        changed += _refresh_batch(ids[start : start + _MARKER_BATCH])
    return changed


class _MarkerPerson:
    """A participant as child_marker_reasons reads one, built from plain values: an import batch
    refreshes thousands of incidents, and model instances cost more than the marker itself."""

    __slots__ = ("date_of_birth", "estimated_age", "estimated_age_on", "appears_under_18", "found")

    def __init__(self, date_of_birth, estimated_age, estimated_age_on, appears_under_18):
        self.date_of_birth = date_of_birth
        self.estimated_age = estimated_age
        self.estimated_age_on = estimated_age_on
        self.appears_under_18 = appears_under_18
        self.found: list = []

    @property
    def pregnancies(self):
        return self

    def all(self) -> list:
        return self.found


class _MarkerPregnancy(NamedTuple):
    known_from: date
    due_date: date | None
    ended_on: date | None


def marker_persons_load(person_ids: Iterable[UUID]) -> dict[UUID, _MarkerPerson]:
    """The people, with their pregnancies, as child_marker_reasons reads them: two queries."""
    ids = list(set(person_ids))
    if not ids:
        return {}
    columns = ["id", "date_of_birth", "estimated_age", "estimated_age_on", "appears_under_18"]
    persons = {pk: _MarkerPerson(*values) for pk, *values in rows_among(Person, columns, "id", ids)}
    for person_id, *pregnancy in rows_among(
        Pregnancy, ["person_id", "known_from", "due_date", "ended_on"], "person", ids
    ):
        persons[person_id].found.append(_MarkerPregnancy(*pregnancy))
    return persons


def incident_markers_compute(
    *,
    incidents: list[tuple[Hashable, datetime, Iterable[UUID]]],
    persons: dict[UUID, _MarkerPerson] | None = None,
) -> dict[Hashable, list[str]]:
    """The marker reasons of incidents not yet written (an import batch), by the key given.

    Each incident is (key, occurred_at, person ids); the people must already be in the database.
    Computed before the incident rows are written so that the row and its "+" history row carry
    the right marker, and no UPDATE is needed after the insert. Not logged: the marker is derived,
    and the write that stores it is logged by its caller. `persons` (from marker_persons_load)
    saves reading the people again when the caller has already read them.
    """
    incidents = [(key, occurred_at, list(ids)) for key, occurred_at, ids in incidents]
    if persons is None:
        persons = marker_persons_load(pid for _, _, ids in incidents for pid in ids)
    return {
        key: child_marker_reasons(
            [persons[pid] for pid in dict.fromkeys(ids) if pid in persons],
            incident_day(occurred_at),
        )
        for key, occurred_at, ids in incidents
    }


def _refresh_batch(ids: list[UUID]) -> int:
    # One row per participant (or one with no person for an incident without participants).
    rows = Incident.objects.filter(pk__in=ids).values_list(
        "id",
        "occurred_at",
        "has_child",
        "child_marker_reasons",
        "participants__person_id",
        "participants__person__date_of_birth",
        "participants__person__estimated_age",
        "participants__person__estimated_age_on",
        "participants__person__appears_under_18",
    )
    incidents: dict = {}
    persons: dict = {}
    for incident_id, occurred_at, has_child, reasons, person_id, *person in rows:
        if incident_id not in incidents:
            incidents[incident_id] = (occurred_at, has_child, reasons, [])
        if person_id is not None:
            if person_id not in persons:
                persons[person_id] = _MarkerPerson(*person)
            incidents[incident_id][3].append(persons[person_id])
    if persons:
        for person_id, *pregnancy in Pregnancy.objects.filter(
            person_id__in=list(persons)
        ).values_list("person_id", "known_from", "due_date", "ended_on"):
            persons[person_id].found.append(_MarkerPregnancy(*pregnancy))
    # Incidents whose marker moved, grouped by the new value: one UPDATE per distinct marker.
    stale: dict[tuple[str, ...], list] = defaultdict(list)
    for incident_id, (occurred_at, has_child, stored, people) in incidents.items():
        reasons = child_marker_reasons(people, incident_day(occurred_at))
        if reasons != stored or bool(reasons) != has_child:
            stale[tuple(reasons)].append(incident_id)
    for reasons, stale_ids in stale.items():
        Incident.objects.filter(pk__in=stale_ids).update(
            has_child=bool(reasons), child_marker_reasons=list(reasons)
        )
    return sum(len(v) for v in stale.values())


@transaction.atomic
def persons_refresh_child_marker(*, person_ids: Iterable[UUID]) -> int:
    """Recompute the marker of every incident these people took part in, after a change to what
    decides it (a date of birth, "appears under 18", a pregnancy); returns how many changed."""
    incident_ids = (
        Participant.objects.filter(person_id__in=list(person_ids))
        .values_list("incident_id", flat=True)
        .distinct()
    )
    return incidents_refresh_child_marker(incident_ids=list(incident_ids))

"""Incidents and their participants in the canonical format.

The child marker is never imported: it is derived by the incidents service from the participants
the record names (architecture §2.1), before the rows are written, so that the incident row and
its history row carry it from the start. The people a record names are written earlier in the
batch (persons come before incidents in the dependency order), so the service can read them.
"""

import datetime as dt

from django.utils import timezone

from thinkchild.access.log import Subject
from thinkchild.incidents.involvement import involvements_add_for_incidents, involvements_refresh
from thinkchild.incidents.models import Incident, IncidentType, Participant
from thinkchild.incidents.services import (
    incident_day,
    incident_markers_compute,
    incidents_refresh_child_marker,
    marker_persons_load,
)
from thinkchild.incidents.staged import STAGED_WRITER
from thinkchild.interchange.records import Item, Outcome, Reason
from thinkchild.interchange.registry import RecordType, register_record_type
from thinkchild.interchange.writing import UpsertContext, row_new, rows_save, rows_upsert

FIELDS = [
    "force",
    "area",
    "team",
    "allocated_to",
    "reference",
    "occurred_at",
    "location",
    "type",
    "summary",
    "is_restricted",
    "has_child",
    "child_marker_reasons",
    "updated_at",
]


def _check(record: dict) -> list[Reason]:
    occurred = dt.datetime.fromisoformat(record["occurred_at"])
    if occurred > timezone.now():
        return [Reason("occurred_at", f"the incident is in the future ({record['occurred_at']})")]
    return []


def _participants(item: Item) -> list[tuple[str, object, str]]:
    """(field path, person id, role) for each participant, without repeats (worked out once per
    item: the checks and the save both read them)."""
    cached = getattr(item, "_participants", None)
    if cached is not None:
        return cached
    seen, found = set(), []
    for i, p in enumerate(item.record.get("participants") or []):
        person_id = item.refs[item.ref_key(p["person"], "person")].object_id
        if (person_id, p["role"]) not in seen:
            seen.add((person_id, p["role"]))
            found.append((f"participants.{i}.person", person_id, p["role"]))
    item._participants = found
    return found


def _problems(items: list[Item], persons: dict) -> dict[int, list[Reason]]:
    """Checks that need the database: the type code, the reference, participants' births."""
    codes = set(IncidentType.objects.values_list("code", flat=True))
    references = {r["reference"] for r in (i.record for i in items)}
    owners = dict(
        Incident.objects.filter(reference__any_of=references).values_list("reference", "pk")
    )
    born = {pk: p.date_of_birth for pk, p in persons.items() if p.date_of_birth is not None}
    problems: dict[int, list[Reason]] = {}
    claimed: dict[str, int] = {}
    for item in items:
        r = item.record
        reasons = []
        if r["incident_type"] not in codes:
            reasons.append(
                Reason("incident_type", f"unknown incident type code {r['incident_type']!r}")
            )
        owner = owners.get(r["reference"])
        if (owner and owner != item.existing_id) or r["reference"] in claimed:
            where = (
                f"line {claimed[r['reference']]}"
                if r["reference"] in claimed
                else "another incident"
            )
            reasons.append(
                Reason("reference", f"reference {r['reference']} already belongs to {where}")
            )
        claimed.setdefault(r["reference"], item.line.number)
        day = incident_day(dt.datetime.fromisoformat(r["occurred_at"]))
        for path, person_id, _ in _participants(item):
            if person_id in born and born[person_id] > day:
                reasons.append(
                    Reason(
                        path,
                        f"born {born[person_id]:%d/%m/%Y}, after the incident ({day:%d/%m/%Y})",
                    )
                )
        if reasons:
            problems[id(item)] = reasons
    return problems


def _upsert(items: list[Item], ctx: UpsertContext) -> list[Outcome]:
    # The people the batch names, read once for the birth checks and the child marker.
    persons = marker_persons_load(pid for item in items for _, pid, _ in _participants(item))
    problems = _problems(items, persons)
    outcomes = [Outcome(i, reasons=problems[id(i)]) for i in items if id(i) in problems]
    items = [i for i in items if id(i) not in problems]
    # The record names every participant the incident will have (_participants_save removes the
    # others), so its marker is known before anything is written.
    markers = incident_markers_compute(
        incidents=[
            (
                id(item),
                dt.datetime.fromisoformat(item.record["occurred_at"]),
                [person_id for _, person_id, _ in _participants(item)],
            )
            for item in items
        ],
        persons=persons,
    )

    def build(item):
        r = item.record
        reasons = markers[id(item)]
        return {
            "force_id": ctx.force.pk,
            "area_id": item.ref_id("area", "area"),
            "team_id": item.ref_id("team", "team"),
            "allocated_to_id": item.ref_id("allocated_to", "user"),
            "location_id": item.ref_id("location", "location"),
            "reference": r["reference"],
            "occurred_at": dt.datetime.fromisoformat(r["occurred_at"]),
            "type_id": r["incident_type"],
            "summary": r.get("summary") or "",
            "is_restricted": bool(r.get("restricted")),
            "has_child": bool(reasons),
            "child_marker_reasons": reasons,
            "updated_at": ctx.now,
        }

    def subjects(incident):
        return [Subject(type="incident", id=incident.id, label=incident.reference)]

    accepted = rows_upsert(Incident, items, ctx, FIELDS, build, subjects)
    _participants_save(accepted, ctx)
    return outcomes + accepted


def _participants_save(outcomes: list[Outcome], ctx: UpsertContext) -> None:
    """Add the participants the record names and remove those it no longer names."""
    # In the order of the records (a dict, not a set): inserts in a stable order without sorting.
    wanted = dict.fromkeys(
        (o.object_id, person_id, role)
        for o in outcomes
        for _, person_id, role in _participants(o.item)
    )
    updated = [o.object_id for o in outcomes if not o.created]
    have = {}
    if updated:
        for pk, *key in Participant.objects.filter(incident_id__in=updated).values_list(
            "id", "incident_id", "person_id", "role"
        ):
            have[tuple(key)] = pk
    gone = [pk for key, pk in have.items() if key not in wanted]
    if gone:
        Participant.objects.filter(pk__in=gone).delete()
    new = [
        row_new(Participant, {"incident_id": i, "person_id": p, "role": role})
        for (i, p, role) in wanted
        if (i, p, role) not in have
    ]
    rows_save(Participant, new=new, changed=[], fields=[], ctx=ctx)
    # A new incident adds its people's involvements (worked out by the database from the rows
    # just written); an updated one may have changed hands or people, so theirs are worked out
    # again.
    created = [o.object_id for o in outcomes if o.created]
    involvements_add_for_incidents(incident_ids=created)
    if updated:
        new_ids = set(created)
        moved = {p for (_, p, _) in have} | {p for (i, p, _) in wanted if i not in new_ids}
        involvements_refresh(person_ids=moved)


def incidents_of_persons_refresh(person_ids: list) -> None:
    """The child marker of every incident these people are in (after their details changed)."""
    ids = set(
        Participant.objects.filter(person_id__in=person_ids).values_list("incident_id", flat=True)
    )
    if ids:
        incidents_refresh_child_marker(incident_ids=ids)


def _export(ctx):
    incidents = Incident.objects.order_by("occurred_at", "pk").prefetch_related("participants")
    for incident in incidents.iterator(chunk_size=2000):
        yield (
            incident.pk,
            {
                "reference": incident.reference,
                "occurred_at": incident.occurred_at.astimezone(dt.UTC).isoformat(),
                "incident_type": incident.type_id,
                "area": ctx.ref("area", incident.area_id),
                "team": ctx.ref("team", incident.team_id),
                "allocated_to": ctx.ref("user", incident.allocated_to_id),
                "location": ctx.ref("location", incident.location_id),
                "summary": incident.summary or None,
                "restricted": incident.is_restricted or None,
                "participants": [
                    {"person": ctx.ref("person", p.person_id), "role": p.role}
                    for p in sorted(
                        incident.participants.all(),
                        key=lambda p: (ctx.key("person", p.person_id), p.role),
                    )
                ]
                or None,
            },
        )


register_record_type(
    RecordType("incident", 1, _upsert, _export, check=_check, staged=STAGED_WRITER)
)

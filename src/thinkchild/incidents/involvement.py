"""Involvements: which areas, teams and officers hold an incident a person took part in.

Kept in the same transaction as every change to participants or to who holds an incident (the
services here and the importer), so the access layer can trust them (docs/decisions/0009).
"""

import json
from collections.abc import Iterable
from uuid import UUID

from django.db import connections, router

from thinkchild.access.fastwrite import array_text, values_insert_new
from thinkchild.incidents.models import Incident, Involvement, Participant


def incident_holders(area_id, team_id, allocated_to_id) -> list[UUID]:
    return [h for h in (area_id, team_id, allocated_to_id) if h is not None]


def involvements_add(*, pairs: Iterable[tuple[UUID, UUID]]) -> None:
    """Record (person id, holder id) pairs; pairs already recorded are left as they are."""
    fields = [Involvement._meta.get_field("person"), Involvement._meta.get_field("holder_id")]
    values_insert_new(Involvement, fields, list(dict.fromkeys(pairs)))


def incidents_involvements_add(*, incident_ids: list[UUID]) -> None:
    """Record the involvements of everyone in these incidents (just written: an import batch),
    worked out by the database from the participants and the incidents' holders, in key order
    (two import workers adding the same pair then wait for each other, never in a cycle)."""
    if not incident_ids:
        return
    connection = connections[router.db_for_write(Involvement)]
    qn = connection.ops.quote_name
    involvement, participant, incident = (
        qn(m._meta.db_table) for m in (Involvement, Participant, Incident)
    )
    if connection.vendor == "postgresql":
        among, ids = "= ANY(%s::uuid[])", array_text(incident_ids)
        insert, conflict = "INSERT INTO", "ON CONFLICT DO NOTHING"
    else:
        among = "IN (SELECT value FROM json_each(%s))"
        ids = json.dumps([i.hex for i in incident_ids])
        insert, conflict = "INSERT OR IGNORE INTO", ""
    # Names come from the models, never from input; the ids are a parameter.
    joined = f"{participant} p JOIN {incident} i ON i.id = p.incident_id"
    held = [
        f"SELECT p.person_id, i.{holder} FROM {joined} WHERE p.incident_id {among} "  # noqa: S608
        f"AND i.{holder} IS NOT NULL"
        for holder in ("area_id", "team_id", "allocated_to_id")
    ]
    sql = f"{insert} {involvement} (person_id, holder_id) {' UNION '.join(held)} ORDER BY 1, 2"
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} {conflict}", [ids] * len(held))


def involvements_refresh(*, person_ids: Iterable[UUID]) -> None:
    """Work these people's involvements out again from their participations (after one was
    removed, or an incident changed hands)."""
    person_ids = list(set(person_ids))
    if not person_ids:
        return
    Involvement.objects.filter(person_id__in=person_ids).delete()
    rows = Participant.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "incident__area_id", "incident__team_id", "incident__allocated_to_id"
    )
    involvements_add(
        pairs=(
            (person_id, holder) for person_id, *held in rows for holder in incident_holders(*held)
        )
    )


def incident_involvements_refresh(*, incident: Incident) -> None:
    """After an incident changed hands: its participants' involvements follow."""
    involvements_refresh(
        person_ids=Participant.objects.filter(incident=incident).values_list("person_id", flat=True)
    )

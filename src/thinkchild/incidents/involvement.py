"""Involvements: which areas, teams and officers hold an incident a person took part in.

Kept in the same transaction as every change to participants or to who holds an incident (the
services here and the importer), so the access layer can trust them (docs/decisions/0009).
"""

from collections.abc import Iterable
from uuid import UUID

from thinkchild.access.fastwrite import connection_for, ids_among, values_insert_new
from thinkchild.incidents.models import Incident, Involvement, Participant


def incident_holders(area_id, team_id, allocated_to_id) -> list[UUID]:
    return [h for h in (area_id, team_id, allocated_to_id) if h is not None]


def involvements_add(*, pairs: Iterable[tuple[UUID, UUID]]) -> None:
    """Record (person id, holder id) pairs; pairs already recorded are left as they are. Written
    in key order, so two import workers adding the same pair wait for each other, never in a
    cycle."""
    fields = [Involvement._meta.get_field("person"), Involvement._meta.get_field("holder_id")]
    values_insert_new(Involvement, fields, list(dict.fromkeys(pairs)))


def involvements_add_for_incidents(
    *, incident_ids: list[UUID] | None = None, ids_query: str | None = None
) -> None:
    """Record the involvements of these incidents' participants with whoever holds each, worked
    out by the database from the rows just written (an import batch's new incidents): one
    statement, instead of every pair built and sent from Python. In key order, as above. The
    incidents are `incident_ids`, or those whose ids the SQL `ids_query` selects (our own SQL,
    never input: an import's staging table, interchange.staging)."""
    if not incident_ids and not ids_query:
        return
    connection = connection_for(Involvement)
    qn = connection.ops.quote_name
    incident, participant = qn(Incident._meta.db_table), qn(Participant._meta.db_table)
    if ids_query:
        among, params = f"IN ({ids_query})", []
    else:
        among, ids = ids_among(Incident._meta.pk, incident_ids, connection)
        params = [ids]
    # Names from the models, never from input; the ids go as one parameter. Each participant
    # row is joined to the three holder columns (one pass over the incidents), nulls left out.
    pairs = (
        "SELECT p.person_id, CASE h.n WHEN 1 THEN i.area_id WHEN 2 THEN i.team_id "  # noqa: S608
        f"ELSE i.allocated_to_id END AS holder_id FROM {incident} i "
        f"JOIN {participant} p ON p.incident_id = i.id "
        "CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3) h "
        f"WHERE i.id {among}"
    )
    insert = "INSERT" if connection.vendor == "postgresql" else "INSERT OR IGNORE"
    conflict = " ON CONFLICT DO NOTHING" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"{insert} INTO {qn(Involvement._meta.db_table)} (person_id, holder_id) "  # noqa: S608
            f"SELECT * FROM ({pairs}) AS pairs WHERE holder_id IS NOT NULL "
            f"ORDER BY 1, 2{conflict}",
            params,
        )


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

"""Involvements: which areas, teams and officers hold an incident a person took part in.

Kept in the same transaction as every change to participants or to who holds an incident (the
services here and the importer), so the access layer can trust them (docs/decisions/0009).
"""

from collections.abc import Iterable
from uuid import UUID

from thinkchild.access.fastwrite import values_insert_new
from thinkchild.incidents.models import Incident, Involvement, Participant


def incident_holders(area_id, team_id, allocated_to_id) -> list[UUID]:
    return [h for h in (area_id, team_id, allocated_to_id) if h is not None]


def involvements_add(*, pairs: Iterable[tuple[UUID, UUID]]) -> None:
    """Record (person id, holder id) pairs; pairs already recorded are left as they are. Written
    in key order, so two import workers adding the same pair wait for each other, never in a
    cycle."""
    fields = [Involvement._meta.get_field("person"), Involvement._meta.get_field("holder_id")]
    values_insert_new(Involvement, fields, list(dict.fromkeys(pairs)))


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

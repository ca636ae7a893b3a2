"""Involvements: a person in an incident that a user's area, team or own allocation holds is in
that user's scope, and stops being so when the incident changes hands or the person leaves it."""

import datetime as dt

import pytest

from tests import factories
from tests.access.factories import user_in
from tests.interchange.canonical import all_records, jsonl_write, rec
from thinkchild.access.policy import RecordKind
from thinkchild.access.scope import record_in_scope
from thinkchild.incidents import services
from thinkchild.incidents.models import Incident, IncidentType, Participant, ParticipantRole
from thinkchild.interchange.services import import_files
from thinkchild.org.models import Area, Role
from thinkchild.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(force):
    return [factories.AreaFactory(force=force) for _ in range(3)]


def sees(user, person) -> bool:
    return record_in_scope(user=user, kind=RecordKind.PERSON, record=person)


def incident_in(area, actor, **kwargs):
    return services.incident_create(
        actor=actor,
        force=area.force,
        area=area,
        incident_type=IncidentType.objects.get(code="domestic_abuse"),
        occurred_at=dt.datetime(2026, 6, 10, 21, 15, tzinfo=dt.UTC),
        **kwargs,
    )


def test_taking_part_brings_a_person_into_the_incident_area_and_leaving_takes_them_out(areas):
    home, there, _ = areas
    officer_there = user_in(there, Role.OFFICER)
    child = factories.PersonFactory(force=home.force, area=home)
    incident = incident_in(there, officer_there)
    assert not sees(officer_there, child)

    services.participant_add(
        actor=officer_there, incident=incident, person=child, role=ParticipantRole.VICTIM
    )
    assert sees(officer_there, child)

    services.participant_remove(actor=officer_there, participant=Participant.objects.get())
    assert not sees(officer_there, child)


def test_a_person_in_two_incidents_of_an_area_stays_in_scope_when_they_leave_one(areas):
    home, there, _ = areas
    officer_there = user_in(there, Role.OFFICER)
    child = factories.PersonFactory(force=home.force, area=home)
    first, second = incident_in(there, officer_there), incident_in(there, officer_there)
    for incident in (first, second):
        services.participant_add(
            actor=officer_there, incident=incident, person=child, role="victim"
        )

    services.participant_remove(
        actor=officer_there, participant=Participant.objects.get(incident=first)
    )
    assert sees(officer_there, child)


def test_when_an_incident_moves_area_its_people_move_with_it(areas):
    home, there, elsewhere = areas
    officer_there, officer_elsewhere = (
        user_in(there, Role.OFFICER),
        user_in(elsewhere, Role.OFFICER),
    )
    child = factories.PersonFactory(force=home.force, area=home)
    incident = incident_in(there, officer_there)
    services.participant_add(actor=officer_there, incident=incident, person=child, role="victim")

    services.incident_update(actor=officer_there, incident=incident, area=elsewhere)

    assert not sees(officer_there, child)
    assert sees(officer_elsewhere, child)


def test_an_officer_sees_the_people_of_an_incident_allocated_to_them_in_another_area(areas):
    home, there, elsewhere = areas
    officer = user_in(elsewhere, Role.OFFICER)
    child = factories.PersonFactory(force=home.force, area=home)
    incident = incident_in(there, officer)
    services.participant_add(actor=officer, incident=incident, person=child, role="victim")
    assert not sees(officer, child)

    services.incident_update(actor=officer, incident=incident, allocated_to=officer)
    assert sees(officer, child)


def test_an_imported_incident_brings_its_people_into_its_area_and_a_reimport_moves_them(
    tmp_path,
):
    records = [*all_records(), rec("area", "A2", force="F1", code="east", name="East")]
    import_files(paths=[jsonl_write(tmp_path / "a.jsonl", records)], progress=False)
    incident = Incident.objects.get()
    people = list(Person.objects.filter(participations__incident=incident).distinct())
    east = Area.objects.get(code="east")
    officer_central, officer_east = (
        user_in(incident.area, Role.OFFICER),
        user_in(east, Role.OFFICER),
    )
    # Wherever they live, they are in the scope of the area that holds their incident.
    Person.objects.filter(pk__in=[p.pk for p in people]).update(area=None)
    assert people and all(sees(officer_central, p) for p in people)
    assert not any(sees(officer_east, p) for p in people)

    next(r for r in records if r["type"] == "incident")["area"] = "A2"
    import_files(paths=[jsonl_write(tmp_path / "b.jsonl", records)], progress=False)

    assert all(sees(officer_east, p) for p in people)
    assert not any(sees(officer_central, p) for p in people)

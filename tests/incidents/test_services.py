"""Incident services: the child marker follows every change, and every write is logged."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.incidents import services
from thinkchild.incidents.models import Incident, IncidentType, ParticipantRole

pytestmark = pytest.mark.django_db

INCIDENT_AT = dt.datetime(2026, 6, 10, 21, 15, tzinfo=dt.UTC)


@pytest.fixture
def officer(area):
    return factories.UserFactory(team=factories.TeamFactory(area=area, force=area.force))


@pytest.fixture
def incident(officer, area):
    return services.incident_create(
        actor=officer,
        force=area.force,
        area=area,
        incident_type=IncidentType.objects.get(code="domestic_abuse"),
        occurred_at=INCIDENT_AT,
        summary="Neighbour reports shouting.",
    )


def log_for(subject_id, operation):
    return ProcessingLogEntry.objects.filter(subject_id=subject_id, operation=operation)


def test_incident_create_gives_a_unique_think_child_reference_and_logs_a_collection(
    officer, area, incident
):
    second = services.incident_create(
        actor=officer,
        force=area.force,
        area=area,
        incident_type=incident.type,
        occurred_at=INCIDENT_AT,
    )
    assert re.fullmatch(r"TC-\d{4}-\d{6}", incident.reference)
    assert second.reference != incident.reference
    assert int(second.reference[-6:]) == int(incident.reference[-6:]) + 1
    entry = log_for(incident.pk, Operation.COLLECTION).get()
    assert entry.actor == officer
    assert entry.subject_label == incident.reference


def test_incident_create_keeps_a_reference_from_the_source_system(officer, area):
    incident = services.incident_create(
        actor=officer,
        force=area.force,
        area=area,
        incident_type=IncidentType.objects.get(code="neglect"),
        occurred_at=INCIDENT_AT,
        reference="NICHE-42",
    )
    assert incident.reference == "NICHE-42"


def test_a_new_incident_has_no_child_marker_until_a_child_joins(incident):
    assert incident.has_child is False
    assert incident.child_marker_reasons == []


def test_adding_a_child_marks_the_incident_and_removing_them_clears_it(officer, incident):
    child = factories.PersonFactory(force=incident.force, date_of_birth=dt.date(2015, 4, 2))
    participant = services.participant_add(
        actor=officer, incident=incident, person=child, role=ParticipantRole.CHILD_PRESENT
    )
    incident.refresh_from_db()
    assert incident.has_child is True
    assert incident.child_marker_reasons == ["under_18"]

    services.participant_remove(actor=officer, participant=participant)
    incident.refresh_from_db()
    assert incident.has_child is False
    assert incident.child_marker_reasons == []


def test_someone_who_appears_under_18_marks_the_incident(officer, incident):
    unknown_age = factories.PersonFactory(
        force=incident.force, date_of_birth=None, appears_under_18=True
    )
    services.participant_add(
        actor=officer, incident=incident, person=unknown_age, role=ParticipantRole.WITNESS
    )
    incident.refresh_from_db()
    assert incident.child_marker_reasons == ["appears_under_18"]


def test_a_pregnant_participant_marks_an_unborn_child(officer, incident):
    mother = factories.PersonFactory(force=incident.force, date_of_birth=dt.date(1996, 2, 2))
    factories.PregnancyFactory(person=mother, known_from=dt.date(2026, 3, 1), due_date=None)
    services.participant_add(
        actor=officer, incident=incident, person=mother, role=ParticipantRole.VICTIM
    )
    incident.refresh_from_db()
    assert incident.has_child is True
    assert incident.child_marker_reasons == ["unborn_child"]


def test_moving_the_incident_past_a_birthday_clears_the_marker(officer, incident):
    # 18 on 11 June 2026: a child at 21:15 on 10 June, an adult from the next day.
    nearly_adult = factories.PersonFactory(force=incident.force, date_of_birth=dt.date(2008, 6, 11))
    services.participant_add(
        actor=officer, incident=incident, person=nearly_adult, role=ParticipantRole.SUSPECT
    )
    assert Incident.objects.get(pk=incident.pk).has_child is True

    services.incident_update(
        actor=officer, incident=incident, occurred_at=dt.datetime(2026, 6, 11, 9, tzinfo=dt.UTC)
    )
    incident.refresh_from_db()
    assert incident.has_child is False
    assert log_for(incident.pk, Operation.ALTERATION).filter(detail__changed=["occurred_at"])


def test_the_day_is_counted_in_london_not_utc(officer, incident):
    # 23:30 UTC on 10 June is 00:30 on 11 June in London: the person has turned 18.
    nearly_adult = factories.PersonFactory(force=incident.force, date_of_birth=dt.date(2008, 6, 11))
    services.participant_add(
        actor=officer, incident=incident, person=nearly_adult, role=ParticipantRole.WITNESS
    )
    services.incident_update(
        actor=officer,
        incident=incident,
        occurred_at=dt.datetime(2026, 6, 10, 23, 30, tzinfo=dt.UTC),
    )
    assert incident.has_child is False


def test_incident_update_logs_what_changed_and_refuses_the_marker_fields(officer, incident):
    services.incident_update(actor=officer, incident=incident, summary="Updated by the officer.")
    entry = log_for(incident.pk, Operation.ALTERATION).get()
    assert entry.detail == {"changed": ["summary"]}
    with pytest.raises(ValueError, match="has_child"):
        services.incident_update(actor=officer, incident=incident, has_child=True)


def test_incident_update_without_a_change_writes_nothing(officer, incident):
    services.incident_update(actor=officer, incident=incident, summary=incident.summary)
    assert not log_for(incident.pk, Operation.ALTERATION).exists()


def test_participant_add_and_remove_are_logged_as_alterations_of_the_incident(officer, incident):
    person = factories.PersonFactory(force=incident.force, area=incident.area)
    participant = services.participant_add(
        actor=officer, incident=incident, person=person, role=ParticipantRole.CALLER
    )
    services.participant_remove(actor=officer, participant=participant)
    details = [e.detail for e in log_for(incident.pk, Operation.ALTERATION).order_by("occurred_at")]
    assert {"participant_added": {"person": str(person.pk), "role": "caller"}} in details
    assert {"participant_removed": {"person": str(person.pk), "role": "caller"}} in details


def test_a_person_with_no_area_takes_the_area_of_their_incident(officer, incident):
    drifter = factories.PersonFactory(force=incident.force, area=None)
    services.participant_add(
        actor=officer, incident=incident, person=drifter, role=ParticipantRole.SUSPECT
    )
    drifter.refresh_from_db()
    assert drifter.area == incident.area
    assert log_for(drifter.pk, Operation.ALTERATION).get().detail["changed"] == ["area"]


def test_a_person_with_an_area_keeps_it(officer, incident, force):
    home_area = factories.AreaFactory(force=force)
    resident = factories.PersonFactory(force=force, area=home_area)
    services.participant_add(
        actor=officer, incident=incident, person=resident, role=ParticipantRole.VICTIM
    )
    resident.refresh_from_db()
    assert resident.area == home_area


def test_bulk_refresh_marks_a_batch_in_a_fixed_number_of_queries(force, area):
    incidents = [factories.IncidentFactory(force=force, area=area) for _ in range(6)]
    for incident in incidents[:3]:
        factories.ParticipantFactory(
            incident=incident,
            person=factories.PersonFactory(force=force, date_of_birth=dt.date(2014, 1, 1)),
        )
    for incident in incidents:
        factories.ParticipantFactory(incident=incident, person=factories.PersonFactory(force=force))

    with CaptureQueriesContext(connection) as queries:
        changed = services.incidents_refresh_child_marker(incident_ids=[i.pk for i in incidents])
    assert changed == 3
    # incidents, participants with persons, pregnancies, one bulk update (plus savepoints)
    assert len([q for q in queries if "SAVEPOINT" not in q["sql"]]) <= 4
    marked = set(Incident.objects.filter(has_child=True).values_list("pk", flat=True))
    assert marked == {i.pk for i in incidents[:3]}
    # A second run finds nothing stale.
    assert services.incidents_refresh_child_marker(incident_ids=[i.pk for i in incidents]) == 0


def test_refresh_picks_up_a_participant_added_outside_the_services(officer, incident):
    """The importer writes participants in bulk and then asks for a refresh."""
    factories.ParticipantFactory(
        incident=incident,
        person=factories.PersonFactory(force=incident.force, date_of_birth=dt.date(2012, 1, 1)),
    )
    services.incident_refresh_child_marker(incident=incident)
    assert incident.has_child is True
    assert Incident.objects.get(pk=incident.pk).child_marker_reasons == ["under_18"]


def test_a_corrected_date_of_birth_reaches_every_incident_of_that_person(officer, area, incident):
    second = factories.IncidentFactory(force=area.force, area=area)
    person = factories.PersonFactory(force=area.force, area=area)  # born 1985
    for each in (incident, second):
        services.participant_add(actor=officer, incident=each, person=person, role="victim")
    person.date_of_birth = dt.date(2014, 2, 2)
    person.save()

    assert services.persons_refresh_child_marker(person_ids=[person.pk]) == 2
    assert Incident.objects.filter(has_child=True).count() == 2


def test_the_change_history_names_who_made_each_change(officer, incident):
    services.incident_update(actor=officer, incident=incident, summary="Corrected summary.")
    assert [h.history_user for h in incident.history.all()] == [officer, officer]


def test_an_incident_cannot_be_placed_in_another_forces_area(officer, force):
    other = factories.AreaFactory(force=factories.ForceFactory(code="other", name="Other"))
    with pytest.raises(ValueError, match="force"):
        services.incident_create(
            actor=officer,
            force=force,
            area=other,
            incident_type=IncidentType.objects.get(code="theft"),
            occurred_at=INCIDENT_AT,
        )


def test_correcting_a_date_of_birth_refreshes_the_marker_of_past_incidents():
    from thinkchild.people.services import person_update

    adult = factories.PersonFactory(date_of_birth=dt.date(1990, 1, 1))
    incident = factories.IncidentFactory(occurred_at=timezone.now() - dt.timedelta(days=2))
    factories.ParticipantFactory(incident=incident, person=adult)
    services.incident_refresh_child_marker(incident=incident)
    assert not Incident.objects.get(pk=incident.pk).has_child

    person_update(actor=None, person=adult, date_of_birth=dt.date(2012, 6, 1))
    assert Incident.objects.get(pk=incident.pk).child_marker_reasons == ["under_18"]


def test_recording_a_pregnancy_marks_the_incidents_it_covers():
    from thinkchild.people.services import person_record_pregnancy

    mother = factories.PersonFactory(date_of_birth=dt.date(1994, 1, 1))
    incident = factories.IncidentFactory(occurred_at=timezone.now() - dt.timedelta(days=2))
    factories.ParticipantFactory(incident=incident, person=mother)
    services.incident_refresh_child_marker(incident=incident)

    person_record_pregnancy(
        actor=None, person=mother, known_from=timezone.localdate() - dt.timedelta(days=60)
    )
    assert Incident.objects.get(pk=incident.pk).child_marker_reasons == ["unborn_child"]

"""Every write to people's records, each with the processing-log entry it must leave (s.62)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests import factories
from tests.people import factories as people_factories
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.incidents.models import Participant
from thinkchild.people import services
from thinkchild.people.models import Gender, PersonAddress, RelationshipKind

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


def log_for(subject_id, operation=None):
    entries = ProcessingLogEntry.objects.filter(subject_id=subject_id).order_by("occurred_at")
    if operation:
        entries = entries.filter(operation=operation)
    return list(entries)


@pytest.fixture
def officer(area):
    return people_factories.local_user(area)


def test_person_create_keeps_name_keys_and_logs_a_collection(officer):
    person = services.person_create(
        actor=officer,
        given_name="Siân",
        family_name="O'Brien",
        date_of_birth=dt.date(2012, 3, 27),
        gender=Gender.FEMALE,
    )
    assert (person.given_name_key, person.family_name_key) == ("sian", "obrien")
    assert person.force == officer.force
    # With no address, the person belongs to the recording officer's area, so they can find them.
    assert person.area == officer.area
    [entry] = log_for(person.pk)
    assert entry.operation == Operation.COLLECTION
    assert entry.actor == officer
    assert entry.subject_type == "person"
    assert entry.subject_label == "Siân O'Brien"
    assert person.history.first().history_user == officer


@time_machine.travel(dt.datetime(2026, 6, 15, 12, 0))
def test_person_create_with_an_estimated_age_dates_the_estimate_today(officer):
    person = services.person_create(
        actor=officer, given_name="Unknown", family_name="Child", estimated_age=14
    )
    assert person.estimated_age_on == TODAY


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date_of_birth": dt.date(2999, 1, 1)}, "Date of birth must be today or in the past"),
        ({"date_of_birth": dt.date(1899, 12, 31)}, "Date of birth must be after 1 January 1900"),
        ({"estimated_age": 121}, "Estimated age must be between 0 and 120"),
    ],
)
def test_person_create_refuses_impossible_ages_and_records_nothing(officer, fields, message):
    with pytest.raises(ValidationError) as error:
        services.person_create(actor=officer, given_name="A", family_name="B", **fields)
    assert message in error.value.messages
    assert not ProcessingLogEntry.objects.exists()


def test_person_create_at_an_address_takes_that_address_area(officer, force):
    elsewhere = factories.AreaFactory(force=force)
    home = factories.LocationFactory(force=force, area=elsewhere)
    person = services.person_create(
        actor=officer, given_name="Amelia", family_name="Hughes", address=home
    )
    assert person.area == elsewhere
    assert person.addresses.get().location == home


def test_person_update_changes_fields_and_logs_an_alteration(officer):
    person = factories.PersonFactory(force=officer.force, family_name="Smith")
    services.person_update(actor=officer, person=person, family_name="Smyth", appears_under_18=True)
    person.refresh_from_db()
    assert person.family_name_key == "smyth"
    assert person.appears_under_18
    [entry] = log_for(person.pk)
    assert entry.operation == Operation.ALTERATION
    assert entry.detail == {"fields": ["appears_under_18", "family_name"]}


def test_person_update_without_a_change_logs_nothing(officer):
    person = factories.PersonFactory(force=officer.force, family_name="Smith")
    services.person_update(actor=officer, person=person, family_name="Smith")
    assert log_for(person.pk) == []


def test_person_add_alias_keeps_its_name_keys_and_logs_a_collection(officer):
    person = factories.PersonFactory(force=officer.force)
    alias = services.person_add_alias(
        actor=officer, person=person, given_name="Jay", family_name="Ó Súilleabháin"
    )
    assert alias.family_name_key == "osuilleabhain"
    [entry] = log_for(person.pk)
    assert entry.operation == Operation.COLLECTION
    assert entry.detail == {"alias": str(alias.pk)}


def test_person_record_pregnancy_logs_a_collection(officer):
    person = factories.PersonFactory(force=officer.force)
    pregnancy = services.person_record_pregnancy(
        actor=officer, person=person, known_from=dt.date(2026, 2, 1), due_date=dt.date(2026, 9, 1)
    )
    assert person.pregnancies.get() == pregnancy
    [entry] = log_for(person.pk)
    assert entry.operation == Operation.COLLECTION
    assert entry.detail == {"pregnancy": str(pregnancy.pk)}


def test_person_move_address_closes_the_previous_address_and_follows_its_area(officer, force):
    new_area = factories.AreaFactory(force=force)
    person = factories.PersonFactory(force=force, area=officer.area)
    old = people_factories.PersonAddressFactory(person=person, valid_from=dt.date(2020, 1, 1))
    new_home = factories.LocationFactory(force=force, area=new_area)
    address = services.person_move_address(
        actor=officer, person=person, location=new_home, valid_from=dt.date(2026, 5, 1)
    )
    old.refresh_from_db()
    assert old.valid_to == dt.date(2026, 4, 30)
    assert address.valid_to is None
    person.refresh_from_db()
    assert person.area == new_area
    closed, moved = log_for(person.pk)
    assert closed.operation == Operation.ALTERATION
    assert closed.detail == {"closed_addresses": [str(old.pk)]}
    assert moved.operation == Operation.COLLECTION
    assert moved.detail["address"] == str(address.pk)


def test_a_move_to_an_address_with_no_area_leaves_the_person_area_as_it_was(officer, force):
    person = factories.PersonFactory(force=force, area=officer.area)
    services.person_move_address(
        actor=officer, person=person, location=factories.LocationFactory(force=force, area=None)
    )
    person.refresh_from_db()
    assert person.area == officer.area


def test_relationship_create_logs_a_collection_for_both_people(officer):
    mother = factories.PersonFactory(force=officer.force)
    child = factories.PersonFactory(force=officer.force)
    relationship = services.relationship_create(
        actor=officer, person=mother, other=child, kind=RelationshipKind.PARENT
    )
    for person in (mother, child):
        [entry] = log_for(person.pk)
        assert entry.operation == Operation.COLLECTION
        assert entry.detail == {"relationship": str(relationship.pk), "kind": "parent"}


def test_relationship_create_refuses_a_person_related_to_themselves(officer):
    person = factories.PersonFactory(force=officer.force)
    with pytest.raises(ValidationError):
        services.relationship_create(
            actor=officer, person=person, other=person, kind=RelationshipKind.SIBLING
        )


def test_location_create_normalises_the_postcode_and_logs_a_collection(officer):
    location = services.location_create(actor=officer, line1="12 Mill Lane", postcode="pr12ab")
    assert location.postcode == "PR1 2AB"
    [entry] = log_for(location.pk)
    assert entry.operation == Operation.COLLECTION
    assert entry.subject_type == "location"


def test_location_create_refuses_a_malformed_postcode(officer):
    with pytest.raises(ValidationError) as error:
        services.location_create(actor=officer, line1="12 Mill Lane", postcode="PR1 2")
    assert error.value.message_dict == {"postcode": ["Enter a real postcode, like PR1 2AB"]}


def test_enrolment_create_logs_a_collection(officer):
    child = factories.PersonFactory(force=officer.force, date_of_birth=dt.date(2015, 1, 1))
    school = people_factories.SchoolFactory(force=officer.force)
    enrolment = services.enrolment_create(
        actor=officer, person=child, school=school, start_date=dt.date(2019, 9, 1)
    )
    [entry] = log_for(child.pk)
    assert entry.operation == Operation.COLLECTION
    assert entry.detail == {"enrolment": str(enrolment.pk), "school": str(school.pk)}


# --- Erasure -------------------------------------------------------------------------------------

JUSTIFICATION = "Recorded in error: wrong person identified at the address (ticket 4411)"


@pytest.fixture
def recorded_person(officer):
    """A person with every kind of record about them, made through the services (so history)."""
    person = services.person_create(
        actor=officer,
        given_name="Kayleigh",
        family_name="Barnes",
        date_of_birth=dt.date(2001, 1, 1),
    )
    services.person_update(actor=officer, person=person, family_name="Barnes-Lee")
    services.person_add_alias(actor=officer, person=person, family_name="Lee")
    services.person_record_pregnancy(actor=officer, person=person, known_from=dt.date(2026, 1, 1))
    home = services.location_create(actor=officer, line1="4 Canal St", postcode="PR1 3CD")
    services.person_move_address(actor=officer, person=person, location=home)
    partner = factories.PersonFactory(force=officer.force)
    services.relationship_create(
        actor=officer, person=person, other=partner, kind=RelationshipKind.PARTNER
    )
    return person


def test_person_erase_deletes_the_person_their_records_and_their_history(officer, recorded_person):
    pk = recorded_person.pk
    counts = services.person_erase(
        actor=officer, person=recorded_person, justification=JUSTIFICATION
    )
    assert counts["aliases"] == 1 and counts["relationships"] == 1 and counts["history"] > 0
    model = type(recorded_person)
    assert not model.objects.filter(pk=pk).exists()
    assert not model.history.model.objects.filter(id=pk).exists()
    assert not PersonAddress.objects.filter(person_id=pk).exists()
    assert not PersonAddress.history.model.objects.filter(person_id=pk).exists()
    [entry] = log_for(pk, Operation.ERASURE)
    assert entry.justification == JUSTIFICATION
    assert entry.actor == officer
    # The erasure entry names no one: the name was part of what was erased.
    assert entry.subject_label == "Erased person"


def test_person_erase_needs_a_justification(officer, recorded_person):
    with pytest.raises(services.ErasureRefused):
        services.person_erase(actor=officer, person=recorded_person, justification="  ")
    assert type(recorded_person).objects.filter(pk=recorded_person.pk).exists()


def test_person_erase_refuses_a_participant_unless_asked_to_remove_the_participations(officer):
    child = factories.PersonFactory(force=officer.force, date_of_birth=dt.date(2015, 1, 1))
    participant = factories.ParticipantFactory(
        person=child, incident__force=officer.force, incident__area=officer.area
    )
    incident = participant.incident
    with pytest.raises(services.ErasureRefused, match="in 1 incident"):
        services.person_erase(actor=officer, person=child, justification=JUSTIFICATION)
    assert Participant.objects.filter(pk=participant.pk).exists()

    counts = services.person_erase(
        actor=officer, person=child, justification=JUSTIFICATION, include_participations=True
    )
    assert counts["participations"] == 1
    assert not Participant.objects.filter(person_id=child.pk).exists()
    assert not Participant.history.model.objects.filter(person_id=child.pk).exists()
    [entry] = log_for(child.pk, Operation.ERASURE)
    assert entry.detail["incidents"] == [str(incident.pk)]


def test_erasing_the_only_child_in_an_incident_clears_its_child_marker(officer):
    from thinkchild.incidents.services import incidents_refresh_child_marker

    child = factories.PersonFactory(force=officer.force, date_of_birth=dt.date(2015, 1, 1))
    adult = factories.PersonFactory(force=officer.force, date_of_birth=dt.date(1980, 1, 1))
    participant = factories.ParticipantFactory(
        person=child, incident__force=officer.force, incident__area=officer.area
    )
    incident = participant.incident
    factories.ParticipantFactory(person=adult, incident=incident)
    incidents_refresh_child_marker(incident_ids=[incident.pk])
    incident.refresh_from_db()
    assert incident.has_child

    services.person_erase(
        actor=officer, person=child, justification=JUSTIFICATION, include_participations=True
    )
    incident.refresh_from_db()
    assert not incident.has_child

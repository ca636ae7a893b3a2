"""The chronology: every provider's entries in time order, filters, and the household merge."""

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories
from tests.people import factories as people_factories
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.access.scope import ReasonRequired
from thinkchild.people.models import RelationshipKind
from thinkchild.people.selectors import person_chronology

pytestmark = pytest.mark.django_db

REASON = "Strategy discussion this afternoon about the children at this address"


@pytest.fixture
def officer(area):
    return people_factories.local_user(area)


@pytest.fixture
def child(area):
    child = factories.PersonFactory(
        force=area.force, area=area, given_name="Ella", date_of_birth=dt.date(2015, 4, 2)
    )
    people_factories.PersonAddressFactory(
        person=child,
        location=factories.LocationFactory(line1="12 Mill Lane", postcode="PR1 2AB"),
        valid_from=dt.date(2019, 5, 1),
    )
    people_factories.EnrolmentFactory(
        person=child, school__name="Moor Park Primary", start_date=dt.date(2020, 9, 3)
    )
    factories.ParticipantFactory(
        person=child,
        role="child_present",
        incident__force=area.force,
        incident__area=area,
        incident__occurred_at=timezone.make_aware(dt.datetime(2026, 3, 10, 21, 15)),
    )
    return child


def titles(chronology):
    return [item.entry.title for item in chronology.items]


def test_entries_from_every_provider_come_newest_first(officer, child):
    chronology = person_chronology(user=officer, person_ids=[child.pk])
    assert titles(chronology) == [
        "Concern for a child: child present",
        "Started at Moor Park Primary",
        "Moved to 12 Mill Lane, " + child.addresses.get().location.town + ", PR1 2AB",
    ]
    counts = {k.kind: k.count for k in chronology.kinds}
    assert counts["incident"] == 1 and counts["enrolment"] == 1 and counts["address"] == 1
    assert counts["pregnancy"] == 0 and counts["relationship"] == 0


def test_filters_by_kind_and_date_range_keep_the_counts_of_every_kind(officer, child):
    only_school = person_chronology(user=officer, person_ids=[child.pk], kinds=["enrolment"])
    assert titles(only_school) == ["Started at Moor Park Primary"]
    assert {k.kind for k in only_school.kinds if k.selected} == {"enrolment"}
    assert sum(k.count for k in only_school.kinds) == 3

    since_2020 = person_chronology(
        user=officer,
        person_ids=[child.pk],
        date_from=dt.date(2020, 1, 1),
        date_to=dt.date(2025, 12, 31),
    )
    assert titles(since_2020) == ["Started at Moor Park Primary"]


def test_the_chronology_is_logged_as_a_consultation_of_the_person(officer, child):
    person_chronology(user=officer, person_ids=[child.pk])
    [entry] = ProcessingLogEntry.objects.filter(subject_id=child.pk)
    assert entry.operation == Operation.CONSULTATION
    assert entry.justification.startswith("Chronology: In scope")


def test_a_person_out_of_scope_needs_a_reason_for_their_chronology(force, child):
    outsider = people_factories.local_user(factories.AreaFactory(force=force))
    with pytest.raises(ReasonRequired):
        person_chronology(user=outsider, person_ids=[child.pk])
    chronology = person_chronology(user=outsider, person_ids=[child.pk], reason=REASON)
    assert len(chronology.items) == 3
    [entry] = ProcessingLogEntry.objects.filter(subject_id=child.pk)
    assert entry.justification == f"Chronology: {REASON}"
    assert entry.out_of_scope


def test_a_household_chronology_labels_whose_each_entry_is(officer, area, force, child):
    mother = factories.PersonFactory(force=force, area=area, given_name="Mum", family_name="Cole")
    people_factories.RelationshipFactory(
        person=mother, other=child, kind=RelationshipKind.PARENT, valid_from=dt.date(2015, 4, 2)
    )
    factories.PregnancyFactory(person=mother, known_from=dt.date(2026, 1, 20), due_date=None)
    unseen = factories.PersonFactory(force=force, area=factories.AreaFactory(force=force))

    chronology = person_chronology(user=officer, person_ids=[child.pk, mother.pk, unseen.pk])

    by_title = {item.entry.title: item.person_name for item in chronology.items}
    assert by_title["Pregnancy recorded (an unborn child)"] == "Mum Cole"
    assert by_title["Started at Moor Park Primary"] == child.full_name
    assert by_title[f"Recorded as parent of {child.full_name}"] == "Mum Cole"
    assert by_title["Mum Cole recorded as their parent"] == child.full_name
    assert chronology.hidden_count == 1
    dates = [item.entry.occurred_at for item in chronology.items]
    assert dates == sorted(dates, reverse=True)


def test_a_relationship_with_a_restricted_person_is_left_out_unless_listed(officer, child, area):
    from thinkchild.access.models import AccessListEntry

    carer = factories.PersonFactory(
        force=area.force, area=area, given_name="Protected", is_restricted=True
    )
    people_factories.RelationshipFactory(
        person=carer, other=child, kind=RelationshipKind.CARER, valid_from=dt.date(2024, 1, 1)
    )
    assert not any(
        "Protected" in t or "restricted" in t
        for t in titles(person_chronology(user=officer, person_ids=[child.pk]))
    )
    AccessListEntry.objects.create(subject_type="person", subject_id=carer.pk, user=officer)
    assert any(
        t.startswith("Protected")
        for t in titles(person_chronology(user=officer, person_ids=[child.pk]))
    )

"""The household: current relationships either way, and the people at the same address now."""

import datetime as dt

import pytest

from tests import factories
from tests.people import factories as people_factories
from thinkchild.access.models import ProcessingLogEntry
from thinkchild.people.models import RelationshipKind
from thinkchild.people.selectors import person_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(area):
    return people_factories.local_user(area)


def resident(area, given, **kwargs):
    return factories.PersonFactory(force=area.force, area=area, given_name=given, **kwargs)


def members(household):
    return {m.person.given_name: m.relations for m in household.members}


def test_the_household_is_current_relatives_and_people_at_the_same_address(officer, area):
    child = resident(area, "Child", date_of_birth=dt.date(2016, 1, 1))
    mother = resident(area, "Mother")
    sister = resident(area, "Sister")
    lodger = resident(area, "Lodger")
    old_partner = resident(area, "Former")
    neighbour_before = resident(area, "Before")
    people_factories.RelationshipFactory(person=mother, other=child, kind=RelationshipKind.PARENT)
    people_factories.RelationshipFactory(person=child, other=sister, kind=RelationshipKind.SIBLING)
    people_factories.RelationshipFactory(
        person=old_partner, other=child, kind=RelationshipKind.CARER, valid_to=dt.date(2020, 1, 1)
    )
    home = factories.LocationFactory(force=area.force, area=area)
    for person in (child, mother, lodger):
        people_factories.PersonAddressFactory(person=person, location=home)
    people_factories.PersonAddressFactory(
        person=neighbour_before, location=home, valid_to=dt.date(2021, 1, 1)
    )

    household = person_household(user=officer, person=child)

    assert members(household) == {
        "Mother": ["Parent", "Same address"],
        "Sister": ["Sibling"],
        "Lodger": ["Same address"],
    }
    assert household.hidden_count == 0
    assert household.person_ids[0] == child.pk
    logged = ProcessingLogEntry.objects.values_list("subject_id", flat=True)
    assert set(logged) == {mother.pk, sister.pk, lodger.pk}


def test_the_relationship_is_described_from_the_opened_persons_side(officer, area):
    mother = resident(area, "Mother")
    child = resident(area, "Child")
    people_factories.RelationshipFactory(person=mother, other=child, kind=RelationshipKind.PARENT)
    assert members(person_household(user=officer, person=mother)) == {"Child": ["Child"]}


def test_out_of_scope_relatives_are_counted_and_restricted_ones_not_mentioned(officer, area, force):
    child = resident(area, "Child")
    father = factories.PersonFactory(
        force=force, area=factories.AreaFactory(force=force), given_name="Father"
    )
    restricted = resident(area, "Hidden", is_restricted=True)
    people_factories.RelationshipFactory(person=father, other=child, kind=RelationshipKind.PARENT)
    people_factories.RelationshipFactory(
        person=restricted, other=child, kind=RelationshipKind.CARER
    )
    household = person_household(user=officer, person=child)
    assert household.members == []
    assert household.hidden_count == 1  # the father, outside the area; not the restricted carer

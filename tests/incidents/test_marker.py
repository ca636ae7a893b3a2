"""The child marker is derived from the participants in each of its three cases."""

import datetime as dt

import pytest

from tests import factories
from thinkchild.incidents.marker import child_marker_reasons
from thinkchild.people.models import Person

pytestmark = pytest.mark.django_db

INCIDENT_DAY = dt.date(2026, 3, 10)


def reasons_for(*people):
    persons = Person.objects.filter(pk__in=[p.pk for p in people]).prefetch_related("pregnancies")
    return child_marker_reasons(persons, INCIDENT_DAY)


def test_a_participant_under_18_on_the_day_marks_the_incident():
    seventeen = factories.PersonFactory(date_of_birth=dt.date(2008, 3, 11))  # 18 the next day
    assert reasons_for(seventeen) == ["under_18"]


def test_a_participant_who_turned_18_that_day_does_not():
    adult = factories.PersonFactory(date_of_birth=dt.date(2008, 3, 10))
    assert reasons_for(adult) == []


def test_an_estimated_age_counts_when_there_is_no_date_of_birth():
    child = factories.PersonFactory(
        date_of_birth=None, estimated_age=15, estimated_age_on=dt.date(2025, 1, 1)
    )
    assert reasons_for(child) == ["under_18"]


def test_appears_under_18_marks_an_adult_or_unknown_age():
    unknown = factories.PersonFactory(date_of_birth=None, appears_under_18=True)
    assert reasons_for(unknown) == ["appears_under_18"]


def test_a_pregnant_participant_marks_an_unborn_child():
    mother = factories.PersonFactory(date_of_birth=dt.date(1995, 1, 1))
    factories.PregnancyFactory(person=mother, known_from=dt.date(2026, 1, 5), due_date=None)
    assert reasons_for(mother) == ["unborn_child"]


def test_a_pregnancy_that_ended_before_the_incident_does_not():
    mother = factories.PersonFactory(date_of_birth=dt.date(1995, 1, 1))
    factories.PregnancyFactory(
        person=mother, known_from=dt.date(2025, 5, 1), ended_on=dt.date(2026, 2, 1)
    )
    assert reasons_for(mother) == []

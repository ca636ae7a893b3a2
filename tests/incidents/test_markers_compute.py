"""incident_markers_compute: the marker of incidents not yet written, from their people."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from thinkchild.incidents.services import incident_markers_compute

pytestmark = pytest.mark.django_db

EVENING = dt.datetime(2026, 3, 10, 21, 15, tzinfo=dt.UTC)


def test_each_incident_gets_the_reasons_of_its_own_people_in_two_queries():
    force = factories.ForceFactory()
    child = factories.PersonFactory(force=force, date_of_birth=dt.date(2015, 4, 2))
    adult = factories.PersonFactory(force=force, date_of_birth=dt.date(1988, 1, 20))
    pregnant = factories.PersonFactory(force=force, date_of_birth=dt.date(1990, 5, 5))
    factories.PregnancyFactory(
        person=pregnant, known_from=dt.date(2026, 1, 5), due_date=dt.date(2026, 9, 1)
    )

    with CaptureQueriesContext(connection) as queries:
        markers = incident_markers_compute(
            incidents=[
                ("with a child", EVENING, [child.pk, adult.pk]),
                ("adults only", EVENING, [adult.pk]),
                ("pregnant", EVENING, [pregnant.pk, adult.pk]),
                ("nobody", EVENING, []),
            ]
        )

    assert markers == {
        "with a child": ["under_18"],
        "adults only": [],
        "pregnant": ["unborn_child"],
        "nobody": [],
    }
    assert len(queries) == 2


def test_someone_not_in_the_database_counts_for_nothing():
    assert incident_markers_compute(incidents=[("x", EVENING, [uuid.uuid4()])]) == {"x": []}

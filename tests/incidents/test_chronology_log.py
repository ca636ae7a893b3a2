"""Security review: a chronology that shows an incident's details logs reading that incident."""

import datetime as dt

import pytest

from tests import factories
from tests.incidents.factories import beat, user_in
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.incidents.previous import incident_chronology
from thinkchild.org.models import Role

pytestmark = pytest.mark.django_db


def test_a_chronology_logs_a_consultation_of_each_incident_it_shows(force):
    places = beat(force)
    officer = user_in(Role.OFFICER, force=force, team=places.north_team)
    child = factories.PersonFactory(
        force=force, area=places.north, date_of_birth=dt.date(2015, 4, 2)
    )
    shown = factories.IncidentFactory(force=force, area=places.north, reference="SHOWN")
    out_of_scope = factories.IncidentFactory(force=force, area=places.south, reference="OTHER")
    for incident in (shown, out_of_scope):
        factories.ParticipantFactory(incident=incident, person=child, role="child_present")

    entries = incident_chronology(user=officer, person_ids=[child.pk])

    assert any("SHOWN" in e.summary for e in entries)
    consulted = set(
        ProcessingLogEntry.objects.filter(
            operation=Operation.CONSULTATION, actor=officer
        ).values_list("subject_id", flat=True)
    )
    assert shown.pk in consulted
    assert out_of_scope.pk not in consulted  # only counted on screen, never read

"""The incidents API: the same selectors as the web, and a disclosure logged for each record sent.

The endpoints are called as functions with a request carrying the authenticated account (what the
bearer-token auth sets), so these tests do not depend on how the lead mounts the router.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from ninja.errors import HttpError

from tests import factories
from tests.incidents.factories import beat, user_in
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.access.scope import AccessDenied
from thinkchild.incidents import api
from thinkchild.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(force):
    return beat(force)


@pytest.fixture
def account(force):
    return user_in(Role.SYSTEM_ACCOUNT, force=force)


@pytest.fixture
def incident(places):
    incident = factories.IncidentFactory(
        force=places.north.force,
        area=places.north,
        reference="API-1",
        has_child=True,
        child_marker_reasons=["under_18"],
    )
    child = factories.PersonFactory(force=incident.force, date_of_birth=dt.date(2016, 5, 5))
    factories.ParticipantFactory(incident=incident, person=child, role="child_present")
    return incident


def request_by(user):
    return SimpleNamespace(auth=user, user=user)


def test_the_list_filters_on_the_child_marker_and_discloses_to_the_account(
    account, places, incident
):
    factories.IncidentFactory(force=incident.force, area=places.south, reference="NO-CHILD")

    body = api.IncidentPage.model_validate(api.incidents_list(request_by(account), has_child=True))

    assert [item.reference for item in body.items] == ["API-1"]
    assert body.items[0].child_marker_reasons == ["under_18"]
    assert body.items[0].participant_count == 1
    entry = ProcessingLogEntry.objects.get(subject_id=incident.pk)
    assert entry.operation == Operation.DISCLOSURE
    assert entry.recipient == account.username


def test_one_incident_comes_with_its_participants_and_the_marker_explained(account, incident):
    body = api.IncidentDetailOut.model_validate(
        api.incidents_detail(request_by(account), incident.pk)
    )
    assert body.child_marker_explained == ["A participant was under 18"]
    [participant] = body.participants
    assert participant.role == "child_present"
    assert participant.child is True
    assert participant.age_at_the_time is not None


def test_research_is_grouped_by_address_and_participant(account, places, incident):
    earlier = factories.IncidentFactory(force=incident.force, area=places.north, reference="OLD")
    factories.ParticipantFactory(
        incident=earlier, person=incident.participants.get().person, role="victim"
    )
    groups = [
        api.ResearchGroupOut.model_validate(g)
        for g in api.incidents_research(request_by(account), incident.pk)
    ]
    [person] = groups  # no address recorded on this incident
    assert [f.summary for f in person.facts] == ["OLD"]


def test_an_unauthenticated_call_is_refused():
    anonymous = SimpleNamespace(auth=None, user=SimpleNamespace(is_authenticated=False))
    with pytest.raises(HttpError) as refused:
        api.incidents_list(anonymous)
    assert refused.value.status_code == 401


def test_a_restricted_incident_is_refused_to_the_account(account, places):
    restricted = factories.IncidentFactory(
        force=account.force, area=places.north, is_restricted=True
    )
    with pytest.raises(AccessDenied):
        api.incidents_detail(request_by(account), restricted.pk)

"""The people API: the web's selectors, so the same scope, and disclosures logged to the account."""

import datetime as dt
from urllib.parse import urlencode

import pytest
from ninja.testing import TestClient

from tests import factories
from tests.people import factories as people_factories
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.org.models import Role, TeamKind
from thinkchild.people.api import router

pytestmark = pytest.mark.django_db

REASON = "Checking a referral from the neighbouring area about this child"


@pytest.fixture
def api():
    return TestClient(router)


@pytest.fixture
def account(force):
    return people_factories.force_wide_user(force, Role.SYSTEM_ACCOUNT, username="niche-rms")


@pytest.fixture
def child(area):
    return factories.PersonFactory(
        force=area.force,
        area=area,
        given_name="Amelia",
        family_name="Hughes",
        date_of_birth=dt.date(2015, 4, 2),
    )


def test_search_returns_the_page_and_logs_a_disclosure_to_the_account(api, account, child):
    response = api.get("/people?name=hughes", auth=account)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [found] = body["results"]
    assert found["id"] == str(child.pk)
    assert found["is_child"] is True
    [entry] = ProcessingLogEntry.objects.filter(subject_id=child.pk)
    assert entry.operation == Operation.DISCLOSURE
    assert entry.recipient == "niche-rms"


def test_search_needs_something_to_search_for(api, account):
    assert api.get("/people", auth=account).status_code == 400


def test_one_person_and_their_chronology(api, account, child):
    people_factories.PersonAddressFactory(person=child, valid_from=dt.date(2019, 5, 1))
    assert api.get(f"/people/{child.pk}", auth=account).json()["family_name"] == "Hughes"
    chronology = api.get(f"/people/{child.pk}/chronology", auth=account).json()
    assert [e["kind"] for e in chronology["entries"]] == ["address"]
    assert (
        ProcessingLogEntry.objects.filter(
            subject_id=child.pk, operation=Operation.DISCLOSURE
        ).count()
        == 2
    )


def test_an_officer_out_of_scope_is_refused_without_a_reason_and_let_in_with_one(api, force, child):
    officer = people_factories.local_user(factories.AreaFactory(force=force))
    refused = api.get(f"/people/{child.pk}", auth=officer)
    assert refused.status_code == 403
    assert "say why" in refused.json()["detail"]
    assert (
        api.get(f"/people/{child.pk}?{urlencode({'reason': REASON})}", auth=officer).status_code
        == 200
    )
    [entry] = ProcessingLogEntry.objects.filter(subject_id=child.pk)
    assert entry.operation == Operation.CONSULTATION
    assert entry.out_of_scope and entry.justification == REASON


def test_an_analyst_is_refused(api, force, child):
    analyst = people_factories.force_wide_user(force, Role.ANALYST, kind=TeamKind.PUBLIC_PROTECTION)
    assert api.get("/people?name=hughes", auth=analyst).status_code == 403
    assert api.get(f"/people/{child.pk}", auth=analyst).status_code == 403


def test_an_unknown_person_is_not_found(api, account):
    missing = "00000000-0000-4000-8000-000000000000"
    assert api.get(f"/people/{missing}", auth=account).status_code == 404


def test_through_the_wired_api_with_a_token_the_channel_and_recipient_are_recorded(
    client, account, child
):
    from thinkchild.org.services import api_token_issue

    token = api_token_issue(user=account, name="Niche nightly")
    response = client.get(
        "/api/v1/people", {"name": "hughes"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == str(child.pk)
    [entry] = ProcessingLogEntry.objects.filter(subject_id=child.pk)
    assert (entry.operation, entry.channel, entry.recipient) == (
        Operation.DISCLOSURE,
        "api",
        "niche-rms",
    )
    assert client.get("/api/v1/people", {"name": "hughes"}).status_code == 401

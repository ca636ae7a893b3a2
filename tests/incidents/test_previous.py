"""What we already know, and the chronology: earlier incidents, scoped and logged."""

import datetime as dt

import pytest

from tests import factories
from tests.incidents.factories import beat, user_in
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.incidents import research, selectors
from thinkchild.incidents.previous import incident_chronology
from thinkchild.incidents.research import KnownFact
from thinkchild.org.models import Role
from thinkchild.people.chronology import chronology_providers

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(force):
    return beat(force)


@pytest.fixture
def officer(force, places):
    return user_in(Role.OFFICER, force=force, team=places.north_team)


@pytest.fixture
def home(force, places):
    return factories.LocationFactory(force=force, area=places.north, line1="12 Mill Lane")


@pytest.fixture
def child(force, places):
    return factories.PersonFactory(
        force=force, area=places.north, given_name="Amelia", date_of_birth=dt.date(2015, 4, 2)
    )


@pytest.fixture
def tonight(places, home, child):
    incident = factories.IncidentFactory(
        force=places.north.force, area=places.north, location=home, reference="TONIGHT"
    )
    factories.ParticipantFactory(incident=incident, person=child, role="child_present")
    return incident


def earlier(area, days, **fields):
    when = dt.datetime(2026, 1, 1, 20, tzinfo=dt.UTC) - dt.timedelta(days=days)
    return factories.IncidentFactory(force=area.force, area=area, occurred_at=when, **fields)


def research_for(user, incident):
    fetched = selectors.incident_get(user=user, incident_id=incident.pk)
    return selectors.incident_research(user=user, incident=fetched)


def test_research_lists_earlier_incidents_at_the_address_and_for_each_participant(
    officer, places, home, child, tonight
):
    at_home = earlier(places.north, 10, location=home, reference="AT-HOME")
    with_child = earlier(places.north, 20, reference="WITH-CHILD", has_child=True)
    factories.ParticipantFactory(incident=with_child, person=child, role="victim")

    address, amelia = research_for(officer, tonight)

    assert address.caption == "Address"
    assert "12 Mill Lane" in address.heading
    assert [f.summary for f in address.facts] == [at_home.reference]
    assert amelia.heading == child.full_name
    assert amelia.caption == "Child present"
    [fact] = amelia.facts
    assert fact.summary == "WITH-CHILD"
    assert fact.title == "Concern for a child (victim)"
    assert fact.tags == ("child marker",)
    assert fact.url == f"/incidents/{with_child.pk}/"


def test_the_incident_being_researched_is_not_listed_as_its_own_history(officer, tonight):
    groups = research_for(officer, tonight)
    assert all(f.summary != "TONIGHT" for g in groups for f in g.facts)


def test_incidents_outside_scope_are_counted_without_details(officer, places, home, tonight):
    earlier(places.north, 5, location=home, reference="VISIBLE")
    earlier(places.south, 6, location=home, reference="SOUTH-1")
    earlier(places.south, 7, location=home, reference="SOUTH-2")

    address = research_for(officer, tonight)[0]

    assert [f.summary for f in address.facts if f.url] == ["VISIBLE"]
    titles = [f.title for f in address.facts]
    assert "2 more incidents you cannot open" in titles
    assert not any("SOUTH" in f.summary or "SOUTH" in f.title for f in address.facts)


def test_a_restricted_incident_is_not_even_counted(officer, places, home, tonight):
    earlier(places.north, 5, location=home, is_restricted=True, reference="SECRET")
    address = research_for(officer, tonight)[0]
    assert address.facts == []


def test_research_logs_a_consultation_of_each_listed_incident(officer, places, home, tonight):
    listed = earlier(places.north, 5, location=home)
    counted = earlier(places.south, 5, location=home)
    research_for(officer, tonight)
    consulted = set(
        ProcessingLogEntry.objects.filter(operation=Operation.CONSULTATION).values_list(
            "subject_id", flat=True
        )
    )
    assert listed.pk in consulted
    assert counted.pk not in consulted


def test_warnings_from_other_apps_come_first(officer, places, home, child, tonight):
    earlier(places.north, 1, location=home)

    def referrals(*, person_ids, location_id, **_):
        yield None, KnownFact(kind="referral", title="Open referral at this address", warning=True)

    research.register_research_provider("test-referrals", referrals)
    try:
        address = research_for(officer, tonight)[0]
    finally:
        research._providers.pop("test-referrals")
    assert address.facts[0].title == "Open referral at this address"
    assert len(address.facts) == 2


def test_the_chronology_provider_is_registered():
    label, provider = chronology_providers()["incident"]
    assert label == "Incidents"
    assert provider is incident_chronology


def test_chronology_lists_the_persons_incidents_as_far_as_the_user_may_know(
    officer, places, child, tonight
):
    elsewhere = earlier(places.south, 3, reference="SOUTH")
    secret = earlier(places.north, 4, reference="SECRET", is_restricted=True)
    for incident in (elsewhere, secret):
        factories.ParticipantFactory(incident=incident, person=child, role="victim")
    tonight.has_child = True
    tonight.save()

    entries = sorted(
        incident_chronology(user=officer, person_ids=[child.pk]),
        key=lambda e: e.occurred_at,
        reverse=True,
    )

    assert len(entries) == 2  # the restricted incident is not mentioned
    mine, hidden = entries
    assert mine.title == "Concern for a child: child present"
    assert mine.url == f"/incidents/{tonight.pk}/"
    assert "child marker" in mine.tags
    assert mine.summary.startswith("TONIGHT at 12 Mill Lane")
    assert hidden.title == "Incident you cannot open"
    assert (hidden.url, hidden.summary, hidden.tags) == ("", "", ())
    assert hidden.occurred_at.time() == dt.time(0, 0)


def test_chronology_respects_date_bounds(officer, places, child, tonight):
    old = earlier(places.north, 400, reference="OLD")
    factories.ParticipantFactory(incident=old, person=child, role="victim")
    entries = incident_chronology(
        user=officer, person_ids=[child.pk], date_from=dt.date(2025, 6, 1)
    )
    assert "OLD" not in " ".join(e.summary for e in entries)
    assert len(entries) == 1

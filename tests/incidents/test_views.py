"""The incident pages: the child tag, what we already know, recording an incident."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories
from tests.incidents.factories import beat, user_in
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.incidents.models import Incident, Participant
from thinkchild.org.models import Role
from thinkchild.people.models import Location

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(force):
    return beat(force)


@pytest.fixture
def officer(force, places):
    return user_in(Role.OFFICER, force=force, team=places.north_team)


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def incident(places):
    incident = factories.IncidentFactory(
        force=places.north.force,
        area=places.north,
        reference="TC-2026-000007",
        has_child=True,
        child_marker_reasons=["under_18", "unborn_child"],
        occurred_at=dt.datetime(2026, 3, 10, 21, 15, tzinfo=dt.UTC),
    )
    child = factories.PersonFactory(
        force=incident.force, given_name="Amelia", date_of_birth=dt.date(2015, 4, 2)
    )
    factories.ParticipantFactory(incident=incident, person=child, role="child_present")
    return incident


def test_the_list_shows_the_child_tag_and_filters_on_it(signed_in, places, incident):
    factories.IncidentFactory(force=places.north.force, area=places.north, reference="ADULTS")

    everything = signed_in.get(reverse("incidents:list")).content.decode()
    assert "TC-2026-000007" in everything and "ADULTS" in everything
    assert 'govuk-tag--red">Child</strong>' in everything

    children = signed_in.get(reverse("incidents:list"), {"has_child": "on"}).content.decode()
    assert "TC-2026-000007" in children
    assert "ADULTS" not in children


def test_a_bad_date_filter_shows_an_error_summary(signed_in, incident):
    response = signed_in.get(
        reverse("incidents:list"),
        {"date_from_day": "31", "date_from_month": "2", "date_from_year": "2026"},
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "must be a real date" in page


def test_the_incident_page_shows_ages_the_marker_in_words_and_what_we_already_know(
    signed_in, places, incident
):
    earlier = factories.IncidentFactory(
        force=incident.force, area=places.north, reference="EARLIER-1"
    )
    factories.ParticipantFactory(
        incident=earlier, person=incident.participants.get().person, role="victim"
    )

    page = signed_in.get(reverse("incidents:detail", args=[incident.pk])).content.decode()

    assert "Incident TC-2026-000007" in page
    assert "Amelia" in page
    assert '<td class="govuk-table__cell">10</td>' in page  # her age on 10 March 2026
    assert "a participant was under 18" in page
    assert "a participant was pregnant" in page
    assert "What we already know" in page
    assert "EARLIER-1" in page


def test_an_incident_outside_scope_sends_the_officer_to_give_a_reason(signed_in, places):
    elsewhere = factories.IncidentFactory(force=places.south.force, area=places.south)
    response = signed_in.get(reverse("incidents:detail", args=[elsewhere.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access:reason"))
    assert "kind=incident" in response["Location"]


def test_the_reason_given_opens_the_incident_and_is_logged(signed_in, places):
    elsewhere = factories.IncidentFactory(force=places.south.force, area=places.south)
    url = reverse("incidents:detail", args=[elsewhere.pk])
    reason = "Child from my area reported at this address"
    signed_in.post(
        reverse("access:reason"),
        {"kind": "incident", "id": elsewhere.pk, "next": url, "reason": reason},
    )
    response = signed_in.get(url)
    assert response.status_code == 200
    entry = ProcessingLogEntry.objects.get(subject_id=elsewhere.pk)
    assert (entry.justification, entry.out_of_scope) == (reason, True)


def test_an_analyst_is_refused_the_list(client, force):
    client.force_login(user_in(Role.ANALYST, force=force))
    response = client.get(reverse("incidents:list"))
    assert response.status_code == 403


def test_recording_an_incident_at_a_new_address_shows_its_page(signed_in, officer, places):
    response = signed_in.post(
        reverse("incidents:create"),
        {
            "incident_type": "domestic_abuse",
            "occurred_on_day": "10",
            "occurred_on_month": "3",
            "occurred_on_year": "2026",
            "occurred_time": "21:15",
            "area": places.north.pk,
            "postcode": "pr1 2ab",
            "line1": "12 Mill Lane",
            "town": "Preston",
            "summary": "Neighbour heard shouting and a child crying.",
        },
        follow=True,
    )
    incident = Incident.objects.get()
    assert response.redirect_chain[-1][0] == reverse("incidents:detail", args=[incident.pk])
    page = response.content.decode()
    assert f"Incident {incident.reference} recorded" in page
    assert "What we already know" in page
    assert incident.occurred_at == dt.datetime(2026, 3, 10, 21, 15, tzinfo=dt.UTC)
    assert incident.team == officer.team
    assert str(incident.location) == "12 Mill Lane, Preston, PR1 2AB"
    assert ProcessingLogEntry.objects.filter(
        subject_id=incident.pk, operation=Operation.COLLECTION
    ).exists()


def test_recording_can_reuse_an_address_found_by_postcode(signed_in, places):
    known = factories.LocationFactory(force=places.north.force, line1="3 Brook Street")
    page = signed_in.get(reverse("incidents:create"), {"postcode": "pr12ab"}).content.decode()
    assert "3 Brook Street" in page

    signed_in.post(
        reverse("incidents:create") + "?postcode=PR1+2AB",
        {
            "incident_type": "neglect",
            "occurred_on_day": "1",
            "occurred_on_month": "2",
            "occurred_on_year": "2026",
            "occurred_time": "0930",
            "area": places.north.pk,
            "postcode": "PR1 2AB",
            "location": known.pk,
            "summary": "School reports a child arriving hungry.",
        },
    )
    assert Incident.objects.get().location == known
    assert Location.objects.count() == 1


def test_a_form_with_mistakes_explains_each_one(signed_in, places):
    response = signed_in.post(reverse("incidents:create"), {"occurred_time": "25:00"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    for message in (
        "Select the type of incident",
        "Enter date of the incident",
        "Enter the time as hours and minutes",
        "Enter the postcode of the address",
        "Enter what happened",
    ):
        assert message in page
    assert not Incident.objects.exists()


def test_removing_a_participant_clears_the_child_marker(signed_in, incident):
    participant = incident.participants.get()
    signed_in.post(reverse("incidents:participant_remove", args=[incident.pk, participant.pk]))
    incident.refresh_from_db()
    assert not Participant.objects.filter(pk=participant.pk).exists()
    assert incident.has_child is False


def test_the_incidents_menu_item_is_for_roles_that_search_incidents(client, force, signed_in):
    assert 'href="/incidents/"' in signed_in.get(reverse("incidents:list")).content.decode()
    client.force_login(user_in(Role.SYSTEM_ADMIN, force=force))
    from thinkchild.org.models import User
    from thinkchild.web.navigation import nav_items_for

    admin = User.objects.get(role=Role.SYSTEM_ADMIN)
    assert "incidents" not in [link.key for link in nav_items_for(admin)]


def test_adding_a_person_found_by_name_marks_the_incident(signed_in, places):
    incident = factories.IncidentFactory(force=places.north.force, area=places.north)
    child = factories.PersonFactory(
        force=incident.force,
        area=places.north,
        given_name="Oliver",
        family_name="Brennan",
        date_of_birth=dt.date(2016, 1, 1),
    )
    url = reverse("incidents:participant_add", args=[incident.pk])

    found = signed_in.get(url, {"name": "oliver brennan"}).content.decode()
    assert "Oliver Brennan, born 1 January 2016" in found

    response = signed_in.post(url, {"person": child.pk, "role": "child_present"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.has_child is True
    assert incident.participants.get().person == child


def test_an_auditor_cannot_add_people_to_an_incident(client, force, places):
    auditor = user_in(Role.AUDITOR, force=force, team=places.north_team)
    incident = factories.IncidentFactory(force=force, area=places.north)
    client.force_login(auditor)
    response = client.get(reverse("incidents:participant_add", args=[incident.pk]))
    assert response.status_code == 403

"""The people pages: search with the child marker, the person page, chronologies, recording."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.org.sessions import sign_in
from tests.people import factories as people_factories
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.org.models import Role, TeamKind
from thinkchild.people.models import Person, RelationshipKind
from thinkchild.web.navigation import nav_items_for

pytestmark = pytest.mark.django_db

CHILD_TAG = 'govuk-tag--red">Child</strong>'


@pytest.fixture(autouse=True)
def govuk_form_renderer(settings):
    settings.FORM_RENDERER = "thinkchild.web.forms.GovUKFormRenderer"


@pytest.fixture
def officer(area):
    return people_factories.local_user(area)


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def child(area):
    child = factories.PersonFactory(
        force=area.force,
        area=area,
        given_name="Amelia",
        family_name="Hughes",
        date_of_birth=dt.date(2015, 4, 2),
    )
    people_factories.PersonAddressFactory(
        person=child,
        location=factories.LocationFactory(force=area.force, line1="12 Mill Lane"),
        valid_from=dt.date(2019, 5, 1),
    )
    return child


def test_search_shows_the_child_marker_age_and_address(signed_in, child, area):
    factories.PersonFactory(force=area.force, area=area, given_name="Adam", family_name="Hughes")
    page = signed_in.get(reverse("people:search"), {"name": "hughes"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "2 people found" in html
    assert reverse("people:detail", args=[child.pk]) in html
    assert "12 Mill Lane" in html
    assert html.count(CHILD_TAG) == 1


def test_search_by_date_of_birth_uses_the_govuk_date_input(signed_in, child):
    params = {"date_of_birth_day": "2", "date_of_birth_month": "4", "date_of_birth_year": "2015"}
    html = signed_in.get(reverse("people:search"), params).content.decode()
    assert "HUGHES, Amelia" in html


def test_an_empty_search_says_what_to_enter(signed_in):
    html = signed_in.get(reverse("people:search"), {"name": ""}).content.decode()
    assert "Enter a name, a date of birth or an address to search for" in html


def test_people_outside_the_area_are_counted_and_listed_by_name_only(signed_in, force):
    elsewhere = factories.PersonFactory(
        force=force, area=factories.AreaFactory(force=force), family_name="Pritchard"
    )
    html = signed_in.get(reverse("people:search"), {"name": "pritchard"}).content.decode()
    assert "1 more person matches outside your area" in html
    assert "outside=1" in html
    names = signed_in.get(
        reverse("people:search"), {"name": "pritchard", "outside": "1"}
    ).content.decode()
    assert f"PRITCHARD, {elsewhere.given_name}" in names
    assert "17 May 1985" not in names  # names only: no date of birth


def test_an_analyst_is_refused_people_search(client, force):
    client.force_login(
        people_factories.force_wide_user(force, Role.ANALYST, kind=TeamKind.PUBLIC_PROTECTION)
    )
    assert client.get(reverse("people:search"), {"name": "hughes"}).status_code == 403


def test_the_person_page_shows_details_household_and_incidents(signed_in, child, area):
    mother = factories.PersonFactory(force=area.force, area=area, given_name="Sarah")
    people_factories.RelationshipFactory(person=mother, other=child, kind=RelationshipKind.PARENT)
    people_factories.AliasFactory(person=child, given_name="Millie", family_name="Hughes")
    people_factories.EnrolmentFactory(person=child, school__name="Moor Park Primary")
    factories.ParticipantFactory(
        person=child,
        role="child_present",
        incident__force=area.force,
        incident__area=area,
        incident__reference="TC-2026-000042",
    )
    response = signed_in.get(reverse("people:detail", args=[child.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert CHILD_TAG in html
    assert "Millie Hughes" in html
    assert "Sarah" in html and "Parent" in html
    assert "Moor Park Primary" in html
    assert "TC-2026-000042" in html
    assert ProcessingLogEntry.objects.filter(
        subject_id=child.pk, operation=Operation.CONSULTATION
    ).exists()


def test_the_person_page_lists_ten_incidents_and_links_to_the_rest(signed_in, child, area):
    for n in range(12):
        factories.ParticipantFactory(
            person=child,
            role="child_present",
            incident__force=area.force,
            incident__area=area,
            incident__reference=f"TC-2026-{n:06d}",
            incident__occurred_at=timezone.now() - dt.timedelta(days=n + 1),
        )
    html = signed_in.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "TC-2026-000009" in html and "TC-2026-000010" not in html  # newest ten
    assert "See all 12 incidents in the chronology" in html


def test_only_the_ppu_lead_is_offered_who_opened_this_record(client, signed_in, child, force):
    log_link = f"subject_type=person&amp;subject_id={child.pk}"
    assert log_link not in signed_in.get(reverse("people:detail", args=[child.pk])).content.decode()
    lead = people_factories.force_wide_user(force, Role.PPU_LEAD, kind=TeamKind.PUBLIC_PROTECTION)
    sign_in(client, lead)  # with two-factor, as the PPU lead must
    html = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert log_link in html


def test_a_restricted_person_page_warns_those_on_the_list(signed_in, officer, child):
    Person.objects.filter(pk=child.pk).update(is_restricted=True)
    people_factories.put_on_access_list(child, officer)
    html = signed_in.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "This is a restricted record" in html


def test_a_person_outside_scope_asks_why(signed_in, force):
    elsewhere = factories.PersonFactory(force=force, area=factories.AreaFactory(force=force))
    response = signed_in.get(reverse("people:detail", args=[elsewhere.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access:reason"))


def test_the_chronology_page_is_a_timeline_filtered_by_get_parameters(signed_in, child, area):
    factories.ParticipantFactory(
        person=child,
        incident__force=area.force,
        incident__area=area,
        incident__occurred_at=timezone.make_aware(dt.datetime(2026, 3, 10, 21, 15)),
    )
    url = reverse("people:chronology", args=[child.pk])
    html = signed_in.get(url).content.decode()
    assert "moj-timeline" in html
    assert "Moved to 12 Mill Lane" in html and "Concern for a child" in html

    only_moves = signed_in.get(url, {"kinds": "address"}).content.decode()
    assert "Moved to 12 Mill Lane" in only_moves
    assert "Concern for a child" not in only_moves

    this_year = signed_in.get(
        url, {"date_from_day": "1", "date_from_month": "1", "date_from_year": "2026"}
    ).content.decode()
    assert "Concern for a child" in this_year
    assert "Moved to 12 Mill Lane" not in this_year


def test_the_household_chronology_says_whose_each_entry_is(signed_in, child, area):
    mother = factories.PersonFactory(
        force=area.force, area=area, given_name="Sarah", family_name="Hughes"
    )
    people_factories.RelationshipFactory(person=mother, other=child, kind=RelationshipKind.PARENT)
    factories.PregnancyFactory(person=mother, known_from=dt.date(2026, 1, 20))
    html = signed_in.get(reverse("people:household_chronology", args=[child.pk])).content.decode()
    assert "Sarah Hughes: Pregnancy recorded" in html
    assert "Amelia Hughes: Moved to 12 Mill Lane" in html


def test_recording_a_person_checks_the_date_of_birth(signed_in):
    url = reverse("people:create")
    assert signed_in.get(url).status_code == 200
    future = {
        "given_name": "Noah",
        "family_name": "Price",
        "date_of_birth_day": "1",
        "date_of_birth_month": "1",
        "date_of_birth_year": str(timezone.localdate().year + 1),
        "gender": "male",
    }
    html = signed_in.post(url, future).content.decode()
    assert "There is a problem" in html
    assert "Date of birth must be today or in the past" in html
    too_old = {**future, "date_of_birth_year": "1899"}
    assert (
        "Date of birth must be after 1 January 1900"
        in signed_in.post(url, too_old).content.decode()
    )
    assert not Person.objects.exists()


def test_recording_a_person_with_an_estimated_age_opens_their_page(signed_in, officer):
    response = signed_in.post(
        reverse("people:create"),
        {
            "given_name": "Unknown",
            "family_name": "Girl",
            "estimated_age": "13",
            "appears_under_18": "on",
            "gender": "female",
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.estimated_age == 13 and person.appears_under_18
    assert CHILD_TAG in signed_in.get(response["Location"]).content.decode()


def test_an_estimated_age_over_120_is_refused(signed_in):
    html = signed_in.post(
        reverse("people:create"),
        {"given_name": "A", "family_name": "B", "estimated_age": "121", "gender": "unknown"},
    ).content.decode()
    assert "Estimated age must be between 0 and 120" in html


def test_search_people_is_in_the_menu_of_roles_that_search(signed_in, officer, force):
    assert "Search people" in signed_in.get(reverse("people:search")).content.decode()
    admin = people_factories.force_wide_user(
        force, Role.SYSTEM_ADMIN, kind=TeamKind.PUBLIC_PROTECTION
    )
    assert "Search people" in [link.label for link in nav_items_for(officer)]
    assert "Search people" not in [link.label for link in nav_items_for(admin)]


def test_opening_a_chronology_is_one_logged_consultation(signed_in, child):
    signed_in.get(reverse("people:chronology", args=[child.pk]))
    [entry] = ProcessingLogEntry.objects.filter(subject_id=child.pk)
    assert entry.justification.startswith("Chronology: In scope")


def test_a_chronology_outside_scope_asks_why(signed_in, force):
    elsewhere = factories.PersonFactory(force=force, area=factories.AreaFactory(force=force))
    response = signed_in.get(reverse("people:chronology", args=[elsewhere.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access:reason"))
    assert not ProcessingLogEntry.objects.exists()

"""Person search: names by prefix, aliases, date of birth, address; scope, restriction, logging."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests import factories
from tests.org.sessions import sign_in
from tests.people import factories as people_factories
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.access.scope import AccessDenied
from thinkchild.org.models import Role, TeamKind
from thinkchild.people.selectors import PersonQuery, person_search
from thinkchild.people.selectors import search as search_selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(area):
    return people_factories.local_user(area)


def person(area, given, family, **kwargs):
    return factories.PersonFactory(
        force=area.force, area=area, given_name=given, family_name=family, **kwargs
    )


def names(page):
    return [p.full_name for p in page.object_list]


def search(user, **criteria):
    return person_search(user=user, query=PersonQuery(**criteria))


def test_the_start_of_given_and_family_name_finds_the_person(officer, area):
    person(area, "John", "Smith")
    person(area, "Joanne", "Smithers")
    person(area, "Peter", "Smith")
    assert names(search(officer, name="jo smi")) == ["John Smith", "Joanne Smithers"]
    assert names(search(officer, name="john paul smith")) == ["John Smith"]  # middle names


def test_a_family_name_alone_finds_everyone_of_that_name_in_order(officer, area):
    person(area, "Peter", "Smith")
    person(area, "Amy", "Smith")
    person(area, "Amy", "Jones")
    assert names(search(officer, name="SMITH")) == ["Amy Smith", "Peter Smith"]


def test_accents_and_punctuation_do_not_matter(officer, area):
    person(area, "Siobhán", "O'Neill")
    assert names(search(officer, name="siobhan oneill")) == ["Siobhán O'Neill"]


def test_an_alias_finds_the_person(officer, area):
    known = person(area, "Kelly", "Barnes")
    people_factories.AliasFactory(person=known, given_name="Kez", family_name="Walsh")
    assert names(search(officer, name="Walsh")) == ["Kelly Barnes"]
    assert names(search(officer, name="kez wal")) == ["Kelly Barnes"]


def test_date_of_birth_matches_exactly(officer, area):
    person(area, "Ava", "Hill", date_of_birth=dt.date(2014, 2, 3))
    person(area, "Ava", "Hall", date_of_birth=dt.date(2014, 2, 4))
    assert names(search(officer, date_of_birth=dt.date(2014, 2, 3))) == ["Ava Hill"]
    assert names(search(officer, name="ava", date_of_birth=dt.date(2014, 2, 4))) == []
    assert names(search(officer, name="hall", date_of_birth=dt.date(2014, 2, 4))) == ["Ava Hall"]


def test_a_postcode_or_its_start_or_a_street_finds_who_lived_there(officer, area):
    at_mill_lane = person(area, "Ruby", "Cole")
    at_pr10 = person(area, "Ruby", "Dean")
    people_factories.PersonAddressFactory(
        person=at_mill_lane,
        location=factories.LocationFactory(line1="12 Mill Lane", postcode="PR1 2AB"),
    )
    people_factories.PersonAddressFactory(
        person=at_pr10, location=factories.LocationFactory(line1="3 High St", postcode="PR10 1AA")
    )
    assert names(search(officer, address="pr12ab")) == ["Ruby Cole"]
    assert names(search(officer, address="PR1")) == ["Ruby Cole"]
    assert names(search(officer, address="PR1 2")) == ["Ruby Cole"]
    assert names(search(officer, address="pr10")) == ["Ruby Dean"]
    assert names(search(officer, address="mill lane")) == ["Ruby Cole"]


@time_machine.travel(dt.datetime(2026, 6, 15, 12, 0))
def test_each_result_shows_age_today_and_the_child_marker(officer, area):
    person(area, "Lily", "Ward", date_of_birth=dt.date(2010, 6, 16))  # 18 tomorrow
    person(area, "Mia", "Ward", date_of_birth=dt.date(2008, 6, 15))  # 18 today
    person(area, "Zoe", "Ward", date_of_birth=None, appears_under_18=True)
    by_name = {p.given_name: p for p in search(officer, name="ward").object_list}
    assert (by_name["Lily"].age, by_name["Lily"].is_child) == (15, True)
    assert (by_name["Mia"].age, by_name["Mia"].is_child) == (18, False)
    assert (by_name["Zoe"].age, by_name["Zoe"].is_child) == (None, True)


def test_results_come_25_a_page(officer, area):
    for n in range(30):
        person(area, f"Given{n:02d}", "Taylor")
    first = search(officer, name="taylor")
    second = search(officer, name="taylor", page=2)
    assert first.paginator.count == 30
    assert len(first.object_list) == 25 and len(second.object_list) == 5
    assert names(second)[0] == "Given25 Taylor"


def test_the_listed_page_is_logged_in_one_consultation_with_the_search(officer, area):
    listed = [person(area, "Ann", "Frost"), person(area, "Bob", "Frost")]
    search(officer, name="frost")
    entries = ProcessingLogEntry.objects.filter(operation=Operation.CONSULTATION)
    assert {e.subject_id for e in entries} == {p.pk for p in listed}
    assert {e.justification for e in entries} == {'Search results: name "frost"'}
    assert {e.actor_id for e in entries} == {officer.pk}


def test_an_empty_search_finds_and_logs_nothing(officer, area):
    person(area, "Ann", "Frost")
    page = search(officer)
    assert list(page.object_list) == []
    assert not ProcessingLogEntry.objects.exists()


# --- Scope ---------------------------------------------------------------------------------------


@pytest.fixture
def elsewhere(force, area):
    """A person of another area, in no incident of the officer's."""
    other_area = factories.AreaFactory(force=force)
    return person(other_area, "Noah", "Price")


def test_an_officer_does_not_see_a_person_of_another_area(officer, elsewhere):
    page = search(officer, name="price")
    assert names(page) == []
    # ...but is told one exists, and may ask to list them by name, to open one with a reason.
    assert page.outside_scope_count == 1
    outside = search(officer, name="price", outside_scope=True)
    assert outside.showing_outside_scope
    assert names(outside) == ["Noah Price"]
    [entry] = ProcessingLogEntry.objects.filter(subject_id=elsewhere.pk)
    assert entry.justification == 'Search results outside scope: name "price"'


def test_an_officer_sees_a_person_of_another_area_in_an_incident_of_their_area(
    officer, area, elsewhere
):
    factories.ParticipantFactory(person=elsewhere, incident__force=area.force, incident__area=area)
    assert names(search(officer, name="price")) == ["Noah Price"]


def test_control_room_sees_people_of_every_area(force, elsewhere):
    control_room = people_factories.force_wide_user(force, Role.CONTROL_ROOM)
    page = search(control_room, name="price")
    assert names(page) == ["Noah Price"]
    assert page.outside_scope_count == 0


@pytest.mark.parametrize("role", [Role.ANALYST, Role.SYSTEM_ADMIN])
def test_analysts_and_system_administrators_cannot_search_people(force, elsewhere, role):
    user = people_factories.force_wide_user(force, role, kind=TeamKind.PUBLIC_PROTECTION)
    with pytest.raises(AccessDenied):
        search(user, name="price")
    assert not ProcessingLogEntry.objects.exists()


def test_a_restricted_person_is_hidden_from_everyone_not_on_the_access_list(force, area, officer):
    hidden = person(area, "Grace", "Lowe", is_restricted=True)
    ppu_lead = people_factories.force_wide_user(
        force, Role.PPU_LEAD, kind=TeamKind.PUBLIC_PROTECTION
    )
    assert names(search(ppu_lead, name="lowe")) == []
    assert names(search(officer, name="lowe")) == []
    assert search(officer, name="lowe").outside_scope_count == 0  # not even counted
    people_factories.put_on_access_list(hidden, ppu_lead)
    assert names(search(ppu_lead, name="lowe")) == ["Grace Lowe"]


def test_a_system_account_search_is_logged_as_a_disclosure_to_it(force, area):
    account = people_factories.force_wide_user(force, Role.SYSTEM_ACCOUNT, username="niche-rms")
    found = person(area, "Ann", "Frost")
    search(account, name="frost")
    [entry] = ProcessingLogEntry.objects.filter(subject_id=found.pk)
    assert entry.operation == Operation.DISCLOSURE
    assert entry.recipient == "niche-rms"


def test_a_page_costs_the_same_few_queries_however_many_people_are_on_it(
    officer, area, django_assert_max_num_queries
):
    for n in range(25):
        found = person(area, f"Given{n:02d}", "Turner")
        people_factories.PersonAddressFactory(person=found)
    # aliases, count, outside-scope count, page, current addresses, the log insert (+ user.team)
    with django_assert_max_num_queries(7):
        page = search(officer, name="turner")
        rendered = [(p.age, p.is_child, str(p.current_address), p.area.name) for p in page]
    assert len(rendered) == 25


def test_a_person_with_no_area_is_counted_outside_an_officers_scope(officer, force):
    factories.PersonFactory(force=force, area=None, family_name="Nowhere")
    page = search(officer, name="nowhere")
    assert names(page) == []
    assert page.outside_scope_count == 1


def test_past_the_count_limit_the_page_says_over_and_asks_for_more_detail(
    officer, area, force, monkeypatch, client
):
    monkeypatch.setattr(search_selectors, "COUNT_LIMIT", 5)
    for n in range(6):
        person(area, f"Given{n:02d}", "Walker")
    other_area = factories.AreaFactory(force=force)
    for n in range(3):
        person(other_area, f"Other{n:02d}", "Walker")

    page = search(officer, name="walker")

    # Counted among the first six "Walker"s by name (Given00..05): all six are in scope.
    assert page.counts_capped
    assert (page.paginator.count, page.outside_scope_count) == (6, 0)
    assert names(page)[0] == "Given00 Walker"
    sign_in(client, officer)
    html = client.get(reverse("people:search"), {"name": "walker"}).content.decode()
    assert "Over 5 people match" in html
    assert "Add a given name, a date of birth or an address" in html


def test_under_the_count_limit_both_counts_are_exact(officer, area, force):
    for n in range(4):
        person(area, f"Given{n:02d}", "Walker")
    other_area = factories.AreaFactory(force=force)
    for n in range(3):
        person(other_area, f"Other{n:02d}", "Walker")
    page = search(officer, name="walker")
    assert not page.counts_capped
    assert (page.paginator.count, page.outside_scope_count) == (4, 3)


def test_people_found_by_an_alias_take_their_place_in_name_order_across_pages(officer, area):
    for n in range(26):
        person(area, f"Given{n:02d}", "Smith")
    young = person(area, "Zed", "Young")
    ashby = person(area, "Amy", "Ashby")
    people_factories.AliasFactory(person=young, given_name="Zed", family_name="Smith")
    people_factories.AliasFactory(person=ashby, given_name="Amy", family_name="Smithers")

    first, second = search(officer, name="smith"), search(officer, name="smith", page=2)

    assert first.paginator.count == 28
    assert names(first)[:2] == ["Amy Ashby", "Given00 Smith"]
    assert names(second) == ["Given24 Smith", "Given25 Smith", "Zed Young"]

"""An officer signs in, searches for a child, opens the child's record and chronology.

Every page on the way must have no serious or critical axe-core violation, and the Content
Security Policy (no inline script) must hold: the browser reports no CSP violation.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.e2e.axe import assert_no_serious_violations
from thinkchild.incidents.models import ParticipantRole
from thinkchild.incidents.services import incidents_refresh_child_marker
from thinkchild.people.models import PersonAddress

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer_and_child():
    area = factories.AreaFactory(name="Northern")
    team = factories.TeamFactory(area=area, force=area.force)
    officer = factories.UserFactory(
        username="pc.e2e", team=team, force=area.force, first_name="Sam", last_name="Reed"
    )
    home = factories.LocationFactory(force=area.force, area=area, postcode="PR1 2AB")
    child = factories.PersonFactory(
        force=area.force,
        area=area,
        given_name="Maisie",
        family_name="Pemberton",
        given_name_key="maisie",
        family_name_key="pemberton",
        date_of_birth=dt.date.today() - dt.timedelta(days=365 * 9),
    )
    PersonAddress.objects.create(person=child, location=home, valid_from=dt.date(2020, 1, 1))
    incident = factories.IncidentFactory(
        force=area.force,
        area=area,
        team=team,
        location=home,
        type=factories.incident_type("domestic_abuse"),
        occurred_at=timezone.now() - dt.timedelta(days=3),
        reference="E2E-000001",
    )
    factories.ParticipantFactory(
        incident=incident, person=child, role=ParticipantRole.CHILD_PRESENT
    )
    incidents_refresh_child_marker(incident_ids=[incident.pk])
    return officer, child, incident


def watch_csp(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text
            else None
        ),
    )
    return problems


def test_officer_signs_in_finds_a_child_and_reads_the_chronology(
    live_server, page, officer_and_child
):
    officer, child, incident = officer_and_child
    csp_problems = watch_csp(page)

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    assert_no_serious_violations(page)
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_serious_violations(page)

    page.goto(f"{live_server.url}/people/")
    page.get_by_label(re.compile("^Name")).fill("maisie pem")
    page.keyboard.press("Enter")
    result = page.get_by_role("link", name=re.compile("Pemberton, Maisie", re.IGNORECASE))
    expect(result).to_be_visible()
    assert_no_serious_violations(page)

    result.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("Maisie Pemberton", re.IGNORECASE)
    )
    assert_no_serious_violations(page)

    page.get_by_role("link", name=re.compile("chronology", re.IGNORECASE)).first.click()
    expect(page.locator(".moj-timeline")).to_be_visible()
    expect(page.locator(".moj-timeline")).to_contain_text("Domestic abuse")
    assert_no_serious_violations(page)

    assert csp_problems == []


def test_the_chronology_works_on_a_phone_with_the_keyboard(live_server, page, officer_and_child):
    officer, child, incident = officer_and_child
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(f"{live_server.url}/people/{child.pk}/chronology/")
    expect(page.locator(".moj-timeline")).to_contain_text("Domestic abuse")
    # Nothing wider than the phone's screen.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    # The skip link is the first thing the keyboard reaches.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert_no_serious_violations(page)

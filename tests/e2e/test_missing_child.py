"""On a phone: an officer reports a missing child, a supervisor grades the risk, the child is found,
the prevention interview is recorded, and the child's chronology shows it all. Every page is
axe-clean under the real CSP (issue #4)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.e2e.axe import assert_no_serious_violations
from tests.e2e.test_find_a_child import watch_csp
from thinkchild.org.models import Role, TeamKind

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def people():
    area = factories.AreaFactory(name="Northern")
    team = factories.TeamFactory(area=area, force=area.force, kind=TeamKind.RESPONSE)
    officer = factories.UserFactory(username="pc.e2e", team=team, role=Role.OFFICER)
    sergeant = factories.UserFactory(username="ps.e2e", team=team, role=Role.SUPERVISOR)
    child = factories.PersonFactory(
        force=area.force,
        area=area,
        given_name="Leah",
        family_name="Ormerod",
        date_of_birth=timezone.localdate() - dt.timedelta(days=365 * 14),
    )
    return officer, sergeant, child


def sign_in(browser, base, user):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


def checked(page, csp_problems):
    assert_no_serious_violations(page)
    assert csp_problems == []


def test_a_missing_child_from_report_to_prevention_interview_on_a_phone(
    live_server, browser, people
):
    officer, sergeant, child = people
    base = live_server.url

    # The officer reports the child missing.
    page = sign_in(browser, base, officer)
    csp = watch_csp(page)
    page.goto(f"{base}/missing/report/")
    checked(page, csp)
    page.get_by_label("Child's name").fill("Ormerod")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=re.compile("Report this child missing")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Report")
    checked(page, csp)
    page.get_by_label("Who reported the child missing?").fill("Her mother")
    page.get_by_label("Home", exact=True).check()
    page.get_by_label("Where last seen").fill("Leaving school at 15:30")
    page.get_by_label("Circumstances").fill("Did not come home; phone switched off.")
    page.get_by_role("button", name="Report missing").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Missing episode MIS-")
    reference = page.get_by_role("heading", level=1).inner_text().split()[-1]
    episode_url = page.url
    checked(page, csp)
    page.close()

    # The supervisor grades the risk.
    page = sign_in(browser, base, sergeant)
    csp = watch_csp(page)
    page.goto(episode_url)
    page.get_by_role("button", name="Grade the risk").click()
    checked(page, csp)
    page.get_by_label("Medium", exact=True).check()
    for label in (
        "Information and intelligence gathered",
        "Threat and risk assessed",
        "Powers and policy considered",
        "Options and contingencies identified",
        "Action taken",
    ):
        page.get_by_label(re.compile(f"^{label}")).fill(f"{label}: recorded for Leah")
    source = page.locator("fieldset", has_text="Source 1")
    source.get_by_label("Information").fill("Not answered her phone since 15:45")
    source.get_by_label("Who gave it").fill("Her mother")
    obtained = timezone.localtime() - dt.timedelta(minutes=1)  # its own day, even at midnight
    page.locator("#id_source_1_obtained_on_day").fill(str(obtained.day))
    page.locator("#id_source_1_obtained_on_month").fill(str(obtained.month))
    page.locator("#id_source_1_obtained_on_year").fill(str(obtained.year))
    page.locator("#id_source_1_obtained_time").fill(obtained.strftime("%H:%M"))
    page.get_by_role("button", name="Record the grading").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.get_by_text("Not answered her phone since 15:45")).to_be_visible()
    checked(page, csp)

    # The child is found, and the prevention interview is recorded.
    page.get_by_role("button", name="Record found").click()
    checked(page, csp)
    page.get_by_label("Where was the child found?").fill("A friend's house, Mill Street")
    page.get_by_label("Who found them?").fill("PC on patrol")
    page.get_by_role("button", name="Record found").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    page.get_by_role("button", name="Record prevention interview").click()
    checked(page, csp)
    page.get_by_label("Yes", exact=True).check()
    today, now = timezone.localdate(), timezone.localtime()
    page.locator("#id_held_on_day").fill(str(today.day))
    page.locator("#id_held_on_month").fill(str(today.month))
    page.locator("#id_held_on_year").fill(str(today.year))
    page.locator("#id_held_time").fill(now.strftime("%H:%M"))
    page.get_by_label("Face to face", exact=True).check()
    page.get_by_label("What the child said").fill("Went to see a friend; felt unsafe at home")
    page.get_by_role("button", name="Record the prevention interview").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    checked(page, csp)

    # The chronology shows it all.
    page.goto(f"{base}/people/{child.pk}/chronology/?kind=missing")
    for text in (
        f"Reported missing from home ({reference})",
        "Risk graded medium risk",
        "Found at A friend's house, Mill Street",
        "Prevention interview (face to face)",
    ):
        expect(page.get_by_text(text)).to_be_visible()
    checked(page, csp)

    # The other pages a supervisor reaches from here, each axe-clean on a phone.
    for link in ("Add to the enquiries log", "Return home interview"):
        page.goto(episode_url)
        page.get_by_role("button", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        checked(page, csp)
    page.goto(episode_url)
    page.get_by_role("link", name=re.compile("All missing episodes of")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Missing episodes")
    checked(page, csp)
    page.get_by_role("link", name="Philomena profile: record or update").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a Philomena profile")
    checked(page, csp)
    page.goto(f"{base}/missing/")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    checked(page, csp)
    page.goto(f"{base}/missing/summary/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Missing children: summary")
    checked(page, csp)

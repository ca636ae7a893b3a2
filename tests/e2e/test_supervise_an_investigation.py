"""A supervisor signs in, sees what needs attention, records a supervision review, and the item
leaves the queue. Every page axe-clean under the real CSP."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.e2e.axe import assert_no_serious_violations
from tests.e2e.test_find_a_child import watch_csp
from thinkchild.investigations import services
from thinkchild.investigations.models import InvestigationType
from thinkchild.org.models import Role, TeamKind

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case():
    area = factories.AreaFactory(name="Northern")
    team = factories.TeamFactory(area=area, force=area.force, kind=TeamKind.CHILD_PROTECTION)
    sergeant = factories.UserFactory(
        username="ds.e2e", team=team, role=Role.SUPERVISOR, first_name="Ria", last_name="Holt"
    )
    officer = factories.UserFactory(username="dc.e2e", team=team, role=Role.SPECIALIST)
    child = factories.PersonFactory(force=area.force, date_of_birth=dt.date(2015, 2, 1))
    adult = factories.PersonFactory(force=area.force, date_of_birth=dt.date(1979, 2, 1))
    investigation = services.investigation_open(
        actor=sergeant,
        reference="INV-E2E-1",
        type=InvestigationType.CHILD_ABUSE,
        team=team,
        officer=officer,
        victims=[child],
        suspects=[adult],
        at=timezone.now() - dt.timedelta(days=3),
    )
    return sergeant, officer, investigation


def test_a_supervisor_records_a_review_and_the_item_leaves_the_queue(live_server, page, case):
    sergeant, officer, investigation = case
    csp_problems = watch_csp(page)
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(sergeant.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.get_by_role("link", name="Needs attention").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs attention now")
    item = page.get_by_role("link", name=re.compile("First supervision review of INV-E2E-1"))
    expect(item).to_be_visible()
    assert_no_serious_violations(page)

    item.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("INV-E2E-1")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="Record a supervision review").click()
    assert_no_serious_violations(page)

    today = timezone.localdate()
    page.locator("#id_reviewed_on_day").fill(str(today.day))
    page.locator("#id_reviewed_on_month").fill(str(today.month))
    page.locator("#id_reviewed_on_year").fill(str(today.year))
    page.get_by_label("Time of the review").fill(timezone.localtime().strftime("%H:%M"))
    page.get_by_label("Risks considered").fill("Suspect shares a household with the child.")
    page.get_by_label("Decision", exact=True).fill("Strategy discussion with social care")
    for stage in ("Information", "Assessment", "Powers", "Options", "Action"):
        page.get_by_label(re.compile(f"^{stage}")).fill(f"{stage} recorded")
    review_by = today + dt.timedelta(days=14)
    page.locator("#id_next_review_by_day").fill(str(review_by.day))
    page.locator("#id_next_review_by_month").fill(str(review_by.month))
    page.locator("#id_next_review_by_year").fill(str(review_by.year))
    page.get_by_role("button", name="Record the review").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("INV-E2E-1")
    expect(page.get_by_text("Strategy discussion with social care")).to_be_visible()

    page.get_by_role("link", name="Needs attention").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs attention now")
    expect(page.get_by_text("First supervision review of INV-E2E-1")).to_have_count(0)
    expect(page.get_by_text("Next supervision review of INV-E2E-1")).to_be_visible()
    assert_no_serious_violations(page)
    assert csp_problems == []

"""Every page a user can reach has no serious or critical axe-core violation, under the real CSP.

The PPU lead sees the most pages (people, incidents, the processing log, the quarantine); the
pages are visited with data on them, including a form shown with its errors.
"""

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories
from tests.e2e.axe import assert_no_serious_violations
from thinkchild.access.log import Subject, processing_log_record
from thinkchild.access.models import Operation
from thinkchild.incidents.models import ParticipantRole
from thinkchild.incidents.services import incidents_refresh_child_marker
from thinkchild.org.models import Role, TeamKind
from thinkchild.people.models import PersonAddress

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ppu_lead_and_records(settings):
    # The authenticator step has its own tests; here the pages behind it are checked.
    settings.TWO_FACTOR_ROLES = []
    area = factories.AreaFactory(name="Central")
    ppu = factories.TeamFactory(area=None, force=area.force, kind=TeamKind.PUBLIC_PROTECTION)
    lead = factories.UserFactory(username="ppu.e2e", role=Role.PPU_LEAD, team=ppu, force=area.force)
    home = factories.LocationFactory(force=area.force, area=area)
    child = factories.PersonFactory(
        force=area.force, area=area, date_of_birth=dt.date.today() - dt.timedelta(days=365 * 7)
    )
    PersonAddress.objects.create(person=child, location=home, valid_from=dt.date(2021, 1, 1))
    incident = factories.IncidentFactory(
        force=area.force,
        area=area,
        location=home,
        type=factories.incident_type("domestic_abuse"),
        occurred_at=timezone.now() - dt.timedelta(days=2),
    )
    factories.ParticipantFactory(incident=incident, person=child, role=ParticipantRole.VICTIM)
    incidents_refresh_child_marker(incident_ids=[incident.pk])
    processing_log_record(
        operation=Operation.COLLECTION,
        actor=lead,
        subject=Subject(type="person", id=child.pk, label=child.full_name),
    )
    return lead, child, incident


def test_every_page_has_no_serious_accessibility_violation(live_server, page, ppu_lead_and_records):
    lead, child, incident = ppu_lead_and_records
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(lead.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")

    paths = [
        "/",
        "/people/",
        f"/people/?name={child.family_name}",
        "/people/new/",
        f"/people/{child.pk}/",
        f"/people/{child.pk}/chronology/",
        f"/people/{child.pk}/household/chronology/",
        "/incidents/",
        "/incidents/?has_child=on",
        "/incidents/new/",
        f"/incidents/{incident.pk}/",
        f"/incidents/{incident.pk}/participants/add/",
        "/access/processing-log/",
        f"/access/processing-log/?subject_type=person&subject_id={child.pk}",
        f"/access/reason/?kind=person&id={child.pk}&next=/",
        "/interchange/quarantine/",
        "/interchange/runs/",
        "/accessibility/",
        "/privacy/",
    ]
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert_no_serious_violations(page)

    # A form shown with its errors: the error summary and messages must be accessible too.
    page.goto(f"{live_server.url}/people/new/")
    page.get_by_role("button", name="Save").or_(
        page.get_by_role("button", name="Record")
    ).first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".govuk-error-summary").is_visible()
    assert_no_serious_violations(page)

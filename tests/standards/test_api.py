"""The obligations API: the same selectors as the pages, so the same numbers, the same scope and
the same logging (a disclosure to a system account)."""

import datetime as dt

import pytest
from ninja.testing import TestClient

from tests import factories
from tests.standards import test_queue
from tests.standards.test_queue import FirstReview, london, obligation
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.org.models import Role
from thinkchild.standards.api import router
from thinkchild.standards.selectors import compliance_overview, obligation_queue

pytestmark = pytest.mark.django_db
# The test standards and the force of tests/standards/test_queue.py.
test_standards = test_queue.test_standards
world = test_queue.world
due = test_queue.due


@pytest.fixture
def api():
    return TestClient(router)


@pytest.fixture
def account(world):
    return factories.UserFactory(
        team=None, force=world.force, role=Role.SYSTEM_ACCOUNT, username="niche-rms"
    )


def ids(body) -> list[str]:
    return [o["id"] for o in body["results"]]


@pytest.mark.parametrize("who", ["officer", "supervisor", "inspector", "lead"])
def test_the_list_is_the_queue_for_each_scope(api, world, due, who):
    user = getattr(world, who)
    body = api.get("/obligations", auth=user).json()
    expected = [str(o.pk) for o in obligation_queue(user=user).object_list]
    assert ids(body) == expected
    assert body["count"] == len(expected) > 0


def test_filters_narrow_the_list(api, world, due):
    child = world.child()
    named = obligation(world.colleague, due=london(2026, 6, 15, 9, 0), children=[child])
    lead = world.lead
    assert ids(api.get(f"/obligations?team={world.n2.pk}", auth=lead).json()) == [str(due["n2"].pk)]
    overdue = api.get("/obligations?status=overdue", auth=world.supervisor).json()
    assert {o["status"] for o in overdue["results"]} == {"overdue"}
    by_officer = api.get(f"/obligations?officer={world.officer.pk}", auth=lead).json()
    assert ids(by_officer) == [str(due["own_overdue"].pk), str(due["own_open"].pk)]
    by_child = api.get(f"/obligations?child={child.pk}", auth=lead).json()
    assert ids(by_child) == [str(named.pk)]
    assert by_child["results"][0]["children"] == [{"id": str(child.pk), "name": child.full_name}]
    assert api.get(f"/obligations?standard={FirstReview.id}", auth=lead).json()["count"] == 6


def test_out_of_scope_is_refused(api, world, due):
    response = api.get(f"/obligations?team={world.s1.pk}", auth=world.inspector)
    assert response.status_code == 403
    assert "outside your scope" in response.json()["detail"]
    assert api.get("/obligations", auth=world.analyst).status_code == 403
    assert api.get("/obligations?status=met_late", auth=world.lead).status_code == 400


def test_a_system_account_reads_the_force_and_each_child_is_disclosed_to_it(api, world, account):
    child = world.child()
    obligation(world.s1_officer, due=london(2026, 6, 15, 9, 0), children=[child])
    body = api.get("/obligations", auth=account).json()
    assert body["count"] == 1
    [entry] = ProcessingLogEntry.objects.filter(subject_id=child.pk)
    assert (entry.operation, entry.recipient) == (Operation.DISCLOSURE, "niche-rms")


def test_compliance_is_the_overview(api, world, due):
    body = api.get("/compliance?month_from=2026-06&month_to=2026-06", auth=world.inspector)
    assert body.status_code == 200
    rows = compliance_overview(
        user=world.inspector, month_from=dt.date(2026, 6, 1), month_to=dt.date(2026, 6, 1)
    )
    assert [(r["team_name"], r["opened"], r["overdue"], r["rate"]) for r in body.json()] == [
        (r.team_name, r.opened, r.overdue, r.rate) for r in rows
    ]
    [n1] = [r for r in body.json() if r["team_name"] == "North response 1"]
    # Overdue: own and colleague's; met on time: one; open (not yet judged): one.
    assert (n1["month"], n1["opened"], n1["met_on_time"], n1["overdue"]) == ("2026-06", 4, 1, 2)
    assert n1["rate"] == pytest.approx(1 / 3)
    assert "South response" not in {r["team_name"] for r in body.json()}


def test_compliance_is_refused_to_an_officer_and_needs_real_months(api, world):
    ok = "/compliance?month_from=2026-05&month_to=2026-06"
    assert api.get(ok, auth=world.officer).status_code == 403
    bad = "/compliance?month_from=May&month_to=2026-06"
    assert api.get(bad, auth=world.lead).status_code == 400
    backwards = "/compliance?month_from=2026-06&month_to=2026-05"
    assert api.get(backwards, auth=world.lead).status_code == 400

"""The compliance overview: per standard, area, team and month due (Europe/London), opened, met on
time, met late, overdue now and the rate; the obligations behind each number; CSV exports that
are logged as disclosures."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from tests import factories
from tests.org.sessions import sign_in
from tests.standards import test_queue
from tests.standards.test_queue import FirstReview, SafetyCheck, london, obligation
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.access.scope import AccessDenied
from thinkchild.org.models import Role
from thinkchild.standards.models import ObligationStatus
from thinkchild.standards.selectors import compliance_obligations, compliance_overview

pytestmark = pytest.mark.django_db
# The test standards and the force of tests/standards/test_queue.py.
test_standards = test_queue.test_standards
world = test_queue.world
MAY, JUNE, JULY = dt.date(2026, 5, 1), dt.date(2026, 6, 1), dt.date(2026, 7, 1)


@pytest.fixture
def may(world):
    """North response 1's first reviews due in May 2026: two on time, one late, one overdue,
        one not applicable. In June (today is 10 June) one overdue and one still open; in July one
    open. Other teams have a few of their own."""
    w = world
    on_time = london(2026, 5, 4, 9, 0)
    return {
        "on_time": [
            obligation(w.officer, due=on_time, met=on_time - dt.timedelta(hours=2)),
            obligation(w.colleague, due=on_time, met=on_time),
        ],
        "late": obligation(w.officer, due=london(2026, 5, 6, 9, 0), met=london(2026, 5, 7, 9, 0)),
        # 23:30 on 31 May in London is 22:30 UTC: May, whichever way the clock is read.
        "overdue": obligation(w.colleague, due=london(2026, 5, 31, 23, 30)),
        "cancelled": obligation(w.officer, due=london(2026, 5, 8, 9, 0), cancelled="No child"),
        # 00:30 on 1 June in London is 23:30 on 31 May UTC: June in London.
        "june": obligation(w.officer, due=london(2026, 6, 1, 0, 30), opened=london(2026, 5, 30)),
        "june_open": obligation(w.officer, due=london(2026, 6, 20, 9, 0)),
        "july": obligation(w.colleague, due=london(2026, 7, 3, 9, 0)),
        "n2": obligation(w.n2_officer, due=on_time, met=on_time),
        "s1": obligation(w.s1_officer, due=on_time),
        "elsewhere": obligation(w.elsewhere_officer, due=on_time),
        "safety": obligation(w.officer, due=on_time, standard=SafetyCheck),
    }


def numbers(rows) -> dict:
    return {
        (r.standard_id, r.team_name, r.month): (
            r.opened,
            r.met_on_time,
            r.met_late,
            r.overdue,
            r.rate,
        )
        for r in rows
    }


def test_the_overview_counts_on_time_late_and_overdue_and_leaves_out_the_cancelled(world, may):
    rows = compliance_overview(user=world.supervisor, month_from=MAY, month_to=JULY)
    assert numbers(rows) == {
        (FirstReview.id, "North response 1", MAY): (4, 2, 1, 1, 0.5),
        (FirstReview.id, "North response 1", JUNE): (2, 0, 0, 1, 0.0),
        (FirstReview.id, "North response 1", JULY): (1, 0, 0, 0, None),
        (SafetyCheck.id, "North response 1", MAY): (1, 0, 0, 1, 0.0),
    }
    assert {(r.area_name, r.standard_title) for r in rows} == {
        ("North", "First review"),
        ("North", "Safety check"),
    }


def test_an_inspector_sees_their_area_and_the_ppu_lead_the_force(world, may):
    north = compliance_overview(user=world.inspector, month_from=MAY, month_to=MAY)
    assert {r.team_name for r in north} == {"North response 1", "North response 2"}
    force = compliance_overview(user=world.lead, month_from=MAY, month_to=MAY)
    assert {(r.area_name, r.team_name) for r in force} == {
        ("North", "North response 1"),
        ("North", "North response 2"),
        ("South", "South response"),
    }
    [south] = [r for r in force if r.team_name == "South response"]
    assert (south.opened, south.overdue, south.rate) == (1, 1, 0.0)


def test_months_outside_the_span_are_not_counted(world, may):
    assert compliance_overview(user=world.lead, month_from=JUNE, month_to=JUNE) != []
    assert (
        compliance_overview(
            user=world.lead, month_from=dt.date(2026, 4, 1), month_to=dt.date(2026, 4, 1)
        )
        == []
    )


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ANALYST, Role.CONTROL_ROOM])
def test_the_overview_is_refused_to_roles_that_do_not_supervise(world, role):
    user = factories.UserFactory(team=world.n1, role=role)
    with pytest.raises(AccessDenied):
        compliance_overview(user=user, month_from=MAY, month_to=MAY)


def behind(user, team, status=None, standard=FirstReview) -> set:
    page = compliance_obligations(
        user=user, standard_id=standard.id, team_id=team.pk, month=MAY, status=status
    )
    return {o.pk for o in page.object_list}


def test_the_drill_down_lists_the_obligations_behind_each_number(world, may):
    w = world
    assert behind(w.supervisor, w.n1) == {
        *(o.pk for o in may["on_time"]),
        may["late"].pk,
        may["overdue"].pk,
    }
    assert behind(w.supervisor, w.n1, ObligationStatus.MET_ON_TIME) == {
        o.pk for o in may["on_time"]
    }
    assert behind(w.supervisor, w.n1, ObligationStatus.MET_LATE) == {may["late"].pk}
    assert behind(w.inspector, w.n1, ObligationStatus.OVERDUE) == {may["overdue"].pk}


def test_the_drill_down_refuses_a_team_outside_scope(world, may):
    with pytest.raises(AccessDenied):
        behind(world.supervisor, world.n2)
    with pytest.raises(AccessDenied):
        behind(world.inspector, world.s1)


def test_the_drill_down_logs_the_children_it_names(world):
    child = world.child()
    obligation(world.officer, due=london(2026, 5, 4, 9, 0), children=[child])
    behind(world.inspector, world.n1)
    [entry] = ProcessingLogEntry.objects.filter(subject_id=child.pk)
    assert (entry.operation, entry.actor) == (Operation.CONSULTATION, world.inspector)


# -- pages and exports ---------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_overview_page_shows_the_numbers_and_links_to_the_obligations(client, world, may):
    sign_in(client, world.inspector)
    response = client.get(
        reverse("standards:compliance"), {"month_from": "2026-05", "month_to": "2026-05"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "North response 2" in page
    assert "South response" not in page
    assert "50%" in page
    assert reverse("standards:compliance_obligations") + "?standard=tests.first_review" in page


def test_the_drill_down_page_lists_the_obligations(client, world, may):
    sign_in(client, world.supervisor)
    query = {
        "standard": FirstReview.id,
        "team": world.n1.pk,
        "month": "2026-05",
        "status": "overdue",
    }
    response = client.get(reverse("standards:compliance_obligations"), query)
    page = response.content.decode()
    assert response.status_code == 200
    assert may["overdue"].title in page
    assert may["late"].title not in page
    assert "govuk-tag--red" in page


def test_exporting_the_overview_is_a_disclosure_to_the_user(client, world, may):
    lead = world.lead
    sign_in(client, lead)
    response = client.get(
        reverse("standards:compliance_csv"), {"month_from": "2026-05", "month_to": "2026-05"}
    )
    rows = read_csv(response)
    assert response["Content-Disposition"].startswith("attachment")
    assert rows[0][:5] == ["standard_id", "standard", "area", "team", "month"]
    assert [
        "tests.first_review",
        "First review",
        "North",
        "North response 1",
        "2026-05",
        "4",
        "2",
        "1",
        "1",
        "0.500",
    ] in rows
    entries = ProcessingLogEntry.objects.filter(operation=Operation.DISCLOSURE, actor=lead)
    assert {e.subject_id for e in entries} == {world.n1.pk, world.n2.pk, world.s1.pk}
    assert {e.recipient for e in entries} == {lead.display_name}


def test_exporting_the_obligations_behind_a_number_discloses_each_child_named(client, world):
    child = world.child()
    named = obligation(world.officer, due=london(2026, 5, 4, 9, 0), children=[child])
    sign_in(client, world.supervisor)
    query = {"standard": FirstReview.id, "team": world.n1.pk, "month": "2026-05"}
    rows = read_csv(client.get(reverse("standards:compliance_csv"), query))
    assert [r[0] for r in rows[1:]] == [str(named.pk)]
    assert rows[1][-1] == child.full_name
    [entry] = ProcessingLogEntry.objects.filter(subject_id=child.pk)
    assert (entry.operation, entry.recipient) == (
        Operation.DISCLOSURE,
        world.supervisor.display_name,
    )


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.DETECTIVE_INSPECTOR, Role.PPU_LEAD])
def test_the_overview_opens_for_those_who_supervise(client, world, role):
    sign_in(client, factories.UserFactory(team=world.n1, role=role))
    assert client.get(reverse("standards:compliance")).status_code == 200


@pytest.mark.parametrize("name", ["standards:compliance", "standards:compliance_csv"])
def test_the_overview_and_its_export_are_refused_to_an_officer(client, world, name):
    sign_in(client, world.officer)
    assert client.get(reverse(name)).status_code == 403
    assert not ProcessingLogEntry.objects.filter(operation=Operation.DISCLOSURE).exists()

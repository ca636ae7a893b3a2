"""The supervisor's queue, "Needs attention now": exactly what is due in the user's scope (own,
team, area or force), soonest first, filterable, and nothing outside that scope, ever.

Obligations come from two small standards written for the test (subject: an incident), through
the engine's own refresh, as in tests/standards/test_engine.py. The other test files of the
queue and the overview import the world built here.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests import factories
from tests.org.sessions import sign_in
from thinkchild.access.models import AccessListEntry, Operation, ProcessingLogEntry
from thinkchild.access.policy import RecordKind
from thinkchild.access.scope import AccessDenied
from thinkchild.incidents.models import Incident
from thinkchild.org.models import Force, Role
from thinkchild.standards import registry
from thinkchild.standards.models import Obligation, ObligationStatus
from thinkchild.standards.registry import Expectation, Standard, SubjectType
from thinkchild.standards.selectors import RESTRICTED_NAME, obligation_queue
from thinkchild.standards.services import obligations_refresh

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 6, 10, 12, 0, tzinfo=LONDON)
# What each test incident should have, as the test decides: (standard id, incident id) -> spec.
SPECS: dict = {}


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


class _TestStandard(Standard):
    subject_type = "test_incident"
    source = "Test force policy"

    def expectations(self, incident, policy):
        spec = SPECS.get((self.id, incident.pk))
        if spec is None:
            return
        yield Expectation(
            key="only",
            title=f"{self.title}: {incident.reference}",
            opened_at=spec["opened"],
            due_at=spec["due"],
            met_at=spec.get("met"),
            owner_team_id=incident.team_id,
            owner_id=incident.allocated_to_id,
            child_ids=tuple(c.pk for c in spec.get("children", ())),
            cancelled_reason=spec.get("cancelled", ""),
        )


class FirstReview(_TestStandard):
    """Test standard: "an incident is reviewed by a supervisor by the time the test says"."""

    id = "tests.first_review"
    title = "First review"


class SafetyCheck(_TestStandard):
    """Test standard: "the children's safety is checked by the time the test says"."""

    id = "tests.safety_check"
    title = "Safety check"


@pytest.fixture(autouse=True)
def test_standards():
    registry.register_subject_type(
        SubjectType(
            name="test_incident",
            label="Incident",
            load=lambda pk: Incident.objects.filter(pk=pk).first(),
            all_ids=lambda: Incident.objects.values_list("pk", flat=True).iterator(),
            url=lambda pk: reverse("incidents:detail", args=[pk]),
        )
    )
    registry.register_standard(FirstReview())
    registry.register_standard(SafetyCheck())
    SPECS.clear()
    yield
    registry._standards.pop(FirstReview.id)
    registry._standards.pop(SafetyCheck.id)
    registry._subject_types.pop("test_incident")


class World:
    """One force of two areas (North: teams N1 and N2; South: team S1) and another force."""

    def __init__(self, force):
        self.force = force
        self.north = factories.AreaFactory(force=force, name="North")
        self.south = factories.AreaFactory(force=force, name="South")
        self.n1 = factories.TeamFactory(area=self.north, force=force, name="North response 1")
        self.n2 = factories.TeamFactory(area=self.north, force=force, name="North response 2")
        self.s1 = factories.TeamFactory(area=self.south, force=force, name="South response")
        north_cp = factories.TeamFactory(area=self.north, force=force, name="North CP")
        ppu = factories.TeamFactory(area=None, force=force, name="PPU")
        self.officer = factories.UserFactory(team=self.n1, role=Role.OFFICER)
        self.colleague = factories.UserFactory(team=self.n1, role=Role.OFFICER)
        self.supervisor = factories.UserFactory(team=self.n1, role=Role.SUPERVISOR)
        self.n2_officer = factories.UserFactory(team=self.n2, role=Role.OFFICER)
        self.s1_officer = factories.UserFactory(team=self.s1, role=Role.OFFICER)
        self.inspector = factories.UserFactory(team=north_cp, role=Role.DETECTIVE_INSPECTOR)
        self.lead = factories.UserFactory(team=ppu, role=Role.PPU_LEAD)
        self.analyst = factories.UserFactory(team=ppu, role=Role.ANALYST)
        other = Force.objects.create(code="elsewhere", name="Elsewhere Police")
        other_area = factories.AreaFactory(force=other)
        self.elsewhere = factories.TeamFactory(area=other_area, force=other)
        self.elsewhere_officer = factories.UserFactory(team=self.elsewhere, role=Role.OFFICER)

    def child(self, **kwargs):
        return factories.PersonFactory(
            force=self.force, area=self.north, date_of_birth=dt.date(2014, 3, 1), **kwargs
        )


@pytest.fixture
def world(force) -> World:
    return World(force)


def obligation(
    owner,
    *,
    due: dt.datetime,
    opened: dt.datetime | None = None,
    met: dt.datetime | None = None,
    cancelled: str = "",
    children=(),
    standard=FirstReview,
) -> Obligation:
    """An incident held by the owner's team, with one obligation of `standard` on it."""
    team = owner.team
    incident = factories.IncidentFactory(
        force=team.force,
        area=team.area,
        team=team,
        allocated_to=owner,
        occurred_at=opened or due - dt.timedelta(days=3),
    )
    SPECS[standard.id, incident.pk] = {
        "opened": opened or due - dt.timedelta(days=3),
        "due": due,
        "met": met,
        "cancelled": cancelled,
        "children": children,
    }
    obligations_refresh(subject_type="test_incident", subject_id=incident.pk, now=NOW)
    return Obligation.objects.get(subject_id=incident.pk, standard_id=standard.id)


@pytest.fixture
def due(world):
    """Open and overdue obligations across the force, and some that are not due at all."""
    w = world
    return {
        "own_overdue": obligation(w.officer, due=london(2026, 6, 9, 9, 0)),
        "own_open": obligation(w.officer, due=london(2026, 6, 12, 17, 0)),
        "colleague_soonest": obligation(w.colleague, due=london(2026, 6, 1, 9, 0)),
        "n2": obligation(w.n2_officer, due=london(2026, 6, 11, 9, 0)),
        "s1": obligation(w.s1_officer, due=london(2026, 6, 8, 9, 0)),
        "elsewhere": obligation(w.elsewhere_officer, due=london(2026, 6, 8, 10, 0)),
        # Not due: met, or not applicable.
        "met": obligation(w.officer, due=london(2026, 6, 9, 9, 0), met=london(2026, 6, 8, 9, 0)),
        "cancelled": obligation(w.officer, due=london(2026, 6, 9, 9, 0), cancelled="No child"),
    }


def queued(user, **filters) -> list[Obligation]:
    return list(obligation_queue(user=user, page_size=500, **filters).object_list)


def test_a_supervisor_sees_their_teams_open_and_overdue_obligations_soonest_first(world, due):
    assert queued(world.supervisor) == [
        due["colleague_soonest"],
        due["own_overdue"],
        due["own_open"],
    ]
    assert due["own_overdue"].status == ObligationStatus.OVERDUE


def test_an_inspector_sees_their_area_and_nothing_of_another(world, due):
    assert queued(world.inspector) == [
        due["colleague_soonest"],
        due["own_overdue"],
        due["n2"],
        due["own_open"],
    ]


def test_the_ppu_lead_sees_the_force_and_nothing_of_another_force(world, due):
    assert queued(world.lead) == [
        due["colleague_soonest"],
        due["s1"],
        due["own_overdue"],
        due["n2"],
        due["own_open"],
    ]


def test_an_officer_sees_only_their_own(world, due):
    assert queued(world.officer) == [due["own_overdue"], due["own_open"]]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.CONTROL_ROOM, Role.SYSTEM_ADMIN])
def test_other_roles_are_refused(world, due, role):
    user = factories.UserFactory(team=world.n1, role=role)
    with pytest.raises(AccessDenied):
        obligation_queue(user=user)


def test_filters_by_standard_status_officer_and_child(world, due):
    w = world
    child = w.child()
    safety = obligation(w.officer, due=london(2026, 6, 20, 9, 0), standard=SafetyCheck)
    for_child = obligation(w.colleague, due=london(2026, 6, 15, 9, 0), children=[child])
    assert queued(w.supervisor, standard_id=SafetyCheck.id) == [safety]
    assert queued(w.supervisor, status=ObligationStatus.OVERDUE) == [
        due["colleague_soonest"],
        due["own_overdue"],
    ]
    assert queued(w.supervisor, officer_id=w.colleague.pk) == [due["colleague_soonest"], for_child]
    assert queued(w.supervisor, child_id=child.pk) == [for_child]
    # An officer of another area is not a way into it: the filter only narrows the scope.
    assert queued(w.supervisor, officer_id=w.s1_officer.pk) == []


def test_a_team_outside_scope_is_refused_rather_than_shown_empty(world, due):
    assert queued(world.inspector, team_id=world.n2.pk) == [due["n2"]]
    with pytest.raises(AccessDenied):
        obligation_queue(user=world.inspector, team_id=world.s1.pk)
    with pytest.raises(AccessDenied):
        obligation_queue(user=world.supervisor, team_id=world.n2.pk)


def test_the_children_named_are_logged_and_a_restricted_child_is_not_named(world):
    w = world
    shown = w.child(given_name="Maisie")
    restricted = w.child(given_name="Harvey", is_restricted=True)
    obligation(w.officer, due=london(2026, 6, 15, 9, 0), children=[shown, restricted])
    [row] = queued(w.supervisor)
    assert sorted(c.name for c in row.child_names) == sorted([shown.full_name, RESTRICTED_NAME])
    [entry] = ProcessingLogEntry.objects.filter(actor=w.supervisor)
    assert (entry.operation, entry.subject_id) == (Operation.CONSULTATION, shown.pk)
    assert "queue" in entry.justification

    AccessListEntry.objects.create(
        subject_type=RecordKind.PERSON, subject_id=restricted.pk, user=w.supervisor
    )
    [row] = queued(w.supervisor)
    assert restricted.full_name in [c.name for c in row.child_names]


# -- the page ------------------------------------------------------------------------------------


def test_the_queue_page_shows_overdue_in_red_with_a_link_to_the_record(client, world, due):
    sign_in(client, world.supervisor)
    response = client.get(reverse("standards:queue"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 obligations open or overdue" in page
    assert "govuk-tag--red" in page
    incident_url = reverse("incidents:detail", args=[due["own_overdue"].subject_id])
    assert f'href="{incident_url}"' in page
    assert due["s1"].title not in page
    assert 'href="/standards/queue/"' in page  # in the navigation


def test_the_queue_page_filters_by_officer(client, world, due):
    sign_in(client, world.supervisor)
    page = client.get(reverse("standards:queue"), {"officer": world.officer.pk}).content.decode()
    assert due["own_open"].title in page
    assert due["colleague_soonest"].title not in page


@pytest.mark.parametrize(
    "role", [Role.OFFICER, Role.SUPERVISOR, Role.DETECTIVE_INSPECTOR, Role.PPU_LEAD]
)
def test_the_queue_page_opens_for_the_roles_that_have_one(client, world, role):
    sign_in(client, factories.UserFactory(team=world.n1, role=role))
    assert client.get(reverse("standards:queue")).status_code == 200


def test_the_queue_page_is_refused_to_other_roles(client, world):
    sign_in(client, world.analyst)
    assert client.get(reverse("standards:queue")).status_code == 403


def test_an_inspector_finds_an_officers_items_by_collar_number(client, world, due):
    inspector = factories.UserFactory(team=world.n1, role=Role.DETECTIVE_INSPECTOR)
    sign_in(client, inspector)
    page = client.get(
        reverse("standards:queue"), {"officer": world.officer.collar_number}
    ).content.decode()
    assert due["own_open"].title in page
    assert due["colleague_soonest"].title not in page
    page = client.get(reverse("standards:queue"), {"officer": "no-such-officer"}).content.decode()
    assert "No officer in your scope has that collar number or username" in page


def test_past_the_count_limit_the_queue_says_over(client, world, due, monkeypatch):
    from thinkchild.standards import selectors as obligation_selectors

    monkeypatch.setattr(obligation_selectors, "COUNT_LIMIT", 2)
    page = obligation_selectors.obligation_queue(user=world.supervisor)
    assert page.count_capped
    assert page.paginator.count == 3  # counted up to the limit and one more
    sign_in(client, world.supervisor)
    html = client.get(reverse("standards:queue")).content.decode()
    assert "Over 2 obligations (filter to see fewer) open or overdue." in html

"""The standards engine: obligations open, are met on time or late, go overdue and escalate at
the right moment; policy changes apply from their date; refreshing is idempotent.

The engine is what is under test, so the standard here is a small one written for the test: an
incident involving a child must be reviewed within a number of working days (a policy parameter).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from thinkchild.incidents.models import Incident
from thinkchild.org.models import Role
from thinkchild.standards import registry
from thinkchild.standards.calendars import due_after_working_days
from thinkchild.standards.models import Escalation, Notification, Obligation, ObligationStatus
from thinkchild.standards.policy import PolicyRefused, policy_set
from thinkchild.standards.registry import Expectation, Parameter, Standard, SubjectType
from thinkchild.standards.services import (
    NO_LONGER_EXPECTED,
    obligations_reevaluate,
    obligations_refresh,
    obligations_tick,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
REVIEW_DAYS = Parameter(
    key="tests.review_working_days",
    title="Working days to review an incident",
    default=1,
    unit="working days",
    minimum=1,
    maximum=30,
)
# When each incident was reviewed, as the test decides (a real standard reads its subject).
REVIEWED: dict = {}


class IncidentReview(Standard):
    """Test standard: "an incident is reviewed within N working days of being recorded"."""

    id = "tests.incident_review"
    title = "Incident reviewed"
    source = "Test force policy"
    subject_type = "test_incident"
    parameters = (REVIEW_DAYS,)

    def expectations(self, incident, policy):
        if incident.summary == "not applicable":
            return []
        days = policy(REVIEW_DAYS.key, incident.occurred_at)
        yield Expectation(
            key="review",
            title=f"Review {incident.reference}",
            opened_at=incident.occurred_at,
            due_at=due_after_working_days(start=incident.occurred_at, days=days),
            met_at=REVIEWED.get(incident.pk),
            owner_team_id=incident.team_id,
            owner_id=incident.allocated_to_id,
        )


@pytest.fixture(autouse=True)
def test_standard():
    registry.register_subject_type(
        SubjectType(
            name="test_incident",
            label="Incident",
            load=lambda pk: Incident.objects.filter(pk=pk).first(),
            all_ids=lambda: Incident.objects.values_list("pk", flat=True).iterator(),
        )
    )
    registry.register_standard(IncidentReview())
    REVIEWED.clear()
    yield
    registry._standards.pop(IncidentReview.id)
    registry._subject_types.pop("test_incident")
    registry._parameters.pop(REVIEW_DAYS.key)


@pytest.fixture
def team(area):
    return factories.TeamFactory(area=area, force=area.force)


@pytest.fixture
def people(team, area):
    officer = factories.UserFactory(team=team, role=Role.OFFICER, email="o@example.org")
    sergeant = factories.UserFactory(team=team, role=Role.SUPERVISOR, email="s@example.org")
    inspector_team = factories.TeamFactory(area=area, force=area.force)
    inspector = factories.UserFactory(team=inspector_team, role=Role.DETECTIVE_INSPECTOR)
    return officer, sergeant, inspector


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def recorded(team, officer, at, **kwargs) -> Incident:
    return factories.IncidentFactory(
        force=team.force, area=team.area, team=team, allocated_to=officer, occurred_at=at, **kwargs
    )


def refresh(incident, now) -> int:
    return obligations_refresh(subject_type="test_incident", subject_id=incident.pk, now=now)


def test_an_obligation_opens_with_its_due_time_from_the_working_day_calendar(team, people):
    officer = people[0]
    # Thursday before Easter 2026: Good Friday and Easter Monday are bank holidays.
    incident = recorded(team, officer, london(2026, 4, 2, 16, 0))
    assert refresh(incident, london(2026, 4, 2, 16, 5)) == 1
    obligation = Obligation.objects.get()
    assert obligation.due_at == london(2026, 4, 7, 23, 59, 59, 999999)
    assert (obligation.status, obligation.owner, obligation.owner_team) == (
        ObligationStatus.OPEN,
        officer,
        team,
    )


def test_refreshing_again_and_reevaluating_twice_change_nothing(team, people):
    incident = recorded(team, people[0], london(2026, 6, 1, 10, 0))
    now = london(2026, 6, 1, 11, 0)
    refresh(incident, now)
    before = list(Obligation.objects.values())
    assert refresh(incident, now) == 0
    with time_machine.travel(now, tick=False):
        obligations_reevaluate()
        assert obligations_reevaluate() == 0
    assert list(Obligation.objects.values()) == before


def test_met_on_time_and_met_late(team, people):
    on_time = recorded(team, people[0], london(2026, 6, 1, 10, 0))
    late = recorded(team, people[0], london(2026, 6, 1, 10, 0))
    REVIEWED[on_time.pk] = london(2026, 6, 2, 23, 0)
    REVIEWED[late.pk] = london(2026, 6, 3, 0, 30)
    for incident in (on_time, late):
        refresh(incident, london(2026, 6, 4, 9, 0))
    statuses = dict(Obligation.objects.values_list("subject_id", "status"))
    assert statuses == {
        on_time.pk: ObligationStatus.MET_ON_TIME,
        late.pk: ObligationStatus.MET_LATE,
    }


def test_overdue_escalates_to_the_supervisor_then_after_a_day_to_the_inspector(team, people):
    officer, sergeant, inspector = people
    incident = recorded(team, officer, london(2026, 6, 5, 15, 0))  # a Friday
    refresh(incident, london(2026, 6, 5, 15, 1))
    due = Obligation.objects.get().due_at  # the end of Monday

    assert obligations_tick(now=due - dt.timedelta(minutes=1))["overdue"] == 0
    counts = obligations_tick(now=due + dt.timedelta(minutes=5))
    assert (counts["overdue"], counts["to_supervisor"], counts["to_inspector"]) == (1, 1, 0)
    assert set(Notification.objects.values_list("user", flat=True)) == {officer.pk, sergeant.pk}
    assert obligations_tick(now=due + dt.timedelta(minutes=10)) == {
        "overdue": 0,
        "to_supervisor": 0,
        "to_inspector": 0,
    }

    assert obligations_tick(now=due + dt.timedelta(hours=23))["to_inspector"] == 0
    assert obligations_tick(now=due + dt.timedelta(hours=24, minutes=1))["to_inspector"] == 1
    step = Escalation.objects.get(level=2)
    assert list(step.to.all()) == [inspector]
    assert Obligation.objects.get().escalation_level == 2


def test_escalation_emails_go_after_the_commit(
    team, people, mailoutbox, django_capture_on_commit_callbacks
):
    incident = recorded(team, people[0], london(2026, 6, 5, 15, 0))
    refresh(incident, london(2026, 6, 5, 15, 1))
    with django_capture_on_commit_callbacks(execute=True):
        obligations_tick(now=london(2026, 6, 9, 9, 0))
    assert sorted(m.to[0] for m in mailoutbox) == ["o@example.org", "s@example.org"]
    assert "Overdue since 08/06/2026 23:59" in mailoutbox[0].body


def test_meeting_it_late_stops_escalation_and_records_it_as_met_late(team, people):
    incident = recorded(team, people[0], london(2026, 6, 5, 15, 0))
    refresh(incident, london(2026, 6, 5, 15, 1))
    obligations_tick(now=london(2026, 6, 9, 9, 0))
    REVIEWED[incident.pk] = london(2026, 6, 9, 10, 0)
    refresh(incident, london(2026, 6, 9, 10, 0))
    obligation = Obligation.objects.get()
    assert (obligation.status, obligation.escalation_level) == (ObligationStatus.MET_LATE, 0)
    assert obligations_tick(now=london(2026, 6, 12, 9, 0))["to_inspector"] == 0


def test_a_policy_change_applies_from_its_date_and_leaves_earlier_compliance_alone(
    team, people, area
):
    officer = people[0]
    lead = factories.UserFactory(
        role=Role.PPU_LEAD, team=factories.TeamFactory(area=None, force=area.force)
    )
    earlier = recorded(team, officer, london(2026, 6, 1, 10, 0))
    refresh(earlier, london(2026, 6, 1, 10, 5))
    with time_machine.travel(london(2026, 6, 10, 9, 0), tick=False):
        policy_set(
            actor=lead,
            key=REVIEW_DAYS.key,
            value=3,
            effective_from=dt.date(2026, 6, 15),
            reason="Reviews take longer with the new case system",
        )
    later = recorded(team, officer, london(2026, 6, 15, 10, 0))  # Monday
    with time_machine.travel(london(2026, 6, 16, 9, 0), tick=False):
        obligations_reevaluate()
    due = dict(Obligation.objects.values_list("subject_id", "due_at"))
    assert due[earlier.pk] == london(2026, 6, 2, 23, 59, 59, 999999)  # one working day, as then
    assert due[later.pk] == london(2026, 6, 18, 23, 59, 59, 999999)  # three, from its date


@pytest.mark.parametrize(
    ("value", "effective_from", "role", "message"),
    [
        (0, dt.date(2026, 7, 1), Role.PPU_LEAD, "must be at least 1 working days"),
        (400, dt.date(2026, 7, 1), Role.PPU_LEAD, "must be at most 30 working days"),
        (3, dt.date(2026, 6, 1), Role.PPU_LEAD, "from today or later"),
        (3, dt.date(2026, 7, 1), Role.SUPERVISOR, "Only the PPU lead"),
    ],
)
def test_a_bad_policy_change_is_refused_with_the_reason(area, value, effective_from, role, message):
    user = factories.UserFactory(role=role, team=factories.TeamFactory(area=area, force=area.force))
    with (
        time_machine.travel(london(2026, 6, 10, 9, 0), tick=False),
        pytest.raises(PolicyRefused) as refused,
    ):
        policy_set(
            actor=user,
            key=REVIEW_DAYS.key,
            value=value,
            effective_from=effective_from,
            reason="Testing the limits of policy",
        )
    assert message in str(refused.value)


def test_an_obligation_that_no_longer_applies_is_cancelled_with_a_reason(team, people):
    incident = recorded(team, people[0], london(2026, 6, 1, 10, 0))
    refresh(incident, london(2026, 6, 1, 10, 5))
    Incident.objects.filter(pk=incident.pk).update(summary="not applicable")
    refresh(incident, london(2026, 6, 1, 11, 0))
    obligation = Obligation.objects.get()
    assert (obligation.status, obligation.cancelled_reason) == (
        ObligationStatus.CANCELLED,
        NO_LONGER_EXPECTED,
    )


def test_a_due_time_before_the_opening_is_refused_and_nothing_is_saved(team, people):
    class Backwards(IncidentReview):
        """Test standard whose due time comes before its opening."""

        id = "tests.backwards"

        def expectations(self, incident, policy):
            yield Expectation(
                key="x",
                title="Backwards",
                opened_at=incident.occurred_at,
                due_at=incident.occurred_at - dt.timedelta(hours=1),
            )

    registry.register_standard(Backwards())
    try:
        incident = recorded(team, people[0], london(2026, 6, 1, 10, 0))
        with pytest.raises(ValueError, match="before it opened"):
            refresh(incident, london(2026, 6, 1, 10, 5))
    finally:
        registry._standards.pop(Backwards.id)
    assert not Obligation.objects.exists()


def test_a_user_reads_their_notifications_and_marks_them_read(team, people, client):
    from django.urls import reverse

    from tests.org.sessions import sign_in

    officer, sergeant, _ = people
    incident = recorded(team, officer, london(2026, 6, 5, 15, 0))
    refresh(incident, london(2026, 6, 5, 15, 1))
    obligations_tick(now=london(2026, 6, 9, 9, 0))
    sign_in(client, sergeant)
    page = client.get(reverse("standards:notifications")).content.decode()
    assert f"Review {incident.reference}" in page
    assert "1 unread" in page
    client.post(reverse("standards:notifications"))
    assert not Notification.objects.filter(user=sergeant, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=officer, read_at__isnull=True).exists()

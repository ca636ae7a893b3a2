"""The investigation standards, travelling in time: first review, cadence, further work, and
meeting decisions, across weekends, bank holidays and the change of clocks."""

import datetime as dt

import pytest
import time_machine

from tests import factories
from tests.investigations.factories import NDM, london, user
from thinkchild.investigations import services
from thinkchild.investigations.models import InvestigationType
from thinkchild.investigations.services import Decision
from thinkchild.org.models import Role, TeamKind
from thinkchild.standards.models import Obligation, ObligationStatus
from thinkchild.standards.policy import policy_set
from thinkchild.standards.services import obligations_reevaluate, obligations_tick

pytestmark = pytest.mark.django_db


def end_of_day(y, m, d):
    return london(y, m, d, 23, 59, 59, 999999)


def open_case(team, child, adult, at, type=InvestigationType.CHILD_ABUSE):
    with time_machine.travel(at, tick=False):
        return services.investigation_open(
            actor=user(team, Role.SUPERVISOR),
            reference=f"INV-{at:%m%d%H%M}",
            type=type,
            team=team,
            officer=user(team),
            victims=[child],
            suspects=[adult],
            at=at,
        )


def record_review(investigation, reviewer, at, next_review_by=None):
    with time_machine.travel(at, tick=False):
        return services.supervision_review_record(
            actor=reviewer,
            investigation=investigation,
            reviewed_at=at,
            risks_considered="Suspect lives two streets from the victim's school.",
            decisions=[Decision("Bail with conditions not to contact", NDM)],
            next_review_by=next_review_by or (at + dt.timedelta(days=28)).date(),
        )


def obligation(standard):
    return Obligation.objects.get(standard_id=f"investigations.{standard}")


def test_the_first_review_is_due_seven_days_after_allocation_across_the_clock_change(
    teams, child, adult
):
    team = teams[TeamKind.CHILD_PROTECTION]
    investigation = open_case(team, child, adult, london(2026, 10, 20, 16, 0))
    first = obligation("first_supervision_review")
    assert first.due_at == end_of_day(2026, 10, 27)  # GMT by then
    assert list(first.children.all()) == [child]

    obligations_tick(now=end_of_day(2026, 10, 27) + dt.timedelta(minutes=1))
    first.refresh_from_db()
    assert (first.status, first.escalation_level) == (ObligationStatus.OVERDUE, 1)

    record_review(investigation, user(team, Role.SUPERVISOR), london(2026, 10, 28, 10, 0))
    first.refresh_from_db()
    assert (first.status, first.escalation_level) == (ObligationStatus.MET_LATE, 0)


def test_each_review_opens_the_next_within_the_cadence_or_the_reviewers_earlier_date(
    teams, child, adult, area
):
    team = teams[TeamKind.CHILD_PROTECTION]
    investigation = open_case(team, child, adult, london(2026, 6, 1, 9, 0))
    sergeant = user(team, Role.SUPERVISOR)
    record_review(investigation, sergeant, london(2026, 6, 3, 10, 0))
    assert obligation("review_cadence").due_at == end_of_day(2026, 7, 1)  # 28 days

    record_review(investigation, sergeant, london(2026, 6, 20, 10, 0), dt.date(2026, 6, 27))
    first, second = Obligation.objects.filter(standard_id="investigations.review_cadence").order_by(
        "opened_at"
    )
    assert first.status == ObligationStatus.MET_ON_TIME
    assert second.due_at == end_of_day(2026, 6, 27)  # the reviewer asked for sooner


def test_a_cadence_change_for_one_kind_of_team_applies_from_its_date_only(
    teams, child, adult, area
):
    team = teams[TeamKind.CHILD_PROTECTION]
    investigation = open_case(team, child, adult, london(2026, 6, 1, 9, 0))
    sergeant = user(team, Role.SUPERVISOR)
    record_review(investigation, sergeant, london(2026, 6, 3, 10, 0))
    lead = factories.UserFactory(role=Role.PPU_LEAD, team=factories.TeamFactory(area=area))
    fortnightly = {k: (14 if k == TeamKind.CHILD_PROTECTION else 28) for k in TeamKind.values}
    with time_machine.travel(london(2026, 6, 4, 9, 0), tick=False):
        policy_set(
            actor=lead,
            key="investigations.review_cadence_days",
            value=fortnightly,
            effective_from=dt.date(2026, 6, 5),
            reason="Fortnightly reviews in child protection from the new policy",
        )
    record_review(investigation, sergeant, london(2026, 6, 10, 10, 0), dt.date(2026, 8, 1))
    before, after = Obligation.objects.filter(standard_id="investigations.review_cadence").order_by(
        "opened_at"
    )
    assert after.due_at == end_of_day(2026, 6, 24)  # 14 days under the new policy
    assert before.due_at == end_of_day(2026, 7, 1)  # still 28: opened under the old one
    with time_machine.travel(london(2026, 6, 11, 9, 0), tick=False):
        assert obligations_reevaluate() == 0


def test_an_investigation_with_no_child_has_no_review_cadence(teams, area):
    team = teams[TeamKind.RESPONSE]
    victim, suspect = (
        factories.PersonFactory(force=area.force, date_of_birth=dt.date(1990, 1, 1))
        for _ in range(2)
    )
    investigation = open_case(
        team, victim, suspect, london(2026, 6, 1, 9, 0), type=InvestigationType.OTHER
    )
    record_review(investigation, user(team, Role.SUPERVISOR), london(2026, 6, 2, 9, 0))
    assert not Obligation.objects.filter(standard_id="investigations.review_cadence").exists()


def test_a_meeting_decision_is_due_by_the_end_of_the_next_working_day_over_a_bank_holiday(
    teams, child, adult
):
    investigation = open_case(
        teams[TeamKind.CHILD_PROTECTION], child, adult, london(2026, 5, 20, 9, 0)
    )
    # Friday 22 May 2026; Monday 25 May is the spring bank holiday.
    with time_machine.travel(london(2026, 5, 22, 15, 0), tick=False):
        outcome = services.meeting_outcome_link(
            actor=investigation.officer,
            investigation=investigation,
            meeting="strategy discussion",
            held_at=london(2026, 5, 22, 14, 0),
            outcome="Section 47 enquiries; joint visit with children's social care.",
        )
    decision = obligation("meeting_decision_recorded")
    assert decision.due_at == end_of_day(2026, 5, 26)
    with time_machine.travel(london(2026, 5, 26, 16, 0), tick=False):
        services.meeting_outcome_record(actor=investigation.officer, outcome=outcome)
    decision.refresh_from_db()
    assert decision.status == ObligationStatus.MET_ON_TIME


def test_closing_before_the_first_review_is_due_cancels_it_with_a_reason(teams, child, adult):
    investigation = open_case(
        teams[TeamKind.CHILD_PROTECTION], child, adult, london(2026, 6, 1, 9, 0)
    )
    with time_machine.travel(london(2026, 6, 3, 9, 0), tick=False):
        services.investigation_close(actor=investigation.officer, investigation=investigation)
    first = obligation("first_supervision_review")
    assert (first.status, first.cancelled_reason) == (
        ObligationStatus.CANCELLED,
        "Closed before the first review was due.",
    )

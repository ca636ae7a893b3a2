"""Investigations: allocation that explains itself, and supervision that is really supervision."""

import datetime as dt

import pytest
import time_machine

from tests import factories
from tests.investigations.factories import NDM, NOW, cse_case, london, user
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.investigations import services
from thinkchild.investigations.models import Allocation, InvestigationType
from thinkchild.investigations.services import Decision, Refused, WorkItem
from thinkchild.org.models import Role, TeamKind
from thinkchild.standards.models import Obligation, ObligationStatus
from thinkchild.standards.policy import policy_set

pytestmark = pytest.mark.django_db


def test_cse_in_person_by_an_adult_goes_to_the_cse_team_and_the_advice_is_kept(teams, child, adult):
    investigation = cse_case(teams, child, adult)
    allocation = Allocation.objects.get(investigation=investigation)
    assert allocation.advice.startswith("Child sexual exploitation of a child by an adult")
    assert ProcessingLogEntry.objects.filter(
        subject_id=investigation.pk, operation=Operation.COLLECTION
    ).exists()


def test_a_team_of_the_wrong_kind_needs_a_reason_and_nothing_is_half_saved(teams, child, adult):
    response = teams[TeamKind.RESPONSE]
    with pytest.raises(Refused, match="goes to the child sexual exploitation team"):
        services.investigation_open(
            actor=user(response, Role.SUPERVISOR),
            reference="INV-2",
            type=InvestigationType.CSE_IN_PERSON,
            team=response,
            victims=[child],
            suspects=[adult],
            at=NOW,
        )
    from thinkchild.investigations.models import Investigation

    assert not Investigation.objects.exists()
    investigation = services.investigation_open(
        actor=user(response, Role.SUPERVISOR),
        reference="INV-2",
        type=InvestigationType.CSE_IN_PERSON,
        team=response,
        victims=[child],
        suspects=[adult],
        at=NOW,
        override_reason="The CSE team is at capacity this week; agreed with the DI.",
    )
    assert Allocation.objects.get(investigation=investigation).reason.startswith("The CSE team")


def test_child_victims_and_child_suspects_stay_with_response(teams, child, area):
    other_child = factories.PersonFactory(force=area.force, date_of_birth=dt.date(2011, 1, 1))
    response = teams[TeamKind.RESPONSE]
    investigation = services.investigation_open(
        actor=user(response, Role.SUPERVISOR),
        reference="INV-3",
        type=InvestigationType.CHILD_ON_CHILD,
        team=response,
        victims=[child],
        suspects=[other_child],
        at=NOW,
    )
    assert Allocation.objects.get(investigation=investigation).advice == (
        "A case with child victims and child suspects only goes to the response team"
        " (force policy)."
    )


def test_reallocation_keeps_who_when_and_why(teams, child, adult):
    investigation = cse_case(teams, child, adult)
    di = user(teams[TeamKind.CSE], Role.DETECTIVE_INSPECTOR)
    with pytest.raises(Refused, match="Say why"):
        services.investigation_reallocate(
            actor=di, investigation=investigation, team=teams[TeamKind.CSE], reason=""
        )
    cse_officer = user(teams[TeamKind.CSE])
    services.investigation_reallocate(
        actor=di,
        investigation=investigation,
        team=teams[TeamKind.CSE],
        officer=cse_officer,
        reason="Original officer on long-term leave",
        at=NOW + dt.timedelta(days=1),
    )
    last = Allocation.objects.filter(investigation=investigation).last()
    assert (last.allocated_by, last.officer, last.reason) == (
        di,
        cse_officer,
        "Original officer on long-term leave",
    )


def review(investigation, reviewer, at, **kwargs):
    return services.supervision_review_record(
        actor=reviewer,
        investigation=investigation,
        reviewed_at=at,
        risks_considered=kwargs.pop("risks", "Risk of further contact with the suspect online."),
        decisions=kwargs.pop("decisions", [Decision("Apply for a CAWN", NDM)]),
        next_review_by=kwargs.pop("next_review_by", (at + dt.timedelta(days=28)).date()),
        **kwargs,
    )


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"as_own_officer": True}, "own officer cannot supervise it"),
        ({"risks": "", "decisions": []}, "is not supervision"),
        ({"at": NOW + dt.timedelta(hours=1)}, "in the future"),
        ({"at": NOW - dt.timedelta(hours=30)}, "more than 24 hours ago: say why"),
        ({"decisions": [Decision("Arrest", {"information": "x"})]}, "missing: assessment"),
        ({"next_review_by": dt.date(2026, 6, 1)}, "next review date is before"),
    ],
)
def test_a_review_that_is_not_supervision_is_refused_with_the_reason(
    teams, child, adult, change, message
):
    investigation = cse_case(teams, child, adult, at=NOW - dt.timedelta(days=3))
    reviewer = investigation.officer if change.pop("as_own_officer", False) else None
    reviewer = reviewer or user(teams[TeamKind.CSE], Role.SUPERVISOR)
    if reviewer == investigation.officer:
        reviewer.role = Role.SUPERVISOR
    at = change.pop("at", NOW - dt.timedelta(hours=1))
    with pytest.raises(Refused, match=message):
        review(investigation, reviewer, at, **change)
    assert not investigation.reviews.exists()


@time_machine.travel(NOW, tick=False)
def test_a_backdated_review_with_a_reason_is_accepted(teams, child, adult):
    investigation = cse_case(teams, child, adult, at=NOW - dt.timedelta(days=5))
    sergeant = user(teams[TeamKind.CSE], Role.SUPERVISOR)
    review(
        investigation,
        sergeant,
        NOW - dt.timedelta(days=2),
        backdated_reason="System outage on Monday; review held on paper.",
    )
    assert investigation.reviews.count() == 1


@time_machine.travel(NOW, tick=False)
def test_further_work_becomes_obligations_with_owners_and_due_dates(teams, child, adult):
    investigation = cse_case(teams, child, adult, at=NOW - dt.timedelta(days=2))
    sergeant, officer = user(teams[TeamKind.CSE], Role.SUPERVISOR), investigation.officer
    review(
        investigation,
        sergeant,
        NOW - dt.timedelta(hours=1),
        further_work=[WorkItem("Download the victim's phone", officer, dt.date(2026, 6, 12))],
    )
    work = Obligation.objects.get(standard_id="investigations.further_work")
    assert (work.owner, work.due_at, work.status) == (
        officer,
        london(2026, 6, 12, 23, 59, 59, 999999),
        ObligationStatus.OPEN,
    )
    assert set(work.children.all()) == {child}

    item = investigation.further_work.get()
    services.further_work_complete(actor=officer, item=item, done_at=NOW)
    work.refresh_from_db()
    assert work.status == ObligationStatus.MET_ON_TIME


@time_machine.travel(NOW, tick=False)
def test_only_a_detective_inspector_or_an_auditor_grades_a_review(teams, child, adult):
    investigation = cse_case(teams, child, adult, at=NOW - dt.timedelta(days=2))
    done = review(investigation, user(teams[TeamKind.CSE], Role.SUPERVISOR), NOW)
    with pytest.raises(Refused, match="detective inspector or an auditor"):
        services.review_grade(
            actor=user(teams[TeamKind.CSE]), review=done, grade="good", reasons="Looks thorough"
        )
    graded = services.review_grade(
        actor=user(teams[TeamKind.CSE], Role.DETECTIVE_INSPECTOR),
        review=done,
        grade="requires_improvement",
        reasons="Risks listed but no safety plan considered.",
    )
    assert graded.get_grade_display() == "Requires improvement"


def test_the_force_changes_where_a_rule_sends_cases_from_a_date(teams, child, adult, area):
    lead = factories.UserFactory(role=Role.PPU_LEAD, team=factories.TeamFactory(area=area))
    with time_machine.travel(NOW, tick=False):
        policy_set(
            actor=lead,
            key="investigations.allocation.cse_in_person",
            value=TeamKind.CHILD_PROTECTION,
            effective_from=dt.date(2026, 6, 11),
            reason="CSE and child protection teams merged in each area",
        )
    before = cse_case(teams, child, adult, reference="INV-A", at=NOW)
    protection = teams[TeamKind.CHILD_PROTECTION]
    after = services.investigation_open(
        actor=user(protection, Role.SUPERVISOR),
        reference="INV-B",
        type=InvestigationType.CSE_IN_PERSON,
        team=protection,
        victims=[child],
        suspects=[adult],
        at=NOW + dt.timedelta(days=1),
    )
    advice = dict(Allocation.objects.values_list("investigation__reference", "advice"))
    assert advice["INV-A"].endswith("goes to the child sexual exploitation team (force policy).")
    assert advice["INV-B"].endswith("goes to the child protection team (force policy).")
    assert before.team.kind == TeamKind.CSE and after.team == protection


def test_a_suspects_bail_needs_its_dates_and_only_a_suspect_has_one(teams, child, adult):
    investigation = cse_case(teams, child, adult)
    suspect = investigation.people.get(role="suspect")
    victim = investigation.people.get(role="victim")
    actor = investigation.officer
    with pytest.raises(Refused, match="Only a suspect"):
        services.suspect_status_set(
            actor=actor, involved=victim, status="bail", since=None, until=None
        )
    with pytest.raises(Refused, match="need a start date and a return date"):
        services.suspect_status_set(
            actor=actor, involved=suspect, status="rui", since=dt.date(2026, 6, 10), until=None
        )
    services.suspect_status_set(
        actor=actor,
        involved=suspect,
        status="bail",
        since=dt.date(2026, 6, 10),
        until=dt.date(2026, 7, 8),
    )
    suspect.refresh_from_db()
    assert (suspect.get_suspect_status_display(), suspect.status_until) == (
        "On bail",
        dt.date(2026, 7, 8),
    )

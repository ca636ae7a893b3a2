"""The missing-children standards, travelling in time: each opens, is met, or goes overdue; a
child back before allocation still gets every obligation; a cross-border episode's obligations
are owned here."""

import datetime as dt

import pytest
import time_machine

from tests.missing.factories import child_in, find, grade, london, report
from thinkchild.missing import services
from thinkchild.missing.models import InterviewMethod, PromptKind
from thinkchild.standards.models import Obligation, ObligationStatus
from thinkchild.standards.services import obligations_reevaluate

pytestmark = pytest.mark.django_db

T0 = london(2026, 6, 10, 21, 0)  # a Wednesday evening


def obligation(episode, standard, key=None):
    found = Obligation.objects.filter(
        subject_type="missing_episode", subject_id=episode.pk, standard_id=f"missing.{standard}"
    )
    return found.get(key=key) if key else found.get()


def status_at(episode, standard, moment, key=None):
    obligations_reevaluate(now=moment)
    return obligation(episode, standard, key).status


@pytest.mark.parametrize(("level", "hours"), [("high", 1), ("medium", 4)])
def test_the_first_grading_is_reviewed_by_a_supervisor_within_its_levels_hours(
    child, team, officer, sergeant, level, hours
):
    episode = report(child, team, T0)
    graded_at = T0 + dt.timedelta(minutes=10)
    grade(episode, officer, graded_at, level=level, hours=1)
    first = obligation(episode, "first_grading_supervised")
    assert first.due_at == graded_at + dt.timedelta(hours=hours)
    assert first.owner_team_id == team.pk and list(first.children.all()) == [child]
    assert status_at(episode, "first_grading_supervised", first.due_at) == ObligationStatus.OPEN
    late = first.due_at + dt.timedelta(seconds=1)
    assert status_at(episode, "first_grading_supervised", late) == ObligationStatus.OVERDUE
    grade(episode, sergeant, late + dt.timedelta(minutes=1), level=level, hours=1)
    assert obligation(episode, "first_grading_supervised").status == ObligationStatus.MET_LATE


def test_a_low_first_grading_has_twelve_hours_and_a_supervisors_own_grading_is_supervised(
    child, team, sergeant
):
    episode = report(child, team, T0)
    grade(
        episode,
        sergeant,
        T0 + dt.timedelta(minutes=5),
        level="low",
        hours=12,
        override_by=sergeant,
        override_rationale="With his father, confirmed by phone",
    )
    first = obligation(episode, "first_grading_supervised")
    assert first.due_at == T0 + dt.timedelta(minutes=5, hours=12)
    assert first.status == ObligationStatus.MET_ON_TIME


def test_the_next_review_time_is_kept_or_goes_overdue(child, team, officer):
    episode = report(child, team, T0)
    grade(episode, officer, T0 + dt.timedelta(minutes=10), hours=4)
    review = obligation(episode, "next_review_kept")
    assert review.due_at == T0 + dt.timedelta(minutes=10, hours=4)
    assert status_at(episode, "next_review_kept", review.due_at + dt.timedelta(minutes=1)) == (
        ObligationStatus.OVERDUE
    )
    grade(episode, officer, T0 + dt.timedelta(hours=5), hours=4)
    first, second = Obligation.objects.filter(standard_id="missing.next_review_kept").order_by(
        "opened_at"
    )
    assert first.status == ObligationStatus.MET_LATE
    assert second.status == ObligationStatus.OPEN
    find(episode, officer, T0 + dt.timedelta(hours=6))
    second.refresh_from_db()
    assert second.status == ObligationStatus.CANCELLED  # found before the review was due


def test_the_return_opens_three_obligations_on_the_time_found(child, team, officer):
    episode = report(child, team, T0)
    found_at = london(2026, 6, 12, 16, 0)  # a Friday afternoon
    find(episode, officer, found_at)
    notified = obligation(episode, "authority_notified")
    interview = obligation(episode, "prevention_interview")
    information = obligation(episode, "return_interview_information")
    assert notified.due_at == found_at + dt.timedelta(hours=24)
    assert interview.due_at == found_at + dt.timedelta(hours=72)
    # 5 working days from Friday: Mon 15 .. Fri 19 June, at the end of the day.
    assert timezone_day(information.due_at) == dt.date(2026, 6, 19)
    for each in (notified, interview, information):
        assert each.status == ObligationStatus.OPEN and each.owner_team_id == team.pk


def timezone_day(moment):
    from django.utils import timezone

    return timezone.localtime(moment).date()


def test_a_child_back_before_allocation_still_gets_every_obligation(child, team, officer):
    episode = report(child, team, T0)
    assert episode.officer is None
    find(episode, officer, T0 + dt.timedelta(hours=1))
    owed = set(
        Obligation.objects.filter(subject_id=episode.pk).values_list("standard_id", flat=True)
    )
    assert owed >= {
        "missing.authority_notified",
        "missing.prevention_interview",
        "missing.return_interview_information",
    }
    assert set(
        Obligation.objects.filter(subject_id=episode.pk).values_list("owner_team_id", flat=True)
    ) == {team.pk}


def test_the_prevention_interview_standard_is_met_or_goes_overdue(child, team, officer):
    episode = report(child, team, T0)
    found_at = T0 + dt.timedelta(hours=2)
    find(episode, officer, found_at)
    due = found_at + dt.timedelta(hours=72)
    assert status_at(episode, "prevention_interview", due + dt.timedelta(minutes=1)) == (
        ObligationStatus.OVERDUE
    )
    with time_machine.travel(due + dt.timedelta(hours=2), tick=False):
        services.prevention_interview_record(
            actor=officer,
            episode=episode,
            done=True,
            held_at=due + dt.timedelta(hours=1),
            method=InterviewMethod.FACE_TO_FACE,
            child_account="Stayed at a friend's; did not want to go home",
        )
    assert obligation(episode, "prevention_interview").status == ObligationStatus.MET_LATE


def test_a_prevention_interview_not_done_for_a_reason_is_not_applicable(child, team, officer):
    episode = report(child, team, T0)
    find(episode, officer, T0 + dt.timedelta(hours=2))
    with time_machine.travel(T0 + dt.timedelta(hours=3), tick=False):
        services.prevention_interview_record(
            actor=officer,
            episode=episode,
            done=False,
            not_done_reason="Admitted to hospital; interview by the ward's safeguarding nurse",
        )
    interview = obligation(episode, "prevention_interview")
    assert interview.status == ObligationStatus.CANCELLED
    assert interview.cancelled_reason.startswith("Not done: Admitted to hospital")


def test_the_authority_notice_and_the_return_interview_information_are_met(child, team, officer):
    episode = report(child, team, T0)
    found_at = T0 + dt.timedelta(hours=2)
    find(episode, officer, found_at)
    with time_machine.travel(found_at + dt.timedelta(hours=3), tick=False):
        services.authority_notify(actor=officer, episode=episode)
    assert obligation(episode, "authority_notified").status == ObligationStatus.MET_ON_TIME
    with time_machine.travel(found_at + dt.timedelta(days=3), tick=False):
        services.return_home_interview_record(
            actor=officer,
            episode=episode,
            held_at=found_at + dt.timedelta(hours=50),
            findings_received_at=found_at + dt.timedelta(days=3),
            findings="Says she will go again if moved from her school",
        )
    assert obligation(episode, "return_interview_information").status == (
        ObligationStatus.MET_ON_TIME
    )


def test_repeat_prompts_are_obligations_due_in_seven_days(child, team, sergeant):
    for days in (0, 10, 20):
        episode = report(child, team, T0 + dt.timedelta(days=days))
    panel = obligation(episode, "repeat_prompts", key=f"prompt-{PromptKind.PANEL}")
    assert timezone_day(panel.due_at) == dt.date(2026, 7, 7)
    late = panel.due_at + dt.timedelta(seconds=1)
    assert status_at(episode, "repeat_prompts", late, key=panel.key) == ObligationStatus.OVERDUE
    prompt = episode.prompts.get(kind=PromptKind.PANEL)
    with time_machine.travel(late, tick=False):
        services.prompt_action(actor=sergeant, prompt=prompt, outcome="Strategy discussion held")
    panel.refresh_from_db()
    assert panel.status == ObligationStatus.MET_LATE


def test_a_legacy_absent_awaits_a_supervisors_review_within_seven_days(
    child, team, officer, sergeant
):
    episode = report(child, team, T0)
    imported = T0 + dt.timedelta(days=1)
    with time_machine.travel(imported, tick=False):
        services.legacy_grading_keep(
            actor=None,
            episode=episode,
            as_recorded="no apparent risk",
            graded_at=T0 + dt.timedelta(minutes=5),
            graded_by="Niche",
        )
    legacy = obligation(episode, "legacy_grading_reviewed")
    assert timezone_day(legacy.due_at) == dt.date(2026, 6, 18)
    assert legacy.status == ObligationStatus.OPEN
    assert not Obligation.objects.filter(standard_id="missing.first_grading_supervised").exists()
    grade(episode, officer, imported + dt.timedelta(hours=1))  # an officer's grading: not review
    assert obligation(episode, "legacy_grading_reviewed").status == ObligationStatus.OPEN
    grade(episode, sergeant, imported + dt.timedelta(hours=2))
    assert obligation(episode, "legacy_grading_reviewed").status == ObligationStatus.MET_ON_TIME


def test_a_cross_border_episode_is_owned_by_the_team_here(child, team, officer):
    episode = report(
        child,
        team,
        T0,
        report={"home_force": "Cumbria Constabulary", "home_force_reference": "CC/26/991"},
    )
    grade(episode, officer, T0 + dt.timedelta(minutes=10))
    assert {o.owner_team_id for o in Obligation.objects.filter(subject_id=episode.pk)} == {team.pk}


def test_the_return_obligations_go_overdue_when_nothing_is_recorded(child, team, officer):
    episode = report(child, team, T0)
    found_at = london(2026, 6, 12, 16, 0)  # a Friday
    find(episode, officer, found_at)
    notice = found_at + dt.timedelta(hours=24, seconds=1)
    assert status_at(episode, "authority_notified", notice) == ObligationStatus.OVERDUE
    after_five_working_days = london(2026, 6, 20, 0, 0)  # the end of Friday 19 June has passed
    assert status_at(episode, "return_interview_information", after_five_working_days) == (
        ObligationStatus.OVERDUE
    )
    assert status_at(episode, "return_interview_information", london(2026, 6, 19, 23, 0)) == (
        ObligationStatus.OPEN
    )


def test_a_legacy_grading_left_unreviewed_goes_overdue(child, team):
    episode = report(child, team, T0)
    with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
        services.legacy_grading_keep(
            actor=None, episode=episode, as_recorded="absent", graded_at=T0, graded_by="Niche"
        )
    due = obligation(episode, "legacy_grading_reviewed").due_at
    assert status_at(episode, "legacy_grading_reviewed", due) == ObligationStatus.OPEN
    late = due + dt.timedelta(seconds=1)
    assert status_at(episode, "legacy_grading_reviewed", late) == ObligationStatus.OVERDUE


def test_a_prompt_actioned_in_time_is_met_on_time(child, team, sergeant):
    for days in (0, 10, 20):
        episode = report(child, team, T0 + dt.timedelta(days=days))
    prompt = episode.prompts.get(kind=PromptKind.EXPLOITATION)
    key = f"prompt-{PromptKind.EXPLOITATION}"
    assert obligation(episode, "repeat_prompts", key=key).status == ObligationStatus.OPEN
    with time_machine.travel(T0 + dt.timedelta(days=22), tick=False):
        services.prompt_action(actor=sergeant, prompt=prompt, outcome="Screening tool completed")
    assert obligation(episode, "repeat_prompts", key=key).status == ObligationStatus.MET_ON_TIME


def test_missing_obligations_reach_the_supervisors_queue_and_the_compliance_overview(
    child, team, officer, sergeant
):
    from thinkchild.standards.selectors import compliance_overview, obligation_queue

    episode = report(child, team, T0)
    grade(episode, officer, T0 + dt.timedelta(minutes=10), level="high", hours=1)
    with time_machine.travel(T0 + dt.timedelta(minutes=20), tick=False):
        queue = obligation_queue(user=sergeant)
        titles = [o.title for o in queue.object_list]
        overview = compliance_overview(
            user=sergeant, month_from=dt.date(2026, 6, 1), month_to=dt.date(2026, 6, 1)
        )
    assert f"Supervisor to review the first risk grading of {episode.reference}" in titles
    assert {"missing.first_grading_supervised", "missing.next_review_kept"} <= {
        row.standard_id for row in overview
    }


def test_a_new_episodes_risk_is_graded_within_the_hour(child, team, officer):
    episode = report(child, team, T0)
    graded = obligation(episode, "risk_graded")
    assert (graded.opened_at, graded.due_at) == (T0, T0 + dt.timedelta(hours=1))
    late = T0 + dt.timedelta(hours=1, seconds=1)
    assert status_at(episode, "risk_graded", late) == ObligationStatus.OVERDUE
    grade(episode, officer, T0 + dt.timedelta(minutes=70))
    assert obligation(episode, "risk_graded").status == ObligationStatus.MET_LATE


def test_found_before_the_grading_or_its_review_was_due_needs_neither(child, team, officer):
    ungraded = report(child, team, T0)
    find(ungraded, officer, T0 + dt.timedelta(minutes=30))
    assert obligation(ungraded, "risk_graded").status == ObligationStatus.CANCELLED
    unreviewed = report(child_in(team.area), team, T0)
    grade(unreviewed, officer, T0 + dt.timedelta(minutes=5), level="medium")
    find(unreviewed, officer, T0 + dt.timedelta(hours=2))
    first = obligation(unreviewed, "first_grading_supervised")
    assert first.status == ObligationStatus.CANCELLED


def test_a_closed_episodes_legacy_absent_can_still_be_reviewed(child, team, officer, sergeant):
    episode = report(child, team, T0)
    with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
        services.legacy_grading_keep(
            actor=None, episode=episode, as_recorded="absent", graded_at=T0, graded_by="Niche"
        )
    found_at = T0 + dt.timedelta(hours=2)
    find(episode, officer, found_at)
    with time_machine.travel(found_at + dt.timedelta(hours=1), tick=False):
        services.prevention_interview_record(
            actor=officer, episode=episode, done=False, not_done_reason="Refused to speak to us"
        )
        services.authority_notify(actor=officer, episode=episode)
        services.episode_close(actor=officer, episode=episode)
    grade(episode, sergeant, found_at + dt.timedelta(hours=3), next_review_at=None)
    assert obligation(episode, "legacy_grading_reviewed").status == ObligationStatus.MET_ON_TIME
    with pytest.raises(services.Refused, match="is closed"):
        grade(episode, sergeant, found_at + dt.timedelta(hours=4), next_review_at=None)

"""The rules of missing children's episodes, each refused with its own message: absent refused and
legacy absent kept and flagged, the minimum for children and its override, rationale and sources,
repeat missing at the window's edges, closure conditions, cross-border ownership."""

import datetime as dt

import pytest
import time_machine

from tests import factories
from tests.missing.factories import (
    child_in,
    find,
    grade,
    local_authority,
    london,
    report,
    source,
    team_in,
    user,
)
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.missing import services
from thinkchild.missing.models import (
    EpisodeStatus,
    InterviewMethod,
    LegacyCategory,
    MissingFrom,
    PromptKind,
    RiskLevel,
)
from thinkchild.missing.services import Refused
from thinkchild.org.models import Role
from thinkchild.standards.policy import policy_set

pytestmark = pytest.mark.django_db

T0 = london(2026, 6, 10, 21, 0)


@pytest.fixture
def episode(child, team):
    return report(child, team, T0)


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(Refused) as refused:
        call(*args, **kwargs)
    return str(refused.value)


# --- Reporting ------------------------------------------------------------------------------


def test_a_report_is_collected_and_logged(episode, child, team):
    assert episode.child == child and episode.team == team and episode.area == team.area
    assert episode.status == EpisodeStatus.MISSING
    assert episode.reference.startswith("MIS-260610-")
    logged = ProcessingLogEntry.objects.get(subject_id=episode.pk)
    assert logged.operation == Operation.COLLECTION


def test_an_adult_is_not_recorded_as_a_missing_child(area, team):
    adult = child_in(area, born=dt.date(1990, 1, 1))
    message = refusal(report, adult, team, T0)
    assert "was 36 on the day of the report" in message


def test_a_looked_after_child_needs_the_responsible_authority(child, team):
    message = refusal(report, child, team, T0, report={"missing_from": MissingFrom.FOSTER_CARE})
    assert "responsible local authority" in message
    episode = report(
        child,
        team,
        T0,
        report={
            "missing_from": MissingFrom.FOSTER_CARE,
            "responsible_authority": local_authority(child.force),
        },
    )
    assert episode.looked_after  # missing from foster care means looked after


def test_a_child_missing_from_another_force_is_owned_here_with_the_home_forces_reference(
    child, team
):
    episode = report(
        child,
        team,
        T0,
        report={"home_force": "Northumbria Police", "home_force_reference": "NP-2026-0042"},
    )
    assert episode.cross_border
    assert (episode.home_force, episode.home_force_reference) == (
        "Northumbria Police",
        "NP-2026-0042",
    )
    assert episode.force == team.force and episode.team == team
    message = refusal(report, child, team, T0, report={"home_force_reference": "X-1"})
    assert "Name the home force" in message


# --- Repeat missing at the window's edges ------------------------------------------------------


def elapsed(start, **delta):
    """`start` plus elapsed time (the window is counted in real time, across a clock change)."""
    return (start.astimezone(dt.UTC) + dt.timedelta(**delta)).astimezone(start.tzinfo)


def test_repeat_missing_counts_an_episode_exactly_ninety_days_earlier(child, team):
    first = london(2026, 3, 1, 12, 0)
    report(child, team, first)
    report(child, team, first + dt.timedelta(days=45))
    third = report(child, team, elapsed(first, days=90))
    assert (third.repeat_count, third.repeat_marker) == (3, True)
    assert {p.kind for p in third.prompts.all()} >= {PromptKind.PANEL, PromptKind.EXPLOITATION}


def test_repeat_missing_does_not_count_an_episode_a_second_outside_the_window(child, team):
    first = london(2026, 3, 1, 12, 0)
    report(child, team, first)
    report(child, team, first + dt.timedelta(days=45))
    third = report(child, team, elapsed(first, days=90, seconds=1))
    assert (third.repeat_count, third.repeat_marker) == (2, False)
    assert not third.prompts.exists()


def test_the_repeat_threshold_and_window_are_force_policy(child, team, area):
    lead = user(team_in(area), Role.PPU_LEAD)
    with time_machine.travel(london(2026, 2, 1, 9, 0), tick=False):
        policy_set(
            actor=lead,
            key="missing.repeat_count",
            value=2,
            effective_from=dt.date(2026, 2, 1),
            reason="Panel after a second episode, by the missing strategy",
        )
    report(child, team, london(2026, 3, 1, 12, 0))
    second = report(child, team, london(2026, 3, 20, 12, 0))
    assert second.repeat_marker


def _three_episodes(child, team, **fields):
    start = london(2026, 3, 1, 12, 0)
    for days in (0, 10):
        report(child, team, start + dt.timedelta(days=days), report=fields)
    return report(child, team, start + dt.timedelta(days=20), report=fields)


def test_a_cawn_is_prompted_for_a_child_under_16_with_a_known_adult_associate(child, team):
    episode = _three_episodes(child, team, adult_associates="A 24-year-old man, 'Deano'")
    assert PromptKind.CAWN in {p.kind for p in episode.prompts.all()}


def test_no_cawn_prompt_without_an_adult_associate(child, team):
    episode = _three_episodes(child, team)
    assert PromptKind.CAWN not in {p.kind for p in episode.prompts.all()}


def test_a_cawn_for_a_16_year_old_only_when_in_care(area, team):
    sixteen = child_in(area, born=dt.date(2009, 6, 1))
    at_home = _three_episodes(sixteen, team, adult_associates="An older man")
    assert PromptKind.CAWN not in {p.kind for p in at_home.prompts.all()}
    in_care = child_in(area, born=dt.date(2009, 6, 1))
    authority = local_authority(area.force)
    episode = _three_episodes(
        in_care,
        team,
        adult_associates="An older man",
        missing_from=MissingFrom.RESIDENTIAL_CARE,
        responsible_authority=authority,
    )
    kinds = {p.kind for p in episode.prompts.all()}
    assert PromptKind.CAWN in kinds and PromptKind.PHILOMENA in kinds


def test_only_a_supervisor_actions_a_prompt_with_what_was_done(child, team, officer, sergeant):
    prompt = _three_episodes(child, team).prompts.get(kind=PromptKind.PANEL)
    assert "A supervisor" in refusal(
        services.prompt_action, actor=officer, prompt=prompt, outcome="Panel booked for Friday"
    )
    assert "Say what was decided" in refusal(
        services.prompt_action, actor=sergeant, prompt=prompt, outcome="ok"
    )
    done = services.prompt_action(actor=sergeant, prompt=prompt, outcome="Panel booked for Friday")
    assert done.actioned_by == sergeant and done.actioned_at is not None


# --- Risk: the continuum, absent, rationale, sources, the minimum ----------------------------


@pytest.mark.parametrize("word", ["absent", "Absent", "no apparent risk", "no_apparent_risk"])
def test_absent_cannot_be_chosen_on_a_new_episode(episode, sergeant, word):
    message = refusal(grade, episode, sergeant, T0 + dt.timedelta(minutes=10), level=word)
    assert "withdrew the absent category in January 2017" in message
    assert not episode.gradings.exists()


def test_a_level_outside_the_continuum_is_refused(episode, sergeant):
    message = refusal(grade, episode, sergeant, T0 + dt.timedelta(minutes=10), level="critical")
    assert "'critical' is not a level on the continuum" in message


def test_a_grading_needs_its_rationale_at_every_stage(episode, sergeant):
    partial = {"information": "Known to be with older males", "assessment": "Likely harm"}
    message = refusal(grade, episode, sergeant, T0 + dt.timedelta(minutes=10), rationale=partial)
    assert "National Decision Model (missing: powers, options, action)" in message


def test_thrive_replaces_the_ndm_when_the_force_switches_it_on(episode, sergeant, area):
    lead = user(team_in(area), Role.PPU_LEAD)
    with time_machine.travel(T0, tick=False):
        policy_set(
            actor=lead,
            key="missing.rationale_model",
            value="thrive",
            effective_from=T0.date(),
            reason="The force grades calls with THRIVE from today",
        )
    message = refusal(grade, episode, sergeant, T0 + dt.timedelta(minutes=10))
    assert "THRIVE (missing: threat, harm, risk, investigation, vulnerability" in message
    thrive = {s: "considered" for s in ("threat", "harm", "risk")} | {
        s: "considered" for s in ("investigation", "vulnerability", "engagement")
    }
    graded = grade(episode, sergeant, T0 + dt.timedelta(minutes=10), rationale=thrive)
    assert graded.model == "thrive"


def test_a_grading_needs_its_sources_with_the_time_each_was_obtained(episode, sergeant):
    at = T0 + dt.timedelta(minutes=10)
    assert "Record the information the grading used" in refusal(
        grade, episode, sergeant, at, sources=[]
    )
    undated = services.Source(information="Seen at the park", source="Friend", obtained_at=None)
    assert "Source 1: say when" in refusal(grade, episode, sergeant, at, sources=[undated])
    later = source(at + dt.timedelta(hours=1))
    assert "Source 1 was obtained after the grading" in refusal(
        grade, episode, sergeant, at, sources=[later]
    )


def test_every_open_episode_has_a_next_review_time_within_the_levels_interval(episode, sergeant):
    at = T0 + dt.timedelta(minutes=10)
    assert "Set the next review time" in refusal(grade, episode, sergeant, at, next_review_at=None)
    assert "must be after the grading" in refusal(grade, episode, sergeant, at, next_review_at=at)
    message = refusal(grade, episode, sergeant, at, level="high", hours=3)
    assert "At high risk the next review is due within 2 hours" in message


def test_a_child_graded_below_the_minimum_needs_a_supervisors_override(episode, officer, sergeant):
    at = T0 + dt.timedelta(minutes=10)
    message = refusal(grade, episode, officer, at, level="low", hours=6)
    assert "minimum for a missing child is medium risk" in message
    message = refusal(
        grade,
        episode,
        officer,
        at,
        level="low",
        hours=6,
        override_by=user(episode.team),
        override_rationale="Known to stay with his grandmother",
    )
    assert "is not a supervisor" in message
    # An officer cannot record a supervisor's override for them: the supervisor grades it.
    reason = "Known to stay with his grandmother; phoned her, he is there"
    assert "Only the supervisor overriding the minimum can record it" in refusal(
        grade, episode, officer, at, level="low", hours=6, override_by=sergeant,
        override_rationale=reason,
    )  # fmt: skip
    assert "supervisor's rationale" in refusal(
        grade, episode, sergeant, at, level="low", hours=6, override_by=sergeant
    )
    graded = grade(
        episode,
        sergeant,
        at,
        level="low",
        hours=6,
        override_by=sergeant,
        override_rationale=reason,
    )
    assert graded.override_by == sergeant and graded.level == RiskLevel.LOW


def test_an_override_is_refused_where_none_is_needed(episode, officer, sergeant):
    message = refusal(
        grade,
        episode,
        sergeant,
        T0 + dt.timedelta(minutes=10),
        level="high",
        hours=1,
        override_by=sergeant,
        override_rationale="No reason to override",
    )
    assert "High is not below the force's minimum" in message


def test_re_gradings_keep_their_history_and_the_episode_shows_the_latest(episode, officer):
    grade(episode, officer, T0 + dt.timedelta(minutes=10), level="medium")
    grade(episode, officer, T0 + dt.timedelta(hours=2), level="high", hours=1)
    episode.refresh_from_db()
    assert [g.level for g in episode.gradings.all()] == ["medium", "high"]
    assert episode.risk_level == RiskLevel.HIGH
    assert episode.next_review_at == T0 + dt.timedelta(hours=3)


def test_a_legacy_absent_is_kept_as_recorded_mapped_and_flagged(episode, sergeant):
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        legacy = services.legacy_grading_keep(
            actor=None,
            episode=episode,
            as_recorded="Absent",
            graded_at=T0 + dt.timedelta(minutes=5),
            graded_by="PC 1234 (Niche)",
            rationale_text="Not at home when expected",
        )
    episode.refresh_from_db()
    assert (legacy.level, legacy.legacy_category) == (RiskLevel.VERY_LOW, LegacyCategory.ABSENT)
    assert episode.legacy_category == LegacyCategory.ABSENT
    assert legacy.rationale == {"as_recorded": "Not at home when expected"}


# --- Enquiries, found, interviews, closure --------------------------------------------------------


def test_only_a_supervisor_directs_the_search(episode, officer, sergeant):
    assert "Only a supervisor directs" in refusal(
        services.enquiry_record,
        actor=officer,
        episode=episode,
        kind="direction",
        details="Search the canal path",
    )
    with time_machine.travel(T0 + dt.timedelta(minutes=30), tick=False):
        direction = services.enquiry_record(
            actor=sergeant, episode=episode, kind="direction", details="Search the canal path"
        )
        call = services.enquiry_record(
            actor=officer,
            episode=episode,
            kind="call",
            details="Called her best friend",
            result="Not seen since 4pm",
        )
    assert [a.kind for a in episode.enquiries.all()] == ["direction", "call"]
    assert call.result == "Not seen since 4pm" and direction.done_by == sergeant


def test_a_child_cannot_be_found_before_the_report(episode, officer):
    message = refusal(find, episode, officer, T0 - dt.timedelta(minutes=1))
    assert "cannot be found before they were reported missing" in message
    find(episode, officer, T0 + dt.timedelta(hours=3))
    assert "already been recorded as found" in refusal(
        find, episode, officer, T0 + dt.timedelta(hours=4)
    )


def test_a_child_back_before_allocation_is_still_an_episode(episode, officer):
    found = find(episode, officer, T0 + dt.timedelta(hours=1))
    assert found.before_allocation
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.FOUND


def _interview(episode, officer, at, **kwargs):
    fields = {
        "done": True,
        "held_at": at,
        "method": InterviewMethod.FACE_TO_FACE,
        "child_account": "Went to a party; an older boy gave her a lift",
    } | kwargs
    with time_machine.travel(at + dt.timedelta(minutes=30), tick=False):
        return services.prevention_interview_record(actor=officer, episode=episode, **fields)


def test_the_prevention_interview_rules(episode, officer):
    at = T0 + dt.timedelta(hours=5)
    assert "Record that the child has been found" in refusal(_interview, episode, officer, at)
    find(episode, officer, T0 + dt.timedelta(hours=4))
    assert "cannot be before the child was found" in refusal(
        _interview, episode, officer, T0 + dt.timedelta(hours=3)
    )
    assert "say why it was by telephone" in refusal(
        _interview, episode, officer, at, method=InterviewMethod.TELEPHONE
    )
    assert "Say why the prevention interview was not done" in refusal(
        _interview, episode, officer, at, done=False
    )
    interview = _interview(
        episode,
        officer,
        at,
        method=InterviewMethod.TELEPHONE,
        method_reason="Placed 200 miles away the next morning",
    )
    assert interview.done and interview.held_by == officer


def test_a_return_home_interview_cannot_be_dated_before_the_return(episode, officer):
    found_at = T0 + dt.timedelta(hours=4)
    find(episode, officer, found_at)
    with time_machine.travel(found_at + dt.timedelta(days=2), tick=False):
        message = refusal(
            services.return_home_interview_record,
            actor=officer,
            episode=episode,
            held_at=found_at - dt.timedelta(hours=1),
        )
        assert "cannot be held before the child returned" in message
        message = refusal(
            services.authority_notify,
            actor=officer,
            episode=episode,
            at=found_at - dt.timedelta(minutes=5),
        )
        assert "before it" in message
        rhi = services.return_home_interview_record(
            actor=officer,
            episode=episode,
            offered_at=found_at + dt.timedelta(hours=20),
            held_at=found_at + dt.timedelta(hours=40),
            findings_received_at=found_at + dt.timedelta(hours=44),
            findings="Staying with an older man in a flat above a takeaway",
            police_actions="Address added to the protective plan; CAWN considered",
            protective_plan_updated=True,
        )
    assert rhi.protective_plan_updated_at is not None


def test_an_episode_closes_only_when_found_interviewed_and_the_authority_is_told(episode, officer):
    message = refusal(services.episode_close, actor=officer, episode=episode)
    assert "the child has not been found" in message
    assert "the prevention interview is neither recorded nor explained" in message
    assert "the local authority has not been notified" in message
    found_at = T0 + dt.timedelta(hours=4)
    find(episode, officer, found_at)
    _interview(episode, officer, found_at + dt.timedelta(hours=1))
    message = refusal(services.episode_close, actor=officer, episode=episode)
    assert message.endswith(
        "cannot be closed yet: the local authority has not been notified of the return."
    )
    with time_machine.travel(found_at + dt.timedelta(hours=2), tick=False):
        services.authority_notify(actor=officer, episode=episode)
        services.episode_close(actor=officer, episode=episode)
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED
    assert "is closed" in refusal(
        grade, episode, officer, found_at + dt.timedelta(hours=3), level="high", hours=1
    )


def test_sending_the_philomena_profile_is_a_logged_disclosure(episode, child, officer):
    assert "has no Philomena profile" in refusal(
        services.philomena_profile_send, actor=officer, episode=episode
    )
    services.philomena_profile_save(
        actor=officer,
        child=child,
        held_by="Oakfield children's home",
        description="Slim, 5ft 2, dyed red hair",
        places="Preston bus station",
    )
    with time_machine.travel(T0 + dt.timedelta(minutes=20), tick=False):
        action = services.philomena_profile_send(actor=officer, episode=episode)
    assert action.kind == "philomena"
    disclosure = ProcessingLogEntry.objects.get(subject_id=child.pk, operation=Operation.DISCLOSURE)
    assert disclosure.recipient == f"Enquiry team: {episode.team}"
    assert "Philomena" in disclosure.justification


def test_every_write_is_logged_as_an_alteration(episode, officer, sergeant):
    grade(episode, sergeant, T0 + dt.timedelta(minutes=10))
    find(episode, officer, T0 + dt.timedelta(hours=2))
    details = list(
        ProcessingLogEntry.objects.filter(
            subject_id=episode.pk, operation=Operation.ALTERATION
        ).values_list("detail", flat=True)
    )
    assert {"risk_graded": "medium"} in details and {"found": True} in details


def test_a_team_of_another_force_cannot_hold_the_enquiry(child):
    elsewhere = factories.AreaFactory(force=factories.ForceFactory(code="elsewhere"))
    assert "belongs to another force" in refusal(report, child, team_in(elsewhere), T0)


def test_erasing_a_child_with_a_missing_episode_is_refused_and_names_it(episode, child, officer):
    from thinkchild.people.services.erasure import ErasureRefused, person_erase

    with pytest.raises(ErasureRefused) as refused:
        person_erase(actor=officer, person=child, justification="Court order to erase the record")
    assert str(refused.value) == "Other records still refer to this person: missing episodes."
    assert child.__class__.objects.filter(pk=child.pk).exists()


def test_repeat_missing_counts_elapsed_days_across_the_change_of_clocks(child, team):
    # 90 days before 1 June 12:00 BST is 3 March 11:00 GMT (the clocks went forward on 29 March).
    report(child, team, london(2026, 3, 3, 11, 0))
    report(child, team, london(2026, 4, 15, 12, 0))
    third = report(child, team, london(2026, 6, 1, 12, 0))
    assert third.repeat_count == 3
    late = child_in(team.area)
    report(late, team, london(2026, 3, 3, 10, 59, 59))
    report(late, team, london(2026, 4, 15, 12, 0))
    assert report(late, team, london(2026, 6, 1, 12, 0)).repeat_count == 2


def test_a_found_report_made_at_the_same_moment_is_refused_not_a_server_error(episode, officer):
    from django.utils import timezone

    from thinkchild.missing.models import FoundReport

    # What a second tap finds: the first tap's row, written after this request checked.
    FoundReport.objects.create(
        episode=episode,
        found_at=T0 + dt.timedelta(hours=1),
        found_where="Home",
        found_by="Mother",
        recorded_at=timezone.now(),
    )
    message = refusal(find, episode, officer, T0 + dt.timedelta(hours=1))
    assert message == f"{episode.child} has already been recorded as found."

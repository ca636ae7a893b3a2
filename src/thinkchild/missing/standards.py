"""The standards a missing child's episode must meet. Each reads like the rule it encodes and names
its source; every interval is a dated force parameter (no national numbers exist for most).

A child who comes back before anyone is allocated still gets every obligation: the return's
obligations hang on the time found, and are owned by the team holding the episode.
"""

from thinkchild.missing.models import MissingEpisode, RiskLevel, one_or_none
from thinkchild.standards.calendars import due_after_days, due_after_hours, due_after_working_days
from thinkchild.standards.registry import Expectation, Parameter, Standard


def _graded(episode: MissingEpisode) -> list:
    """Gradings made in Think Child or imported on the continuum (not legacy categories)."""
    return [g for g in episode.gradings.all() if not g.legacy_category]


def _owner(episode: MissingEpisode) -> dict:
    return {"owner_team_id": episode.team_id, "child_ids": (episode.child_id,)}


class RiskGraded(Standard):
    """The risk of a child reported missing is graded within 1 hour of the report.

    College of Policing APP, missing persons, "Initial contact": risk principles and the
    National Decision Model apply in every case, and a lack of information is not a sign that
    the person is safe. HMICFRS, Lancashire (2022): a child believed at risk of exploitation
    stayed "absent" for 48 hours. Until a grading sets one, this is the episode's first review
    time. The hour is a Think Child default (no national number), a force parameter.
    """

    id = "missing.risk_graded"
    title = "Risk graded after the report"
    source = "College of Policing APP (missing persons); HMICFRS (Lancashire, 2022)"
    subject_type = "missing_episode"
    parameters = (
        Parameter(
            key="missing.risk_grading_hours",
            title="Hours from the report to the first risk grading",
            default=1,
            unit="hours",
            minimum=0.25,
            maximum=24,
        ),
    )

    def expectations(self, episode, policy):
        gradings = list(episode.gradings.all())
        hours = policy(self.parameters[0].key, episode.reported_at)
        due = due_after_hours(start=episode.reported_at, hours=hours)
        first = gradings[0] if gradings else None
        found_first = first is None and episode.found_at is not None and episode.found_at <= due
        yield Expectation(
            key="graded",
            title=f"Grade the risk of {episode.reference}",
            opened_at=episode.reported_at,
            due_at=due,
            met_at=max(first.graded_at, episode.reported_at) if first else None,
            cancelled_reason="Found before the risk was graded." if found_first else "",
            **_owner(episode),
        )


class FirstGradingSupervised(Standard):
    """A supervisor reviews the first risk grading of a missing child: within 1 hour at high risk,
    4 hours at medium, 12 hours at low or very low.

    College of Policing APP, missing persons, "Supervisors and first line managers": supervisors
    "regularly review and confirm the risk assessment". HMICFRS, Lancashire (2022): "Rationale
    for risk decisions was inconsistent". The hours are issue #4's defaults, force parameters.
    A first grading made by a supervisor is supervised when it is made.
    """

    id = "missing.first_grading_supervised"
    title = "Supervisor review of the first risk grading"
    source = "College of Policing APP (missing persons); Think Child defaults (issue #4)"
    subject_type = "missing_episode"
    parameters = (
        Parameter(
            key="missing.first_review_hours",
            title="Hours from the first risk grading to a supervisor's review, by level",
            default={
                RiskLevel.HIGH.value: 1,
                RiskLevel.MEDIUM.value: 4,
                RiskLevel.LOW.value: 12,
                RiskLevel.VERY_LOW.value: 12,
            },
            unit="hours",
            minimum=0.25,
            maximum=72,
            options=tuple(RiskLevel.choices),
        ),
    )

    def expectations(self, episode, policy):
        gradings = _graded(episode)
        if not gradings:
            return
        first = gradings[0]
        hours = policy(self.parameters[0].key, first.graded_at)[first.level]
        supervised = next((g for g in gradings if g.supervisory), None)
        due = due_after_hours(start=first.graded_at, hours=hours)
        found_first = (
            supervised is None and episode.found_at is not None and episode.found_at <= due
        )
        yield Expectation(
            key="first",
            title=f"Supervisor to review the first risk grading of {episode.reference}",
            opened_at=first.graded_at,
            due_at=due,
            met_at=max(supervised.graded_at, first.graded_at) if supervised else None,
            cancelled_reason="Found before the review was due." if found_first else "",
            **_owner(episode),
        )


class NextReviewKept(Standard):
    """Every open episode's risk is reviewed by the next review time its last grading set.

    College of Policing APP, missing persons, "Risk identification, assessment and management":
    risk "should be reviewed continually at every stage", and forces "set review times". A
    review is a new grading (the same level confirmed, or a new one). Found before the review
    was due, the review is no longer needed.
    """

    id = "missing.next_review_kept"
    title = "Risk reviewed by the next review time"
    source = "College of Policing APP (missing persons)"
    subject_type = "missing_episode"

    def expectations(self, episode, policy):
        gradings = list(episode.gradings.all())
        for n, grading in enumerate(gradings):
            if grading.next_review_at is None:
                continue
            following = gradings[n + 1] if n + 1 < len(gradings) else None
            found_first = (
                following is None
                and episode.found_at is not None
                and episode.found_at <= grading.next_review_at
            )
            yield Expectation(
                key=f"after-{grading.pk}",
                title=f"Review the risk of {episode.reference}",
                opened_at=grading.graded_at,
                due_at=max(grading.next_review_at, grading.graded_at),
                met_at=following.graded_at if following else None,
                cancelled_reason="Found before the review was due." if found_first else "",
                **_owner(episode),
            )


class AuthorityNotified(Standard):
    """The local authority is notified of a child's return within 24 hours.

    DfE, Statutory guidance on children who run away or go missing from home or care (2014): a
    child who returns must be offered an independent return interview, which is the local
    authority's to arrange, so it must know of the return. The 24 hours are issue #4's default.
    """

    id = "missing.authority_notified"
    title = "Local authority notified of the return"
    source = "DfE statutory guidance (2014); Think Child default (issue #4)"
    subject_type = "missing_episode"
    parameters = (
        Parameter(
            key="missing.authority_notified_hours",
            title="Hours from the return to notifying the local authority",
            default=24,
            unit="hours",
            minimum=1,
            maximum=72,
        ),
    )

    def expectations(self, episode, policy):
        if episode.found_at is None:
            return
        rhi = one_or_none(episode, "return_home_interview")
        hours = policy(self.parameters[0].key, episode.found_at)
        yield Expectation(
            key="notified",
            title=f"Tell the local authority that {episode.reference} has returned",
            opened_at=episode.found_at,
            due_at=due_after_hours(start=episode.found_at, hours=hours),
            met_at=rhi.authority_notified_at if rhi else None,
            owner_id=episode.officer_id,
            **_owner(episode),
        )


class PreventionInterviewHeld(Standard):
    """The police prevention (safe and well) interview is held within 72 hours of the return.

    College of Policing APP, missing persons: on return the police make sure the child is safe
    and well, and find any continuing risk and the causes of the episode. HMICFRS, Lancashire
    (2022): prevention interviews "were not routinely done, especially when a child came back
    before anyone was allocated". An interview not done, with the reason recorded, is not
    applicable; the 72 hours are issue #4's default.
    """

    id = "missing.prevention_interview"
    title = "Prevention interview within 72 hours of the return"
    source = "College of Policing APP (missing persons); HMICFRS (Lancashire, 2022)"
    subject_type = "missing_episode"
    parameters = (
        Parameter(
            key="missing.prevention_interview_hours",
            title="Hours from the return to the prevention interview",
            default=72,
            unit="hours",
            minimum=1,
            maximum=24 * 14,
        ),
    )

    def expectations(self, episode, policy):
        if episode.found_at is None:
            return
        interview = one_or_none(episode, "prevention_interview")
        hours = policy(self.parameters[0].key, episode.found_at)
        not_done = interview is not None and not interview.done
        yield Expectation(
            key="interview",
            title=f"Prevention interview for {episode.reference}",
            opened_at=episode.found_at,
            due_at=due_after_hours(start=episode.found_at, hours=hours),
            met_at=interview.held_at if interview and interview.done else None,
            owner_id=episode.officer_id,
            cancelled_reason=f"Not done: {interview.not_done_reason}"[:200] if not_done else "",
            **_owner(episode),
        )


class ReturnInterviewInformation(Standard):
    """What the return home interview found reaches the police within 5 working days of return.

    DfE statutory guidance (2014): the return interview is due within 72 hours of return; Home
    Office answer to PQ 21087 (10 January 2025): its information should be fed back to inform
    plans. HMICFRS, Lancashire (2022): what return interviews found "was not reliably relayed to
    the police". The 5 working days are issue #4's default.
    """

    id = "missing.return_interview_information"
    title = "Return home interview information received"
    source = "DfE statutory guidance (2014); HMICFRS (Lancashire, 2022); issue #4"
    subject_type = "missing_episode"
    parameters = (
        Parameter(
            key="missing.return_interview_information_working_days",
            title="Working days from the return to receiving the return home interview's findings",
            default=5,
            unit="working days",
            minimum=1,
            maximum=20,
        ),
    )

    def expectations(self, episode, policy):
        if episode.found_at is None:
            return
        rhi = one_or_none(episode, "return_home_interview")
        days = policy(self.parameters[0].key, episode.found_at)
        declined = rhi is not None and rhi.declined and rhi.findings_received_at is None
        yield Expectation(
            key="information",
            title=f"Receive the return home interview's findings for {episode.reference}",
            opened_at=episode.found_at,
            due_at=due_after_working_days(start=episode.found_at, days=days),
            met_at=rhi.findings_received_at if rhi else None,
            cancelled_reason="The child declined the return home interview." if declined else "",
            **_owner(episode),
        )


class RepeatPromptsActioned(Standard):
    """Each repeat-missing prompt (a panel or strategy discussion, exploitation screening, a
    child abduction warning notice, a review of the Philomena profile) is actioned by a
    supervisor within 7 days.

    No national definition of repeat missing exists (domain-rules.md §1.5: [U]); the threshold
    (3 episodes in 90 days) and the 7 days are issue #4's defaults, force parameters.
    """

    id = "missing.repeat_prompts"
    title = "Repeat-missing prompts actioned"
    source = "Think Child defaults (issue #4); domain-rules.md §1.5 and §10"
    subject_type = "missing_episode"
    parameters = (
        Parameter(
            key="missing.repeat_prompt_days",
            title="Days to action a repeat-missing prompt",
            default=7,
            unit="days",
            minimum=1,
            maximum=28,
        ),
    )

    def expectations(self, episode, policy):
        for prompt in episode.prompts.all():
            days = policy(self.parameters[0].key, prompt.opened_at)
            yield Expectation(
                key=f"prompt-{prompt.kind}",
                title=f"{prompt.get_kind_display()} for {episode.reference} (repeat missing)",
                opened_at=prompt.opened_at,
                due_at=due_after_days(start=prompt.opened_at, days=days),
                met_at=prompt.actioned_at,
                **_owner(episode),
            )


class LegacyGradingReviewed(Standard):
    """An imported episode graded "absent" or "no apparent risk" is reviewed by a supervisor
    within 7 days, who grades it on the current continuum.

    HMICFRS, Lancashire (2022): of ten children recorded as absent, six should have been
    missing. The absent category was withdrawn in January 2017 (domain-rules.md §1.1). The 7
    days are a Think Child default (ADR 0013 asks the product owner to confirm them).
    """

    id = "missing.legacy_grading_reviewed"
    title = "Legacy 'absent' grading reviewed"
    source = "HMICFRS (Lancashire, 2022); College of Policing APP (January 2017)"
    subject_type = "missing_episode"
    parameters = (
        Parameter(
            key="missing.legacy_review_days",
            title="Days to review an imported 'absent' or 'no apparent risk' grading",
            default=7,
            unit="days",
            minimum=1,
            maximum=60,
        ),
    )

    def expectations(self, episode, policy):
        gradings = list(episode.gradings.all())
        legacy = next((g for g in gradings if g.legacy_category), None)
        if legacy is None:
            return
        reviewed = next(
            (
                g
                for g in gradings
                if g.supervisory and not g.legacy_category and g.recorded_at >= legacy.recorded_at
            ),
            None,
        )
        days = policy(self.parameters[0].key, legacy.recorded_at)
        yield Expectation(
            key="legacy",
            title=f"Review the '{legacy.get_legacy_category_display()}' grading of "
            f"{episode.reference}",
            opened_at=legacy.recorded_at,
            due_at=due_after_days(start=legacy.recorded_at, days=days),
            met_at=reviewed.recorded_at if reviewed else None,
            **_owner(episode),
        )


STANDARDS = (
    RiskGraded,
    FirstGradingSupervised,
    NextReviewKept,
    AuthorityNotified,
    PreventionInterviewHeld,
    ReturnInterviewInformation,
    RepeatPromptsActioned,
    LegacyGradingReviewed,
)

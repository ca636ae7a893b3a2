"""The standards investigations must meet: supervision that is timed, and decisions that reach
the record. Each reads like the rule it encodes and names its source."""

from django.utils import timezone

from thinkchild.investigations.models import Investigation, InvestigationStatus, InvestigationType
from thinkchild.org.models import TeamKind
from thinkchild.people.age import age_on
from thinkchild.standards.calendars import due_after_days, due_after_working_days, end_of
from thinkchild.standards.registry import Expectation, Parameter, Standard

CHILD_TYPES = frozenset(
    {
        InvestigationType.CHILD_ABUSE,
        InvestigationType.CSE_IN_PERSON,
        InvestigationType.CSE_ONLINE,
        InvestigationType.CHILD_ON_CHILD,
        InvestigationType.NEGLECT,
    }
)


def _children(investigation: Investigation) -> list:
    day = timezone.localdate(investigation.opened_at)
    people = [p.person for p in investigation.people.all()]
    return [
        p
        for p in people
        if (age := age_on(p, day)) is not None and age < 18 or (age is None and p.appears_under_18)
    ]


def _closed_before(investigation: Investigation, due) -> bool:
    return investigation.status == InvestigationStatus.CLOSED and investigation.closed_at <= due


class FirstSupervisionReview(Standard):
    """An investigation has its first supervision review within 7 days of being allocated.

    Force policy (a Think Child default; no national time limit is set). HMICFRS, Lancashire child
    protection post-inspection review (2022): "when a case is being dealt with by a specialist
    team, supervision is generally good. However, this is not always the case for those
    investigations allocated to non-specialists". The number of days is a force parameter.
    """

    id = "investigations.first_supervision_review"
    title = "First supervision review"
    source = "Force policy (Think Child default)"
    subject_type = "investigation"
    parameters = (
        Parameter(
            key="investigations.first_review_days",
            title="Days from allocation to the first supervision review",
            default=7,
            unit="days",
            minimum=1,
            maximum=60,
        ),
    )

    def expectations(self, investigation, policy):
        opened = investigation.opened_at
        due = due_after_days(start=opened, days=policy(self.parameters[0].key, opened))
        first = next(iter(investigation.reviews.all()), None)
        closed_first = first is None and _closed_before(investigation, due)
        yield Expectation(
            key="first",
            title=f"First supervision review of {investigation.reference}",
            opened_at=opened,
            due_at=due,
            met_at=first.reviewed_at if first else None,
            owner_team_id=investigation.team_id,
            child_ids=tuple(p.pk for p in _children(investigation)),
            cancelled_reason="Closed before the first review was due." if closed_first else "",
        )


class ReviewCadence(Standard):
    """Every investigation involving a child is reviewed by a supervisor at least every 28 days, in
    every kind of team; the reviewer may set an earlier next review.

    HMICFRS, Lancashire child protection post-inspection review (2022): "There is an established
    expectation within specialist teams ... that a detective sergeant will review child abuse
    investigations every 28 days. This is not the case for non-specialist investigators, where no
    guidance as to frequency is provided." The cadence is set per team kind and none may be left
    without one.
    """

    id = "investigations.review_cadence"
    title = "Supervision review at least every 28 days"
    source = "Force child protection procedures, as reported by HMICFRS (Lancashire, 2022)"
    subject_type = "investigation"
    parameters = (
        Parameter(
            key="investigations.review_cadence_days",
            title="Days between supervision reviews, by the kind of team holding the case",
            default={kind: 28 for kind in TeamKind.values},
            unit="days",
            minimum=1,
            maximum=90,
            options=tuple(TeamKind.choices),
        ),
    )

    def expectations(self, investigation, policy):
        children = _children(investigation)
        if not children and investigation.type not in CHILD_TYPES:
            return
        reviews = list(investigation.reviews.all())
        kind = investigation.team.kind
        for n, review in enumerate(reviews):
            following = reviews[n + 1] if n + 1 < len(reviews) else None
            cadence = policy(self.parameters[0].key, review.reviewed_at)[kind]
            due = min(
                due_after_days(start=review.reviewed_at, days=cadence),
                end_of(review.next_review_by),
            )
            due = max(due, review.reviewed_at)
            closed_first = following is None and _closed_before(investigation, due)
            yield Expectation(
                key=f"after-{review.pk}",
                title=f"Next supervision review of {investigation.reference}",
                opened_at=review.reviewed_at,
                due_at=due,
                met_at=following.reviewed_at if following else None,
                owner_team_id=investigation.team_id,
                child_ids=tuple(p.pk for p in children),
                cancelled_reason="Closed before the next review was due." if closed_first else "",
            )


class FurtherWorkDone(Standard):
    """Each item of further work a supervisor requires is done by the date they set.

    Force policy (a Think Child default): each action a review sets has an owner and a due date,
    and is tracked as its own obligation until it is done.
    """

    id = "investigations.further_work"
    title = "Further work done by its due date"
    source = "Force policy (Think Child default)"
    subject_type = "investigation"

    def expectations(self, investigation, policy):
        children = tuple(p.pk for p in _children(investigation))
        for item in investigation.further_work.select_related("review"):
            due = max(end_of(item.due_on), item.review.reviewed_at)
            closed_first = item.done_at is None and _closed_before(investigation, due)
            yield Expectation(
                key=f"work-{item.pk}",
                title=f"{item.description[:120]} ({investigation.reference})",
                opened_at=item.review.reviewed_at,
                due_at=due,
                met_at=item.done_at,
                owner_team_id=investigation.team_id,
                owner_id=item.owner_id,
                child_ids=children,
                cancelled_reason="Closed before the work was due." if closed_first else "",
            )


class MeetingDecisionRecorded(Standard):
    """A meeting's decision about an investigation is recorded on it within 1 working day.

    HMICFRS, Lancashire child protection post-inspection review (2022): "The force has made
    efforts to improve recording of decisions and outcomes at meetings, but this remains
    inconsistent." The one working day is a force default; working days exclude England and Wales
    bank holidays.
    """

    id = "investigations.meeting_decision_recorded"
    title = "Meeting decision recorded on the investigation"
    source = "Force policy (Think Child default), after HMICFRS (Lancashire, 2022)"
    subject_type = "investigation"
    parameters = (
        Parameter(
            key="investigations.meeting_decision_working_days",
            title="Working days to record a meeting's decision on the investigation",
            default=1,
            unit="working days",
            minimum=1,
            maximum=10,
        ),
    )

    def expectations(self, investigation, policy):
        children = tuple(p.pk for p in _children(investigation))
        for outcome in investigation.meeting_outcomes.all():
            days = policy(self.parameters[0].key, outcome.held_at)
            yield Expectation(
                key=f"meeting-{outcome.pk}",
                title=f"Record the {outcome.meeting} decision on {investigation.reference}",
                opened_at=outcome.held_at,
                due_at=due_after_working_days(start=outcome.held_at, days=days),
                met_at=outcome.recorded_at,
                owner_team_id=investigation.team_id,
                owner_id=investigation.officer_id,
                child_ids=children,
            )


STANDARDS = (FirstSupervisionReview, ReviewCadence, FurtherWorkDone, MeetingDecisionRecorded)

"""Every write about investigations: each one logged, and each refreshes the obligations."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from thinkchild.access.log import Subject, processing_log_record
from thinkchild.access.models import Operation
from thinkchild.investigations.allocation import Parties, allocation_advise
from thinkchild.investigations.models import (
    Allocation,
    FurtherWork,
    Grade,
    Investigation,
    InvestigationPerson,
    InvestigationStatus,
    InvolvedRole,
    MeetingOutcome,
    ReviewGrade,
    SupervisionReview,
    SuspectStatus,
)
from thinkchild.org.models import Role
from thinkchild.people.age import age_on
from thinkchild.standards.policy import policy_value
from thinkchild.standards.rationale import missing_stages
from thinkchild.standards.registry import Parameter
from thinkchild.standards.services import obligations_refresh

BACKDATE_HOURS = Parameter(
    key="investigations.review_backdate_hours",
    title="Hours a review may be backdated without a reason",
    default=24,
    unit="hours",
    minimum=0,
    maximum=24 * 30,
)

REVIEWER_ROLES = frozenset({Role.SUPERVISOR, Role.DETECTIVE_INSPECTOR, Role.PPU_LEAD})
GRADER_ROLES = frozenset({Role.DETECTIVE_INSPECTOR, Role.AUDITOR})


class Refused(ValueError):
    """A write that cannot be made, with the reason the person making it can act on."""


def _subject(investigation: Investigation) -> Subject:
    return Subject(type="investigation", id=investigation.pk, label=investigation.reference)


def _log(actor, investigation: Investigation, operation: Operation, detail: dict) -> None:
    processing_log_record(
        operation=operation, actor=actor, subject=_subject(investigation), detail=detail
    )


def _refresh(investigation: Investigation) -> None:
    obligations_refresh(subject_type="investigation", subject_id=investigation.pk)


def investigation_parties(*, type: str, victims, suspects, on: date) -> Parties:
    def is_child(person) -> bool:
        age = age_on(person, on)
        return (age is not None and age < 18) or (age is None and person.appears_under_18)

    return Parties(
        type=type,
        child_victim=any(is_child(p) for p in victims),
        adult_suspect=any(not is_child(p) for p in suspects),
        child_suspect=any(is_child(p) for p in suspects),
    )


def _allocate(*, actor, investigation, team, officer, at, reason: str) -> Allocation:
    parties = investigation_parties(
        type=investigation.type,
        victims=[p.person for p in investigation.people.filter(role=InvolvedRole.VICTIM)],
        suspects=[p.person for p in investigation.people.filter(role=InvolvedRole.SUSPECT)],
        on=timezone.localdate(at),
    )
    advice = allocation_advise(parties, lambda key: policy_value(key, at))
    if team.kind != advice.team_kind and len(reason.strip()) < 10:
        raise Refused(
            f"{advice.explanation} This team is {team.get_kind_display().lower()}: say why it "
            "should go there instead."
        )
    if officer is not None and officer.team_id != team.pk:
        raise Refused("The officer must belong to the team the investigation is allocated to.")
    return Allocation.objects.create(
        investigation=investigation,
        team=team,
        officer=officer,
        allocated_at=at,
        allocated_by=actor,
        advice=advice.explanation,
        reason=reason.strip(),
    )


@transaction.atomic
def investigation_open(
    *,
    actor,
    reference: str,
    type: str,
    team,
    officer=None,
    victims: Iterable = (),
    suspects: Iterable = (),
    incidents: Iterable = (),
    summary: str = "",
    override_reason: str = "",
    at: datetime | None = None,
) -> Investigation:
    """Open an investigation and allocate it; a team other than the rules advise needs a reason."""
    at = at or timezone.now()
    investigation = Investigation.objects.create(
        force=team.force,
        reference=reference,
        type=type,
        summary=summary,
        team=team,
        officer=officer,
        allocated_at=at,
        opened_at=at,
    )
    for role, people in ((InvolvedRole.VICTIM, victims), (InvolvedRole.SUSPECT, suspects)):
        InvestigationPerson.objects.bulk_create(
            InvestigationPerson(investigation=investigation, person=p, role=role) for p in people
        )
    investigation.incidents.set(incidents)
    _allocate(
        actor=actor,
        investigation=investigation,
        team=team,
        officer=officer,
        at=at,
        reason=override_reason,
    )
    _log(actor, investigation, Operation.COLLECTION, {"type": type, "team": str(team.pk)})
    _refresh(investigation)
    return investigation


@transaction.atomic
def investigation_reallocate(
    *, actor, investigation: Investigation, team, officer=None, reason: str, at=None
) -> Allocation:
    """Move an investigation to another team or officer: who, when and why are kept."""
    at = at or timezone.now()
    if actor.role not in REVIEWER_ROLES:
        raise Refused("Only a supervisor, a detective inspector or the PPU lead reallocates.")
    if len((reason or "").strip()) < 10:
        raise Refused("Say why the investigation is being reallocated.")
    allocation = _allocate(
        actor=actor, investigation=investigation, team=team, officer=officer, at=at, reason=reason
    )
    investigation.team, investigation.officer, investigation.allocated_at = team, officer, at
    investigation.save(update_fields=["team", "officer", "allocated_at"])
    _log(actor, investigation, Operation.ALTERATION, {"reallocated_to": str(team.pk)})
    _refresh(investigation)
    return allocation


@dataclass(frozen=True)
class WorkItem:
    description: str
    owner: object
    due_on: date


@dataclass(frozen=True)
class Decision:
    decision: str
    # The National Decision Model's stages: information, assessment, powers, options, action.
    rationale: dict = field(default_factory=dict)


def _review_problems(
    *,
    actor,
    investigation,
    reviewed_at,
    risks,
    decisions,
    work,
    next_review_by,
    backdated_reason,
    now,
) -> list[str]:
    problems = []
    if actor.role not in REVIEWER_ROLES:
        problems.append("Only a supervisor, a detective inspector or the PPU lead reviews.")
    if investigation.officer_id is not None and actor.pk == investigation.officer_id:
        problems.append(
            "The investigation's own officer cannot supervise it: a review needs "
            "someone else's eyes."
        )
    if not (risks or "").strip() and not decisions:
        problems.append("A review with no risks considered and no decisions is not supervision.")
    for n, d in enumerate(decisions, 1):
        missing = missing_stages(d.rationale)
        if not d.decision.strip() or missing:
            problems.append(
                f"Decision {n}: give the decision and its rationale at every stage of the "
                f"National Decision Model (missing: {', '.join(missing) or 'the decision'})."
            )
    if reviewed_at > now:
        problems.append("The review time is in the future.")
    hours = policy_value(BACKDATE_HOURS.key, now)
    if now - reviewed_at > timedelta(hours=hours) and len((backdated_reason or "").strip()) < 10:
        problems.append(f"The review is dated more than {hours} hours ago: say why.")
    if next_review_by < timezone.localdate(reviewed_at):
        problems.append("The next review date is before this review.")
    for item in work:
        if not item.description.strip() or item.owner is None:
            problems.append("Each item of further work needs a description and an owner.")
        elif item.due_on < timezone.localdate(reviewed_at):
            problems.append(f"Further work '{item.description[:40]}' is due before the review.")
    return problems


@transaction.atomic
def supervision_review_record(
    *,
    actor,
    investigation: Investigation,
    reviewed_at: datetime,
    risks_considered: str,
    decisions: Iterable[Decision] = (),
    further_work: Iterable[WorkItem] = (),
    next_review_by: date,
    backdated_reason: str = "",
) -> SupervisionReview:
    """Record a supervision review; refused, with every reason, when it is not supervision."""
    now = timezone.now()
    decisions, further_work = list(decisions), list(further_work)
    problems = _review_problems(
        actor=actor,
        investigation=investigation,
        reviewed_at=reviewed_at,
        risks=risks_considered,
        decisions=decisions,
        work=further_work,
        next_review_by=next_review_by,
        backdated_reason=backdated_reason,
        now=now,
    )
    if problems:
        raise Refused(" ".join(problems))
    review = SupervisionReview.objects.create(
        investigation=investigation,
        reviewer=actor,
        reviewed_at=reviewed_at,
        recorded_at=now,
        backdated_reason=backdated_reason.strip(),
        risks_considered=risks_considered.strip(),
        decisions=[{"decision": d.decision, "rationale": d.rationale} for d in decisions],
        next_review_by=next_review_by,
    )
    FurtherWork.objects.bulk_create(
        FurtherWork(
            review=review,
            investigation=investigation,
            description=item.description.strip(),
            owner=item.owner,
            due_on=item.due_on,
        )
        for item in further_work
    )
    _log(actor, investigation, Operation.ALTERATION, {"supervision_review": str(review.pk)})
    _refresh(investigation)
    return review


@transaction.atomic
def further_work_complete(*, actor, item: FurtherWork, done_at: datetime | None = None):
    item.done_at = done_at or timezone.now()
    item.save(update_fields=["done_at"])
    _log(actor, item.investigation, Operation.ALTERATION, {"further_work_done": str(item.pk)})
    _refresh(item.investigation)
    return item


@transaction.atomic
def review_grade(*, actor, review: SupervisionReview, grade: str, reasons: str) -> ReviewGrade:
    """How well a review supervised, graded by a detective inspector or an auditor."""
    if actor.role not in GRADER_ROLES:
        raise Refused("Only a detective inspector or an auditor grades supervision.")
    if len((reasons or "").strip()) < 10:
        raise Refused("Give the reasons for the grade.")
    graded = ReviewGrade.objects.create(
        review=review,
        grader=actor,
        grade=Grade(grade),
        reasons=reasons.strip(),
        graded_at=timezone.now(),
    )
    _log(actor, review.investigation, Operation.ALTERATION, {"review_graded": grade})
    return graded


@transaction.atomic
def meeting_outcome_link(*, actor, investigation, meeting: str, held_at, outcome: str):
    """A meeting decided something about this investigation: it must be recorded on it."""
    linked = MeetingOutcome.objects.create(
        investigation=investigation, meeting=meeting, held_at=held_at, outcome=outcome
    )
    _log(actor, investigation, Operation.ALTERATION, {"meeting_outcome": str(linked.pk)})
    _refresh(investigation)
    return linked


@transaction.atomic
def meeting_outcome_record(*, actor, outcome: MeetingOutcome, at: datetime | None = None):
    """The meeting's decision is now recorded on the investigation."""
    outcome.recorded_at, outcome.recorded_by = at or timezone.now(), actor
    outcome.save(update_fields=["recorded_at", "recorded_by"])
    _log(actor, outcome.investigation, Operation.ALTERATION, {"meeting_recorded": str(outcome.pk)})
    _refresh(outcome.investigation)
    return outcome


@transaction.atomic
def investigation_close(*, actor, investigation: Investigation, at: datetime | None = None):
    investigation.status = InvestigationStatus.CLOSED
    investigation.closed_at = at or timezone.now()
    investigation.save(update_fields=["status", "closed_at"])
    _log(actor, investigation, Operation.ALTERATION, {"closed": True})
    _refresh(investigation)
    return investigation


@transaction.atomic
def suspect_status_set(
    *, actor, involved: InvestigationPerson, status: str, since: date | None, until: date | None
) -> InvestigationPerson:
    """A suspect's bail or released-under-investigation state, with its dates."""
    if involved.role != InvolvedRole.SUSPECT:
        raise Refused("Only a suspect has a bail or released-under-investigation status.")
    status = SuspectStatus(status)
    if status in (SuspectStatus.BAIL, SuspectStatus.RUI) and (since is None or until is None):
        raise Refused("Bail and release under investigation need a start date and a return date.")
    if since and until and until < since:
        raise Refused("The return date is before the start date.")
    involved.suspect_status, involved.status_from, involved.status_until = status, since, until
    involved.save(update_fields=["suspect_status", "status_from", "status_until"])
    _log(actor, involved.investigation, Operation.ALTERATION, {"suspect_status": status.value})
    _refresh(involved.investigation)
    return involved


@transaction.atomic
def investigation_open_from_incident(
    *, actor, incident, type: str, team, override_reason: str = ""
) -> Investigation:
    """Open an investigation of an incident: its victims and suspects, allocated to `team`."""
    from thinkchild.incidents.models import ParticipantRole

    people = list(incident.participants.all())
    victims = [p.person for p in people if p.role == ParticipantRole.VICTIM]
    suspects = [p.person for p in people if p.role == ParticipantRole.SUSPECT]
    if not victims:
        raise Refused(f"Incident {incident.reference} has no victim recorded: add one first.")
    reference, n = f"INV-{incident.reference}", 1
    while Investigation.objects.filter(reference=reference).exists():
        n += 1
        reference = f"INV-{incident.reference}-{n}"
    return investigation_open(
        actor=actor,
        reference=reference,
        type=type,
        team=team,
        victims=victims,
        suspects=suspects,
        incidents=[incident],
        override_reason=override_reason,
    )

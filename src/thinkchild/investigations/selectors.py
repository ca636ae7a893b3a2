"""Every read of investigations: scoped like incidents, and each opening logged."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import Q
from django.http import Http404

from thinkchild.access.log import Subject, processing_log_record
from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.access.scope import AccessDenied, decide, held_scope_q
from thinkchild.investigations.models import Investigation, SupervisionReview
from thinkchild.people.selectors.common import consultation_operation
from thinkchild.standards.models import OPEN_STATUSES, Obligation

SUPERVISION_STANDARDS = ("investigations.first_supervision_review", "investigations.review_cadence")


def investigation_scope_q(user) -> Q:
    """Investigations this user sees without asking: held by their team, their area or them."""
    return held_scope_q(user, holder="officer_id", area="team__area_id")


@dataclass(frozen=True)
class Supervision:
    """What the inspection asked to see for every investigation: supervised or not, when last,
    by whom, how well, and when next due."""

    supervised: bool
    last_review: SupervisionReview | None
    last_grade: str
    next_due: datetime | None
    next_overdue: bool


def investigation_supervision(investigation: Investigation) -> Supervision:
    reviews = list(investigation.reviews.all())
    last = reviews[-1] if reviews else None
    grades = list(last.grades.all()) if last else []
    pending = (
        Obligation.objects.filter(
            subject_type="investigation",
            subject_id=investigation.pk,
            standard_id__in=SUPERVISION_STANDARDS,
            status__in=OPEN_STATUSES,
        )
        .order_by("due_at")
        .first()
    )
    return Supervision(
        supervised=last is not None,
        last_review=last,
        last_grade=grades[-1].get_grade_display() if grades else "",
        next_due=pending.due_at if pending else None,
        next_overdue=bool(pending and pending.status == "overdue"),
    )


def _log(user, investigations, justification: str, out_of_scope: bool = False) -> None:
    # A system account's read is a disclosure to it (s.62(1)(d)); anyone else's a consultation.
    operation, recipient = consultation_operation(user)
    for investigation in investigations:
        processing_log_record(
            operation=operation,
            actor=user,
            subject=Subject(
                type="investigation", id=investigation.pk, label=investigation.reference
            ),
            justification=justification,
            out_of_scope=out_of_scope,
            recipient=recipient,
        )


def investigations_list(*, user, open_only: bool = True) -> list[Investigation]:
    if not role_can(user.role, RecordKind.INVESTIGATION, Action.SEARCH):
        raise AccessDenied("You cannot list investigations.", kind=RecordKind.INVESTIGATION)
    found = Investigation.objects.filter(investigation_scope_q(user), is_restricted=False)
    if open_only:
        found = found.filter(status="open")
    rows = list(
        found.select_related("team", "officer").prefetch_related(
            "reviews__grades", "reviews__reviewer"
        )
    )
    for investigation in rows:
        investigation.supervision = investigation_supervision(investigation)
    _log(user, rows, "Investigations list")
    return rows


def investigation_get(
    *, user, investigation_id: UUID | str, reason: str | None = None, action: Action = Action.VIEW
) -> Investigation:
    """One investigation with its people, reviews and grades, if `user` may open it."""
    investigation = (
        Investigation.objects.select_related("team", "officer")
        .prefetch_related(
            "people__person",
            "reviews__reviewer",
            "reviews__grades",
            "reviews__work__owner",
            "allocations",
            "meeting_outcomes",
            "incidents",
        )
        .filter(pk=investigation_id)
        .first()
    )
    if investigation is None:
        raise Http404("No investigation has this id.")
    in_scope = (
        Investigation.objects.filter(pk=investigation.pk)
        .filter(investigation_scope_q(user))
        .exists()
    )
    decision = decide(
        user=user,
        kind=RecordKind.INVESTIGATION,
        record=investigation,
        in_scope=in_scope,
        reason=reason,
        action=action,
    )
    _log(user, [investigation], decision.justification, decision.out_of_scope)
    investigation.supervision = investigation_supervision(investigation)
    return investigation


def incident_by_reference(*, user, reference: str):
    """The incident an investigation is opened from, through the incidents selector (its scope
    and its consultation log); refuses an unknown reference with a reason to act on."""
    from thinkchild.incidents.models import Incident
    from thinkchild.incidents.selectors import incident_get
    from thinkchild.investigations.services import Refused

    found = Incident.objects.filter(reference=reference.strip().upper()).values_list(
        "pk", flat=True
    )
    if not found:
        raise Refused(f"No incident has the reference {reference.strip()}.")
    return incident_get(user=user, incident_id=found[0])


def _part_of(model, pk, *, user, reason, action):
    """A review or meeting outcome, and its investigation, if the user may open that."""
    part = model.objects.filter(pk=pk).values_list("investigation_id", flat=True).first()
    if part is None:
        raise Http404("No such record.")
    investigation = investigation_get(
        user=user, investigation_id=part, reason=reason, action=action
    )
    return model.objects.get(pk=pk), investigation


def supervision_review_get(*, user, review_id, reason=None, action=Action.VIEW):
    """A supervision review and its investigation, through the investigation's access check."""
    return _part_of(SupervisionReview, review_id, user=user, reason=reason, action=action)


def meeting_outcome_get(*, user, outcome_id, reason=None, action=Action.VIEW):
    """A meeting outcome and its investigation, through the investigation's access check."""
    from thinkchild.investigations.models import MeetingOutcome

    return _part_of(MeetingOutcome, outcome_id, user=user, reason=reason, action=action)

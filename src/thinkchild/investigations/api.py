"""Investigations in the REST API: for every one, supervised or not, when last, by whom, how
well, and when next due. The same selectors as the web, so the same scope and logging."""

from datetime import date, datetime
from uuid import UUID

from ninja import Router, Schema
from ninja.errors import HttpError

from thinkchild.investigations import selectors

router = Router(tags=["investigations"])


class ReviewOut(Schema):
    reviewed_at: datetime
    reviewer: str
    risks_considered: str
    decisions: list[dict]
    next_review_by: date
    grades: list[str]


class InvestigationOut(Schema):
    id: UUID
    reference: str
    type: str
    status: str
    team: str
    officer: str | None
    supervised: bool
    last_reviewed_at: datetime | None
    last_reviewed_by: str | None
    last_grade: str | None
    next_review_due: datetime | None
    next_review_overdue: bool


class InvestigationDetailOut(InvestigationOut):
    reviews: list[ReviewOut]


def _caller(request):
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise HttpError(401, "Authenticate with a system account's bearer token.")
    return user


def _out(investigation) -> dict:
    s = investigation.supervision
    last = s.last_review
    return {
        "id": investigation.pk,
        "reference": investigation.reference,
        "type": investigation.type,
        "status": investigation.status,
        "team": investigation.team.name,
        "officer": investigation.officer.display_name if investigation.officer else None,
        "supervised": s.supervised,
        "last_reviewed_at": last.reviewed_at if last else None,
        "last_reviewed_by": last.reviewer.display_name if last else None,
        "last_grade": s.last_grade or None,
        "next_review_due": s.next_due,
        "next_review_overdue": s.next_overdue,
    }


@router.get("/investigations", response=list[InvestigationOut], summary="Open investigations")
def investigations(request):
    return [_out(i) for i in selectors.investigations_list(user=_caller(request))]


@router.get(
    "/investigations/{investigation_id}",
    response=InvestigationDetailOut,
    summary="One investigation with its supervision reviews",
)
def investigation(request, investigation_id: UUID):
    found = selectors.investigation_get(user=_caller(request), investigation_id=investigation_id)
    reviews = [
        {
            "reviewed_at": r.reviewed_at,
            "reviewer": r.reviewer.display_name,
            "risks_considered": r.risks_considered,
            "decisions": r.decisions,
            "next_review_by": r.next_review_by,
            "grades": [g.get_grade_display() for g in r.grades.all()],
        }
        for r in found.reviews.all()
    ]
    return {**_out(found), "reviews": reviews}

"""The obligations API: the queue's and the overview's selectors, so the same scope and logging.

`GET /api/v1/obligations` is the queue of open and overdue obligations (filters: standard, status,
team, officer, child); `GET /api/v1/compliance` is the overview for a span of months. A system
account reading here receives the children's names, so the selectors log a DISCLOSURE to it.
"""

import datetime as dt
from uuid import UUID

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from thinkchild.access.scope import AccessDenied
from thinkchild.standards import selectors

router = Router(tags=["standards"])


class ChildOut(Schema):
    id: UUID
    name: str


class ObligationOut(Schema):
    id: UUID
    standard_id: str
    title: str
    subject_type: str
    subject_id: UUID
    status: str
    opened_at: dt.datetime
    due_at: dt.datetime
    met_at: dt.datetime | None
    escalation_level: int
    owner_id: UUID | None
    owner_team_id: UUID | None
    children: list[ChildOut]

    @staticmethod
    def resolve_children(obligation) -> list[dict]:
        return [{"id": c.id, "name": c.name} for c in obligation.child_names]


class ObligationPageOut(Schema):
    count: int
    # True when there are more than `count` (counting stops at 1,001): filter to see fewer.
    count_capped: bool
    page: int
    pages: int
    results: list[ObligationOut]


class ComplianceRowOut(Schema):
    standard_id: str
    standard_title: str
    area_id: UUID | None
    area_name: str
    team_id: UUID | None
    team_name: str
    month: str  # "2026-05"
    opened: int
    met_on_time: int
    met_late: int
    overdue: int
    rate: float | None


def _user(request):
    user = getattr(request, "auth", None) or request.user
    if user is None or not user.is_authenticated:
        raise HttpError(401, "Authentication required.")
    return user


@router.get("/obligations", response=ObligationPageOut, summary="Obligations open and overdue")
def obligations_list(
    request,
    standard: str | None = None,
    status: str | None = None,
    team: UUID | None = None,
    officer: UUID | None = None,
    child: UUID | None = None,
    page: int = Query(1, ge=1),
):
    try:
        result = selectors.obligation_queue(
            user=_user(request),
            standard_id=standard,
            status=status,
            team_id=team,
            officer_id=officer,
            child_id=child,
            page=page,
        )
    except AccessDenied as error:
        raise HttpError(403, str(error)) from error
    except ValueError as error:
        raise HttpError(400, str(error)) from error
    return {
        "count": result.paginator.count,
        "count_capped": result.count_capped,
        "page": result.number,
        "pages": result.paginator.num_pages,
        "results": list(result.object_list),
    }


def _month(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError as error:
        raise HttpError(400, f"{value!r} is not a month: give it as YYYY-MM.") from error


@router.get("/compliance", response=list[ComplianceRowOut], summary="Compliance by month")
def compliance(request, month_from: str, month_to: str):
    try:
        rows = selectors.compliance_overview(
            user=_user(request), month_from=_month(month_from), month_to=_month(month_to)
        )
    except AccessDenied as error:
        raise HttpError(403, str(error)) from error
    except ValueError as error:
        raise HttpError(400, str(error)) from error
    return [{**row.__dict__, "month": f"{row.month:%Y-%m}", "rate": row.rate} for row in rows]

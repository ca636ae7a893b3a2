"""Every read of obligations: the queue, the compliance overview and its drill-down, scoped.

"Needs attention now" (issue #3, part 4): a supervisor sees their team's open and overdue
obligations, an inspector their area's, the PPU lead the force's and an officer their own.
Obligations name children, so every child's name a selector returns is logged as a consultation
(a disclosure, for a system account or an export) in the s.62 processing log.
"""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from thinkchild.access.log import Subject, processing_log_record_many
from thinkchild.access.models import AccessListEntry, Operation
from thinkchild.access.policy import RecordKind
from thinkchild.access.scope import AccessDenied
from thinkchild.org.models import Role, Team, User
from thinkchild.people.selectors.common import log_many, person_subject
from thinkchild.standards.models import OPEN_STATUSES, Obligation, ObligationStatus
from thinkchild.standards.registry import standards

LONDON = ZoneInfo("Europe/London")
PAGE_SIZE = 50
# A restricted child whose access list the user is not on is shown, and exported, without a name.
RESTRICTED_NAME = "Restricted person"

QUEUE_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.DETECTIVE_INSPECTOR, Role.PPU_LEAD})
COMPLIANCE_ROLES = frozenset({Role.SUPERVISOR, Role.DETECTIVE_INSPECTOR, Role.PPU_LEAD})
# A source system reads the force's obligations through the API, as its reach (access/policy.py)
# is the force; what it receives is logged as a disclosure to it.
_FORCE_ROLES = frozenset({Role.PPU_LEAD, Role.SYSTEM_ACCOUNT})
# Statuses a drill-down may ask for: cancelled obligations are not counted, so not listed.
COUNTED_STATUSES = tuple(s for s in ObligationStatus if s != ObligationStatus.CANCELLED)


def _require(user, roles: frozenset, what: str) -> None:
    if not user.is_authenticated or not user.is_active:
        raise AccessDenied(f"Sign in to see {what}.")
    if user.role not in roles | {Role.SYSTEM_ACCOUNT}:
        raise AccessDenied(f"A {user.get_role_display().lower()} does not see {what}.")


def _scope_q(user) -> Q:
    """Obligations in the user's scope: own, team, area or force, by role. Nothing else."""
    if user.role in _FORCE_ROLES:
        if not user.force_id:
            return Q(pk__in=[])
        return Q(owner_team__force_id=user.force_id) | Q(
            owner_team__isnull=True, owner__force_id=user.force_id
        )
    if user.role == Role.OFFICER:
        return Q(owner_id=user.pk)
    if user.role == Role.SUPERVISOR and user.team_id:
        return Q(owner_team_id=user.team_id)
    if user.role == Role.DETECTIVE_INSPECTOR and user.team_id and user.team.area_id:
        return Q(owner_team__area_id=user.team.area_id)
    return Q(pk__in=[])


def teams_in_scope(*, user) -> QuerySet[Team]:
    """The teams whose obligations the user sees (for filters, and to refuse any other)."""
    if user.role in _FORCE_ROLES:
        teams = Team.objects.filter(force_id=user.force_id)
    elif user.role == Role.SUPERVISOR and user.team_id:
        teams = Team.objects.filter(pk=user.team_id)
    elif user.role == Role.DETECTIVE_INSPECTOR and user.team_id and user.team.area_id:
        teams = Team.objects.filter(area_id=user.team.area_id)
    else:
        teams = Team.objects.none()
    return teams.select_related("area").order_by("area__name", "name")


def officers_in_scope(*, user) -> QuerySet[User]:
    """The people whose obligations the user may filter by: their team's, area's or force's."""
    people = User.objects.filter(is_active=True).exclude(
        role__in=[Role.SYSTEM_ACCOUNT, Role.SYSTEM_ADMIN]
    )
    if user.role == Role.OFFICER:
        return people.filter(pk=user.pk)
    return people.filter(team__in=teams_in_scope(user=user)).order_by("last_name", "first_name")


def scope_label(*, user) -> str:
    """What the user's scope is, in words, for a page heading."""
    if user.role in _FORCE_ROLES:
        return "the force"
    if user.role == Role.OFFICER:
        return "you"
    if user.role == Role.DETECTIVE_INSPECTOR and user.team_id and user.team.area_id:
        return user.team.area.name
    return user.team.name if user.team_id else "no team"


def _require_team(user, team_id: UUID | None) -> None:
    """A team outside scope is refused, not answered with an empty list that could mislead."""
    if team_id is not None and not teams_in_scope(user=user).filter(pk=team_id).exists():
        raise AccessDenied("This team is outside your scope.")


@dataclass(frozen=True)
class ChildName:
    id: UUID
    name: str
    hidden: bool  # restricted, and the user is not on its access list


def _attach_children(*, user, obligations: list[Obligation]) -> list:
    """Sets `child_names` on each obligation; returns the people whose names are now shown."""
    through = Obligation.children.through
    links = list(
        through.objects.filter(obligation_id__in=[o.pk for o in obligations]).select_related(
            "person"
        )
    )
    restricted = [link.person_id for link in links if link.person.is_restricted]
    listed = set(
        AccessListEntry.objects.filter(
            subject_type=RecordKind.PERSON, subject_id__in=restricted, user=user
        ).values_list("subject_id", flat=True)
    )
    by_obligation: dict[UUID, list[ChildName]] = {o.pk: [] for o in obligations}
    shown = {}
    for link in links:
        person = link.person
        hidden = person.is_restricted and person.pk not in listed
        name = RESTRICTED_NAME if hidden else person.full_name
        by_obligation[link.obligation_id].append(ChildName(id=person.pk, name=name, hidden=hidden))
        if not hidden:
            shown[person.pk] = person
    for obligation in obligations:
        obligation.child_names = sorted(by_obligation[obligation.pk], key=lambda c: c.name)
    return list(shown.values())


# Counted for the pager up to this many: counting a force's 30,000 open obligations took longer
# than the page (docs/benchmarks-standards.md); past it the page says "over" and asks for a filter.
COUNT_LIMIT = 1000


def _page(*, user, obligations: QuerySet, page, page_size: int, justification: str, detail) -> Page:
    paginator = Paginator(obligations, page_size)
    paginator.count = obligations.order_by()[: COUNT_LIMIT + 1].count()
    result = paginator.get_page(page)
    result.count_capped = paginator.count > COUNT_LIMIT
    result.count_limit = COUNT_LIMIT
    rows = list(result.object_list)
    shown = _attach_children(user=user, obligations=rows)
    log_many(user, shown, justification=justification, detail=detail)
    result.object_list = rows
    return result


def _rows(obligations: QuerySet) -> QuerySet:
    return obligations.select_related("owner", "owner_team", "owner_team__area")


def obligation_queue(
    *,
    user,
    standard_id: str | None = None,
    child_id: UUID | None = None,
    officer_id: UUID | None = None,
    team_id: UUID | None = None,
    status: str | None = None,
    page: int | str = 1,
    page_size: int = PAGE_SIZE,
) -> Page:
    """A page of the open and overdue obligations in the user's scope, soonest due first.

    Each obligation carries `child_names`; the children named on the page are logged as
    consulted. `status` narrows to open or overdue; a team outside scope is refused.
    """
    _require(user, QUEUE_ROLES, "a queue of obligations")
    _require_team(user, team_id)
    if status and status not in OPEN_STATUSES:
        raise ValueError("The queue holds open and overdue obligations only.")
    statuses = [status] if status else list(OPEN_STATUSES)
    obligations = Obligation.objects.filter(_scope_q(user), status__in=statuses)
    if standard_id:
        obligations = obligations.filter(standard_id=standard_id)
    if child_id:
        obligations = obligations.filter(children__id=child_id)
    if officer_id:
        obligations = obligations.filter(owner_id=officer_id)
    if team_id:
        obligations = obligations.filter(owner_team_id=team_id)
    return _page(
        user=user,
        obligations=_rows(obligations).order_by("due_at", "id"),
        page=page,
        page_size=page_size,
        justification=f"Named in the queue of obligations due ({user.get_role_display()})",
        detail={"view": "standards.queue"},
    )


# -- compliance ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceRow:
    """One standard's obligations for one team, due in one month (cancelled ones not counted)."""

    standard_id: str
    standard_title: str
    area_id: UUID | None
    area_name: str
    team_id: UUID | None
    team_name: str
    month: dt.date
    opened: int
    met_on_time: int
    met_late: int
    overdue: int

    @property
    def rate(self) -> float | None:
        """Met on time / (met on time + met late + overdue now); None when none is judged yet."""
        judged = self.met_on_time + self.met_late + self.overdue
        return self.met_on_time / judged if judged else None


def month_start(day: dt.date) -> dt.datetime:
    """Midnight in London on the first of the day's month."""
    return dt.datetime(day.year, day.month, 1, tzinfo=LONDON)


def month_after(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _compliance_obligations(user, month_from: dt.date, month_to: dt.date) -> QuerySet:
    _require(user, COMPLIANCE_ROLES, "compliance with the standards")
    if month_to < month_from.replace(day=1):
        raise ValueError("The last month must be the same as or after the first.")
    return Obligation.objects.filter(
        _scope_q(user),
        due_at__gte=month_start(month_from),
        due_at__lt=month_start(month_after(month_to)),
    ).exclude(status=ObligationStatus.CANCELLED)


def as_month(value) -> dt.date:
    # TruncMonth gives an aware datetime (or a date on some backends) at the London month start.
    if isinstance(value, dt.datetime):
        value = value.astimezone(LONDON) if value.tzinfo else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def compliance_overview(*, user, month_from: dt.date, month_to: dt.date) -> list[ComplianceRow]:
    """Per standard, area, team and month of the due date (Europe/London): opened, met on time,
    met late and overdue now, counted by the database; cancelled obligations are not counted."""
    counted = (
        _compliance_obligations(user, month_from, month_to)
        .annotate(month=TruncMonth("due_at", tzinfo=LONDON))
        .values(
            "standard_id",
            "owner_team__area_id",
            "owner_team__area__name",
            "owner_team_id",
            "owner_team__name",
            "month",
        )
        .annotate(
            opened=Count("id"),
            met_on_time=Count("id", filter=Q(status=ObligationStatus.MET_ON_TIME)),
            met_late=Count("id", filter=Q(status=ObligationStatus.MET_LATE)),
            overdue=Count("id", filter=Q(status=ObligationStatus.OVERDUE)),
        )
        .order_by()
    )
    titles = {sid: s.title for sid, s in standards().items()}
    rows = [
        ComplianceRow(
            standard_id=r["standard_id"],
            standard_title=titles.get(r["standard_id"], r["standard_id"]),
            area_id=r["owner_team__area_id"],
            area_name=r["owner_team__area__name"] or "",
            team_id=r["owner_team_id"],
            team_name=r["owner_team__name"] or "No team",
            month=as_month(r["month"]),
            opened=r["opened"],
            met_on_time=r["met_on_time"],
            met_late=r["met_late"],
            overdue=r["overdue"],
        )
        for r in counted
    ]
    rows.sort(key=lambda r: (r.standard_title, r.area_name, r.team_name, r.month))
    return rows


def _drill_down(user, standard_id: str, team_id: UUID | None, month: dt.date, status) -> QuerySet:
    if status and status not in COUNTED_STATUSES:
        raise ValueError("Cancelled obligations are not counted, so not listed.")
    if team_id is not None:
        _require_team(user, team_id)
    obligations = _compliance_obligations(user, month, month).filter(
        standard_id=standard_id, owner_team_id=team_id
    )
    if status:
        obligations = obligations.filter(status=status)
    return _rows(obligations).order_by("due_at", "id")


def compliance_obligations(
    *,
    user,
    standard_id: str,
    team_id: UUID | None,
    month: dt.date,
    status: str | None = None,
    page: int | str = 1,
    page_size: int = PAGE_SIZE,
) -> Page:
    """The obligations behind one number of the overview (all counted ones when `status` is
    None), soonest due first, with the children they name logged as consulted."""
    return _page(
        user=user,
        obligations=_drill_down(user, standard_id, team_id, month, status),
        page=page,
        page_size=page_size,
        justification=f"Named behind a compliance figure ({user.get_role_display()})",
        detail={"view": "standards.compliance_obligations", "standard": standard_id},
    )


# -- exports -------------------------------------------------------------------------------------

EXPORT_JUSTIFICATION = (
    "Export of compliance with the force's standards for supervision and performance management"
)
EXPORT_MAX_ROWS = 100_000


def _disclose(*, user, subjects: list[Subject], detail: dict) -> None:
    if subjects:
        processing_log_record_many(
            operation=Operation.DISCLOSURE,
            actor=user,
            subjects=subjects,
            justification=EXPORT_JUSTIFICATION,
            recipient=user.display_name,
            detail=detail,
        )


def compliance_export(*, user, month_from: dt.date, month_to: dt.date) -> list[ComplianceRow]:
    """The overview's rows for a file, logged as a disclosure to the user of each team's figures
    (a team's compliance is about the officers in it)."""
    rows = compliance_overview(user=user, month_from=month_from, month_to=month_to)
    teams = {r.team_id: r.team_name for r in rows if r.team_id}
    _disclose(
        user=user,
        subjects=[Subject(type="team", id=pk, label=name) for pk, name in teams.items()],
        detail={
            "export": "standards.compliance",
            "months": [f"{month_from:%Y-%m}", f"{month_to:%Y-%m}"],
            "rows": len(rows),
        },
    )
    return rows


def compliance_obligations_export(
    *, user, standard_id: str, team_id: UUID | None, month: dt.date, status: str | None = None
) -> list[Obligation]:
    """Every obligation behind one number, for a file; each child named is logged as disclosed
    to the user. Restricted children the user is not listed for go without a name."""
    obligations = list(_drill_down(user, standard_id, team_id, month, status)[:EXPORT_MAX_ROWS])
    shown = _attach_children(user=user, obligations=obligations)
    _disclose(
        user=user,
        subjects=[person_subject(p) for p in shown],
        detail={
            "export": "standards.compliance_obligations",
            "standard": standard_id,
            "month": f"{month:%Y-%m}",
            "rows": len(obligations),
        },
    )
    return obligations


def notifications_for(*, user, limit: int = 100) -> list:
    """The user's own notifications, newest first (they name obligations, not children)."""
    from thinkchild.standards.models import Notification

    return list(
        Notification.objects.filter(user=user)
        .select_related("obligation")
        .order_by("-created_at")[:limit]
    )

"""The missing-children summary: by area and month of the report, counted by the database in one
grouped query. Numbers only, no names, so every role that sees aggregates sees the whole force."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth

from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.access.scope import AccessDenied
from thinkchild.missing.models import MissingEpisode, RiskLevel
from thinkchild.org.models import Area
from thinkchild.standards.models import OPEN_STATUSES, Obligation
from thinkchild.standards.selectors import as_month, month_after, month_start

LONDON = ZoneInfo("Europe/London")
RHI_HOURS = 72  # DfE statutory guidance (2014): within 72 hours of the return


@dataclass(frozen=True)
class SummaryRow:
    area: str
    month: dt.date
    episodes: int
    high: int
    medium: int
    low: int
    very_low: int
    not_graded: int
    repeat_children: int
    returned: int
    prevention_done: int
    rhi_within_72h: int
    legacy_awaiting_review: int

    @property
    def levels(self) -> list[tuple[str, int]]:
        return [
            ("High", self.high),
            ("Medium", self.medium),
            ("Low", self.low),
            ("Very low", self.very_low),
        ]


def missing_summary(*, user, month_from: dt.date, month_to: dt.date) -> list[SummaryRow]:
    """Per area and month of the report (Europe/London): episodes by their current risk level,
    children with a repeat episode, returns, prevention interviews held, return home interviews
    held within 72 hours of the return, and legacy "absent" gradings still awaiting review."""
    if not role_can(user.role, RecordKind.AGGREGATES, Action.VIEW_AGGREGATES):
        raise AccessDenied(f"A {user.get_role_display().lower()} does not see these figures.")
    episodes = MissingEpisode.objects.filter(
        force_id=user.force_id,
        reported_at__gte=month_start(month_from),
        reported_at__lt=month_start(month_after(month_to)),
    ).annotate(month=TruncMonth("reported_at", tzinfo=LONDON))
    level = {
        name: Count("pk", filter=Q(risk_level=value))
        for name, value in (
            ("high", RiskLevel.HIGH),
            ("medium", RiskLevel.MEDIUM),
            ("low", RiskLevel.LOW),
            ("very_low", RiskLevel.VERY_LOW),
            ("not_graded", ""),
        )
    }
    # One table, one range of its (force, reported_at) index: the interviews' facts are kept on
    # the episode for this (models.MissingEpisode.prevention_done, return_interview_held_at).
    rows = (
        episodes.values("area_id", "month")
        .annotate(
            episodes=Count("pk"),
            **level,
            repeat_children=Count("child_id", filter=Q(repeat_marker=True), distinct=True),
            returned=Count("pk", filter=Q(found_at__isnull=False)),
            prevention_done=Count("pk", filter=Q(prevention_done=True)),
            rhi_within_72h=Count(
                "pk",
                filter=Q(
                    return_interview_held_at__lte=F("found_at") + dt.timedelta(hours=RHI_HOURS)
                ),
            ),
        )
        .order_by()
    )
    # The few imported "absent" gradings still open in the review standard, counted apart so
    # the main count never evaluates a subquery per episode.
    legacy_open = Obligation.objects.filter(
        subject_type="missing_episode",
        subject_id=OuterRef("pk"),
        standard_id="missing.legacy_grading_reviewed",
        status__in=OPEN_STATUSES,
    )
    waiting = {
        (r["area_id"], r["month"]): r["n"]
        for r in episodes.exclude(legacy_category="")
        .filter(Exists(legacy_open))
        .values("area_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    names = dict(Area.objects.filter(force_id=user.force_id).values_list("pk", "name"))
    found = [
        SummaryRow(
            legacy_awaiting_review=waiting.get((r["area_id"], r["month"]), 0),
            area=names.get(r.pop("area_id"), ""),
            month=as_month(r.pop("month")),
            **r,
        )
        for r in rows
    ]
    return sorted(found, key=lambda row: (-row.month.toordinal(), row.area))

"""What missing episodes add to a child's chronology and to "what we already know".

Registered in MissingConfig.ready(). The people selectors have already decided (and logged) that
the user may open each person; these providers decide which episodes the user may open (scope and
access list) and log each episode they show. An episode the user may know of but not open shows
only its day, so the entry neither reveals the record nor hides that it exists (as incidents do).
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from uuid import UUID

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from thinkchild.access.models import AccessListEntry
from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.incidents.research import KnownFact
from thinkchild.missing.models import EpisodeStatus, MissingEpisode, RiskLevel, one_or_none
from thinkchild.missing.selectors import child_open_q, episode_scope_q, episodes_read_log
from thinkchild.people.chronology import ChronologyEntry
from thinkchild.standards.calendars import start_of

KIND, LABEL = "missing", "Missing"


def _visibility(user) -> dict:
    listed = AccessListEntry.objects.filter(
        subject_type=RecordKind.MISSING_EPISODE, subject_id=OuterRef("pk"), user=user
    )
    known = Q(is_restricted=False) | Q(Exists(listed))
    return {
        "can_open": Case(
            When(episode_scope_q(user) & known, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        "may_know": Case(
            When(known, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    }


def _episodes(user, q: Q):
    return (
        MissingEpisode.objects.filter(q, force_id=user.force_id)
        .annotate(**_visibility(user))
        .filter(may_know=True)
        .filter(child_open_q(user))
    )


def _inside(moment: datetime | None, date_from, date_to) -> bool:
    if moment is None:
        return False
    day = timezone.localdate(moment)
    return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)


def _level(level: str) -> str:
    return f"{RiskLevel(level).label} risk" if level else "Not yet graded"


def _entries_of(episode: MissingEpisode, url: str) -> Iterator[ChronologyEntry]:
    def entry(at, title, summary="", tags=()):
        return ChronologyEntry(
            occurred_at=at,
            kind=KIND,
            kind_label=LABEL,
            title=title,
            person_id=episode.child_id,
            summary=summary,
            url=url,
            tags=tuple(tags),
        )

    tags = ["Repeat missing"] if episode.repeat_marker else []
    if episode.home_force:
        tags.append(f"Missing from {episode.home_force}")
    yield entry(
        episode.reported_at,
        f"Reported missing from {episode.get_missing_from_display().lower()} ({episode.reference})",
        episode.circumstances,
        tags,
    )
    for grading in episode.gradings.all():
        if grading.legacy_category:
            title = (
                f"Recorded as '{grading.get_legacy_category_display()}' by the source system "
                "(kept as recorded; very low on today's continuum)"
            )
        else:
            title = f"Risk graded {_level(grading.level).lower()}"
            if grading.override_by_id:
                title += " (below the force minimum, supervisor's override)"
        summary = grading.rationale.get("assessment") or grading.rationale.get("risk") or ""
        yield entry(
            grading.graded_at,
            title,
            summary,
            [grading.graded_by_label] if grading.graded_by_label else [],
        )
    for action in episode.enquiries.all():
        result = f" Result: {action.result}" if action.result else ""
        yield entry(
            action.done_at, f"Enquiry: {action.get_kind_display()}", f"{action.details}{result}"
        )
    found = one_or_none(episode, "found")
    if found is not None:
        tags = ["Back before allocation"] if found.before_allocation else []
        yield entry(
            found.found_at, f"Found at {found.found_where}", f"Found by {found.found_by}", tags
        )
    interview = one_or_none(episode, "prevention_interview")
    if interview is not None:
        if interview.done:
            yield entry(
                interview.held_at,
                f"Prevention interview ({interview.get_method_display().lower()})",
                interview.child_account,
            )
        else:
            yield entry(
                interview.recorded_at, "Prevention interview not done", interview.not_done_reason
            )
    rhi = one_or_none(episode, "return_home_interview")
    if rhi is not None:
        if rhi.authority_notified_at:
            yield entry(rhi.authority_notified_at, "Local authority notified of the return")
        if rhi.held_at:
            yield entry(rhi.held_at, "Return home interview held")
        if rhi.findings_received_at:
            yield entry(
                rhi.findings_received_at, "Return home interview findings received", rhi.findings
            )


def missing_chronology(
    *, user, person_ids: Iterable[UUID], date_from=None, date_to=None, **_
) -> list[ChronologyEntry]:
    """Chronology provider: each child's episodes and everything recorded on them."""
    if not role_can(user.role, RecordKind.MISSING_EPISODE, Action.VIEW):
        return []
    rows = _episodes(user, Q(child_id__in=list(person_ids)))
    if date_to:
        rows = rows.filter(reported_at__lt=start_of(date_to + timedelta(days=1)))
    rows = rows.select_related(
        "found", "prevention_interview", "return_home_interview"
    ).prefetch_related("gradings", "enquiries")
    entries, opened = [], []
    for episode in rows:
        if not episode.can_open:
            if _inside(episode.reported_at, date_from, date_to):
                entries.append(
                    ChronologyEntry(
                        occurred_at=start_of(timezone.localdate(episode.reported_at)),
                        kind=KIND,
                        kind_label=LABEL,
                        title="Missing episode you cannot open",
                        person_id=episode.child_id,
                    )
                )
            continue
        url = reverse("missing:detail", args=[episode.pk])
        shown = [e for e in _entries_of(episode, url) if _inside(e.occurred_at, date_from, date_to)]
        if shown:
            opened.append(episode)
            entries += shown
    episodes_read_log(user, opened, "Chronology")
    return entries


def missing_research(
    *, user, person_ids: list[UUID], location_id: UUID | None = None, **_
) -> list[tuple[UUID | None, KnownFact]]:
    """Research provider: open episodes and the repeat-missing marker, for each person and for
    the address a child went missing from."""
    if not role_can(user.role, RecordKind.MISSING_EPISODE, Action.VIEW):
        return []
    q = Q(child_id__in=person_ids) if person_ids else Q(pk__in=[])
    if location_id:
        q |= Q(missing_from_location_id=location_id)
    rows = _episodes(user, q).select_related("child").order_by("-reported_at")
    facts: list[tuple[UUID | None, KnownFact]] = []
    shown, counted = [], defaultdict(int)
    for episode in rows:
        for subject in {episode.child_id} & set(person_ids) or {None}:
            if subject is None and episode.missing_from_location_id != location_id:
                continue
            counted[subject] += 1
            if not episode.can_open or counted[subject] > 5:
                continue
            is_open = episode.status == EpisodeStatus.MISSING
            tags = ["Repeat missing"] if episode.repeat_marker else []
            if episode.risk_level:
                tags.append(_level(episode.risk_level))
            who = "" if subject else f"{episode.child}: "
            facts.append(
                (
                    subject,
                    KnownFact(
                        kind="missing",
                        title=f"{who}{'Missing now' if is_open else 'Missing episode'} "
                        f"({episode.reference})",
                        occurred_at=episode.reported_at,
                        summary=episode.circumstances[:200],
                        url=reverse("missing:detail", args=[episode.pk]),
                        warning=is_open or episode.repeat_marker,
                        tags=tuple(tags),
                    ),
                )
            )
            shown.append(episode)
    episodes_read_log(user, {e.pk: e for e in shown}.values(), "What we already know")
    return facts

"""Risk on the APP continuum: gradings with their rationale and sources, the minimum for
children and its override, and legacy categories kept as a source recorded them."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction

from thinkchild.access.models import Operation
from thinkchild.missing.models import (
    RISK_RANK,
    EpisodeStatus,
    InformationSource,
    LegacyCategory,
    MissingEpisode,
    RiskGrading,
    RiskLevel,
)
from thinkchild.missing.policy import (
    CHILD_MINIMUM_LEVEL,
    GRADING_BACKDATE_MINUTES,
    RATIONALE_MODEL,
    REVIEW_INTERVAL_HOURS,
)
from thinkchild.missing.services.common import (
    ABSENT_REFUSAL,
    ABSENT_WORDS,
    REASON_MIN,
    Refused,
    _log,
    _now,
    _open,
    _refresh,
    _refuse_if,
    _when,
    child_age,
    is_supervisor,
)
from thinkchild.standards.policy import policy_value
from thinkchild.standards.rationale import MODEL_NAMES, missing_stages

# --- Risk ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A piece of information used in a grading, as the APP asks it to be recorded."""

    information: str
    source: str
    obtained_at: datetime | None
    contact: str = ""


def risk_level_parse(value: str) -> RiskLevel:
    """A level on the continuum, or a refusal that says why not."""
    text = str(value or "").strip().lower()
    if text in ABSENT_WORDS:
        raise Refused(ABSENT_REFUSAL)
    try:
        return RiskLevel(text.replace(" ", "_"))
    except ValueError:
        raise Refused(
            f"'{value}' is not a level on the continuum of risk: choose high, medium, low or "
            "very low."
        ) from None


def _grading_problems(
    *,
    actor,
    episode,
    level,
    rationale,
    sources,
    graded_at,
    next_review_at,
    override_by,
    override_rationale,
    now,
) -> list[str]:
    problems = []
    model = policy_value(RATIONALE_MODEL.key, graded_at)
    missing = missing_stages(rationale, model)
    if missing:
        problems.append(
            f"Give the rationale at every stage of the {MODEL_NAMES[model]} "
            f"(missing: {', '.join(missing)})."
        )
    if not sources:
        problems.append(
            "Record the information the grading used: what, from whom, and when it was obtained."
        )
    for n, source in enumerate(sources, 1):
        if not source.information.strip() or not source.source.strip():
            problems.append(f"Source {n}: say what the information was and who gave it.")
        if source.obtained_at is None:
            problems.append(f"Source {n}: say when the information was obtained.")
        elif source.obtained_at > graded_at:
            problems.append(f"Source {n} was obtained after the grading.")
    if graded_at > now + timedelta(minutes=5):
        problems.append("The time of the grading is in the future.")
    backdate = policy_value(GRADING_BACKDATE_MINUTES.key, now)
    if graded_at < now - timedelta(minutes=backdate):
        # Standards are met at the grading's time, so it is the time it is recorded, give or take.
        problems.append(
            f"A grading is recorded when it is made: this one is dated more than {backdate} "
            "minutes ago. Record it as now, and say in the rationale when the decision was taken."
        )
    if graded_at < episode.reported_at:
        problems.append("The grading is before the child was reported missing.")
    if episode.status == EpisodeStatus.MISSING:
        hours = policy_value(REVIEW_INTERVAL_HOURS.key, graded_at)[level]
        # Elapsed hours, counted in UTC: across a change of clocks wall-clock arithmetic is an
        # hour out (standards.calendars.due_after_hours).
        latest = (graded_at.astimezone(UTC) + timedelta(hours=hours)).astimezone(graded_at.tzinfo)
        if next_review_at is None:
            problems.append("Set the next review time: every open episode has one.")
        elif next_review_at <= max(graded_at, now):
            problems.append("The next review time must be after the grading, and still to come.")
        elif next_review_at > latest:
            problems.append(
                f"At {RiskLevel(level).label.lower()} risk the next review is due within "
                f"{hours} hours of the grading ({_when(latest)})."
            )
    minimum = RiskLevel(policy_value(CHILD_MINIMUM_LEVEL.key, graded_at))
    age = child_age(episode, graded_at)
    if RISK_RANK[level] < RISK_RANK[minimum] and (age is None or age < 18):
        if override_by is None:
            problems.append(
                f"The force's minimum for a missing child is {minimum.label.lower()} risk: "
                f"grading lower needs a supervisor's override with its own rationale."
            )
        elif not is_supervisor(override_by):
            problems.append(
                f"{override_by.get_full_name() or override_by} is not a supervisor: only a "
                "supervisor can override the minimum for a child."
            )
        elif override_by.pk != actor.pk:
            problems.append(
                "Only the supervisor overriding the minimum can record it: ask them to grade the "
                "risk themselves."
            )
        if override_by is not None and len(override_rationale.strip()) < REASON_MIN:
            problems.append("Give the supervisor's rationale for grading below the minimum.")
    elif override_by is not None:
        problems.append(
            f"{RiskLevel(level).label} is not below the force's minimum: no override is needed."
        )
    return problems


@transaction.atomic
def risk_grade(
    *,
    actor,
    episode: MissingEpisode,
    level: str,
    rationale: Mapping[str, str],
    sources: Iterable[Source],
    next_review_at: datetime | None,
    graded_at: datetime | None = None,
    override_by=None,
    override_rationale: str = "",
) -> RiskGrading:
    """Grade (or re-grade, or as a supervisor confirm) the risk on the APP continuum.

    Every grading carries its rationale, stage by stage, and the information it used with its
    source and the time obtained. A child graded below the force's minimum needs a supervisor's
    override with its own rationale. Re-gradings are new rows: the history is kept.
    """
    if not (episode.status == EpisodeStatus.CLOSED and legacy_awaiting_review(episode)):
        # A closed episode takes no more gradings, but the review an imported "absent" awaits.
        _open(episode)
    now = _now()
    level = risk_level_parse(level)
    graded_at = graded_at or now
    sources = list(sources)
    rationale = {k: str(v or "").strip() for k, v in rationale.items()}
    _refuse_if(
        _grading_problems(
            actor=actor,
            episode=episode,
            level=level,
            rationale=rationale,
            sources=sources,
            graded_at=graded_at,
            next_review_at=next_review_at,
            override_by=override_by,
            override_rationale=override_rationale,
            now=now,
        )
    )
    grading = RiskGrading.objects.create(
        episode=episode,
        level=level,
        graded_by=actor,
        graded_by_label=actor.get_full_name() or str(actor),
        supervisory=is_supervisor(actor),
        graded_at=graded_at,
        recorded_at=now,
        model=policy_value(RATIONALE_MODEL.key, graded_at),
        rationale=rationale,
        next_review_at=next_review_at if episode.status == EpisodeStatus.MISSING else None,
        override_by=override_by,
        override_rationale=override_rationale.strip() if override_by else "",
    )
    InformationSource.objects.bulk_create(
        InformationSource(
            grading=grading,
            information=s.information.strip(),
            source=s.source.strip(),
            contact=s.contact.strip(),
            obtained_at=s.obtained_at,
        )
        for s in sources
    )
    current_grading_set(episode)
    detail = {"risk_graded": str(level)}
    if override_by is not None:
        detail["override_of_the_minimum"] = True
    _log(actor, episode, Operation.ALTERATION, detail)
    _refresh(episode)
    return grading


def legacy_awaiting_review(episode: MissingEpisode) -> bool:
    """An imported "absent" or "no apparent risk" with no supervisor's grading recorded after it
    (as the legacy review standard judges it)."""
    gradings = list(episode.gradings.all())
    legacy = next((g for g in gradings if g.legacy_category), None)
    return legacy is not None and not any(
        g.supervisory and not g.legacy_category and g.recorded_at >= legacy.recorded_at
        for g in gradings
    )


def current_grading_set(episode: MissingEpisode) -> None:
    latest = episode.gradings.order_by("-graded_at", "-recorded_at").first()
    episode.risk_level = latest.level if latest else ""
    episode.graded_at = latest.graded_at if latest else None
    episode.next_review_at = latest.next_review_at if latest else None
    episode.save(update_fields=["risk_level", "graded_at", "next_review_at"])


LEGACY_MAP = {
    LegacyCategory.ABSENT: RiskLevel.VERY_LOW,
    LegacyCategory.NO_APPARENT_RISK: RiskLevel.VERY_LOW,
}


@transaction.atomic
def legacy_grading_keep(
    *,
    actor,
    episode: MissingEpisode,
    as_recorded: str,
    graded_at: datetime,
    graded_by: str,
    rationale_text: str = "",
) -> RiskGrading:
    """Keep a source system's "absent" or "no apparent risk" exactly as it was recorded, mapped
    onto the continuum (very low), and flag the episode for a supervisor's review. Only imports
    call this: no one can choose these categories on a new grading (risk_grade refuses them)."""
    category = LegacyCategory(str(as_recorded).strip().lower().replace(" ", "_"))
    if category == LegacyCategory.NONE:
        raise Refused("A legacy grading needs the category the source recorded.")
    grading = RiskGrading.objects.create(
        episode=episode,
        level=LEGACY_MAP[category],
        legacy_category=category,
        graded_by=None,
        graded_by_label=graded_by,
        supervisory=False,
        graded_at=graded_at,
        recorded_at=_now(),
        model="",
        rationale={"as_recorded": rationale_text} if rationale_text else {},
    )
    episode.legacy_category = category
    episode.save(update_fields=["legacy_category"])
    current_grading_set(episode)
    _log(actor, episode, Operation.ALTERATION, {"legacy_grading": str(category)})
    _refresh(episode)
    return grading

"""Reporting a missing child, allocation, and repeat missing with its prompts."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from thinkchild.access.models import Operation
from thinkchild.missing.models import (
    MissingEpisode,
    MissingFrom,
    PhilomenaProfile,
    PromptKind,
    RepeatPrompt,
)
from thinkchild.missing.policy import (
    REPEAT_COUNT,
    REPEAT_WINDOW_DAYS,
)
from thinkchild.missing.services.common import (
    Refused,
    _log,
    _now,
    _open,
    _refresh,
    _refuse_if,
    child_age,
    is_supervisor,
)
from thinkchild.standards.policy import policy_value

# --- Reporting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """What the person reporting a child missing tells us."""

    reported_at: datetime
    reported_by: str
    missing_from: str
    reporter_relationship: str = ""
    reporter_contact: str = ""
    missing_from_location: object = None
    responsible_authority: object = None
    looked_after: bool = False
    last_seen_at: datetime | None = None
    last_seen_where: str = ""
    circumstances: str = ""
    known_risks: tuple[str, ...] = ()
    risk_notes: str = ""
    adult_associates: str = ""
    home_force: str = ""
    home_force_reference: str = ""


def _report_problems(child, report: Report, team, now: datetime) -> list[str]:
    problems = []
    age = child_age(child, report.reported_at)
    if age is not None and age >= 18:
        problems.append(
            f"{child} was {age} on the day of the report: Think Child records missing children."
        )
    if report.reported_at > now + timedelta(minutes=5):
        problems.append("The time of the report is in the future.")
    if report.last_seen_at and report.last_seen_at > report.reported_at:
        problems.append("The child was last seen after the report was made: check both times.")
    if not report.reported_by.strip():
        problems.append("Say who reported the child missing.")
    if report.missing_from not in MissingFrom.values:
        problems.append(
            "Say where the child is missing from: home, foster care, residential "
            "care or somewhere else."
        )
    in_care = report.missing_from in (MissingFrom.FOSTER_CARE, MissingFrom.RESIDENTIAL_CARE)
    if (report.looked_after or in_care) and report.responsible_authority is None:
        problems.append("A looked-after child's responsible local authority is needed.")
    if report.home_force_reference and not report.home_force.strip():
        problems.append("Name the home force that the reference belongs to.")
    if team.force_id != child.force_id:
        problems.append("The team holding the enquiry belongs to another force.")
    return problems


def _reference(reported_at: datetime) -> str:
    stem = f"MIS-{timezone.localtime(reported_at):%y%m%d}"
    taken = MissingEpisode.objects.filter(reference__startswith=stem).count()
    n = taken + 1
    while MissingEpisode.objects.filter(reference=f"{stem}-{n:04d}").exists():
        n += 1
    return f"{stem}-{n:04d}"


def repeat_episodes(child, at: datetime) -> int:
    """The child's episodes reported in the rolling window that ends at `at`, inclusive at both
    edges: one reported exactly `window` days earlier counts, one a second before does not. The
    days are counted in elapsed time (UTC), as missing.settle counts them for an import, so a
    change of clocks inside the window moves neither edge."""
    days = policy_value(REPEAT_WINDOW_DAYS.key, at)
    start = at.astimezone(UTC) - timedelta(days=days)
    return MissingEpisode.objects.filter(
        child=child, reported_at__gte=start, reported_at__lte=at
    ).count()


def prompt_kinds(episode: MissingEpisode, has_profile: bool | None = None) -> list[str]:
    """The repeat-missing prompts this episode raises (`has_profile`: whether the child has a
    Philomena profile, when the caller knows; else it is looked up)."""
    kinds = [PromptKind.PANEL, PromptKind.EXPLOITATION]
    age = child_age(episode, episode.reported_at)
    # CAWN (domain-rules.md §10): under 16 (s.2 Child Abduction Act 1984), or under 18 and in
    # care (s.49 Children Act 1989); only where an adult associate is known.
    under = age is None or age < 16 or (age < 18 and episode.looked_after)
    if under and episode.adult_associates.strip():
        kinds.append(PromptKind.CAWN)
    if has_profile is None:
        has_profile = PhilomenaProfile.objects.filter(child_id=episode.child_id).exists()
    if episode.looked_after or has_profile:
        kinds.append(PromptKind.PHILOMENA)
    return kinds


def _assess_repeat(episode: MissingEpisode) -> None:
    count = repeat_episodes(episode.child, episode.reported_at)
    threshold = policy_value(REPEAT_COUNT.key, episode.reported_at)
    episode.repeat_count = count
    episode.repeat_marker = count >= threshold
    episode.save(update_fields=["repeat_count", "repeat_marker"])
    if episode.repeat_marker:
        for kind in prompt_kinds(episode):
            RepeatPrompt.objects.get_or_create(
                episode=episode, kind=kind, defaults={"opened_at": episode.recorded_at}
            )


@transaction.atomic
def episode_report(
    *, actor, child, team, report: Report, officer=None, reference: str = ""
) -> MissingEpisode:
    """Record a child reported missing. A child missing from another force and believed to be
    here is recorded with the home force and its reference, and this force's `team` owns the
    local enquiries."""
    now = _now()
    _refuse_if(_report_problems(child, report, team, now))
    if officer is not None and officer.team_id != team.pk:
        raise Refused("The officer must belong to the team holding the enquiry.")
    episode = MissingEpisode.objects.create(
        force=team.force,
        area=team.area,
        team=team,
        officer=officer,
        allocated_at=now if officer else None,
        reference=reference or _reference(report.reported_at),
        child=child,
        reported_at=report.reported_at,
        reported_by=report.reported_by.strip(),
        reporter_relationship=report.reporter_relationship.strip(),
        reporter_contact=report.reporter_contact.strip(),
        recorded_by=actor,
        recorded_at=now,
        missing_from=report.missing_from,
        missing_from_location=report.missing_from_location,
        responsible_authority=report.responsible_authority,
        looked_after=report.looked_after
        or report.missing_from in (MissingFrom.FOSTER_CARE, MissingFrom.RESIDENTIAL_CARE),
        last_seen_at=report.last_seen_at,
        last_seen_where=report.last_seen_where.strip(),
        circumstances=report.circumstances.strip(),
        known_risks=sorted(set(report.known_risks)),
        risk_notes=report.risk_notes.strip(),
        adult_associates=report.adult_associates.strip(),
        home_force=report.home_force.strip(),
        home_force_reference=report.home_force_reference.strip(),
    )
    _assess_repeat(episode)
    _log(actor, episode, Operation.COLLECTION, {"reported": True, "team": str(team.pk)})
    _refresh(episode)
    return episode


@transaction.atomic
def episode_allocate(*, actor, episode: MissingEpisode, officer, at: datetime | None = None):
    """Give the enquiry to an officer of the team holding it."""
    _open(episode)
    if not is_supervisor(actor) and actor.pk != officer.pk:
        raise Refused("A supervisor allocates missing episodes (an officer may take one).")
    if officer.team_id != episode.team_id:
        raise Refused("The officer must belong to the team holding the enquiry.")
    episode.officer, episode.allocated_at = officer, at or _now()
    episode.save(update_fields=["officer", "allocated_at"])
    _log(actor, episode, Operation.ALTERATION, {"allocated_to": str(officer.pk)})
    _refresh(episode)
    return episode

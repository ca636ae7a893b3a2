"""The return: found, the prevention interview, the local authority's return home interview,
and closure once its conditions are met."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from thinkchild.access.models import Operation
from thinkchild.missing.models import (
    EpisodeStatus,
    FoundReport,
    InterviewMethod,
    MissingEpisode,
    PreventionInterview,
    ReturnHomeInterview,
    one_or_none,
)
from thinkchild.missing.services.common import (
    REASON_MIN,
    Refused,
    _log,
    _now,
    _open,
    _refresh,
    _refuse_if,
    _when,
)

# --- Found, interviews, closure -------------------------------------------------------------


@transaction.atomic
def found_record(
    *,
    actor,
    episode: MissingEpisode,
    found_at: datetime,
    found_where: str,
    found_by: str,
    found_with: str = "",
) -> FoundReport:
    """The child is found or has come back. A child back before anyone was allocated is still an
    episode with every obligation: they hang on the time found, not on allocation."""
    _open(episode)
    now = _now()
    problems = []
    if episode.status != EpisodeStatus.MISSING:
        problems.append(f"{episode.child} has already been recorded as found.")
    if found_at < episode.reported_at:
        problems.append(
            f"The child cannot be found before they were reported missing "
            f"({_when(episode.reported_at)})."
        )
    if found_at > now + timedelta(minutes=5):
        problems.append("The time found is in the future.")
    if not found_where.strip():
        problems.append("Say where the child was found.")
    if not found_by.strip():
        problems.append("Say who found the child, or that they came back themselves.")
    _refuse_if(problems)
    found = _once(
        FoundReport,
        f"{episode.child} has already been recorded as found.",
        episode=episode,
        found_at=found_at,
        found_where=found_where.strip(),
        found_with=found_with.strip(),
        found_by=found_by.strip(),
        before_allocation=episode.officer_id is None,
        recorded_by=actor,
        recorded_at=now,
    )
    episode.status, episode.found_at = EpisodeStatus.FOUND, found_at
    episode.save(update_fields=["status", "found_at"])
    _log(actor, episode, Operation.ALTERATION, {"found": True})
    _refresh(episode)
    return found


def _once(model, refusal: str, **values):
    """Create the episode's one found report or interview; a second made at the same moment (two
    taps on a phone) is refused as the first check would have refused it, not a server error."""
    try:
        with transaction.atomic():
            return model.objects.create(**values)
    except IntegrityError:
        raise Refused(refusal) from None


def _found(episode: MissingEpisode, what: str) -> datetime:
    if episode.found_at is None:
        raise Refused(f"Record that the child has been found before recording {what}.")
    return episode.found_at


@transaction.atomic
def prevention_interview_record(
    *,
    actor,
    episode: MissingEpisode,
    done: bool,
    held_at: datetime | None = None,
    held_by=None,
    method: str = "",
    method_reason: str = "",
    child_account: str = "",
    risks_found: str = "",
    not_done_reason: str = "",
) -> PreventionInterview:
    """The police prevention (safe and well) interview, or why it was not done."""
    _open(episode)
    found_at = _found(episode, "the prevention interview")
    now = _now()
    problems = []
    if hasattr(episode, "prevention_interview"):
        problems.append("The prevention interview is already recorded for this episode.")
    if done:
        if held_at is None:
            problems.append("Say when the prevention interview was held.")
        elif held_at < found_at:
            problems.append(
                f"The prevention interview cannot be before the child was found "
                f"({_when(found_at)})."
            )
        elif held_at > now + timedelta(minutes=5):
            problems.append("The interview's time is in the future.")
        if method not in InterviewMethod.values:
            problems.append("Say whether the interview was face to face or by telephone.")
        elif method == InterviewMethod.TELEPHONE and len(method_reason.strip()) < REASON_MIN:
            problems.append(
                "A prevention interview is face to face unless there is a reason: say why it "
                "was by telephone."
            )
        if not child_account.strip():
            problems.append("Record what the child said.")
    elif len(not_done_reason.strip()) < REASON_MIN:
        problems.append("Say why the prevention interview was not done.")
    _refuse_if(problems)
    interview = _once(
        PreventionInterview,
        "The prevention interview is already recorded for this episode.",
        episode=episode,
        done=done,
        held_at=held_at if done else None,
        held_by=(held_by or actor) if done else None,
        held_by_label=(held_by or actor).get_full_name() if done else "",
        method=method if done else "",
        method_reason=method_reason.strip() if done else "",
        child_account=child_account.strip() if done else "",
        risks_found=risks_found.strip() if done else "",
        not_done_reason="" if done else not_done_reason.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    if done:
        episode.prevention_done = True
        episode.save(update_fields=["prevention_done"])
    _log(actor, episode, Operation.ALTERATION, {"prevention_interview": "done" if done else "no"})
    _refresh(episode)
    return interview


def _rhi(episode: MissingEpisode) -> ReturnHomeInterview:
    return ReturnHomeInterview.objects.get_or_create(episode=episode)[0]


@transaction.atomic
def authority_notify(
    *, actor, episode: MissingEpisode, at: datetime | None = None
) -> ReturnHomeInterview:
    """The local authority is told the child has returned, so it can offer the return home
    interview within 72 hours of the return."""
    _open(episode)
    found_at = _found(episode, "that the local authority was told")
    at = at or _now()
    if at < found_at:
        raise Refused(
            f"The local authority is notified of the return, which was at {_when(found_at)}: "
            "the time given is before it."
        )
    if at > _now() + timedelta(minutes=5):
        raise Refused("The time of the notification is in the future.")
    rhi = _rhi(episode)
    rhi.authority_notified_at, rhi.authority_notified_by = at, actor
    rhi.save(update_fields=["authority_notified_at", "authority_notified_by"])
    _log(actor, episode, Operation.ALTERATION, {"authority_notified": True})
    _refresh(episode)
    return rhi


@transaction.atomic
def return_home_interview_record(
    *,
    actor,
    episode: MissingEpisode,
    offered_at: datetime | None = None,
    held_at: datetime | None = None,
    declined: bool = False,
    findings_received_at: datetime | None = None,
    findings: str = "",
    police_actions: str = "",
    protective_plan_updated: bool = False,
) -> ReturnHomeInterview:
    """What the local authority's return home interview came to, as far as the police know it,
    and what the police did with it."""
    found_at = _found(episode, "the return home interview")
    now = _now()
    problems = []
    for label, moment in (
        ("offered", offered_at),
        ("held", held_at),
        ("received", findings_received_at),
    ):
        if moment is not None and moment < found_at:
            problems.append(
                f"The return home interview cannot be {label} before the child returned "
                f"({_when(found_at)})."
            )
        if moment is not None and moment > now + timedelta(minutes=5):
            problems.append(f"The time {label} is in the future.")
    if held_at and offered_at and held_at < offered_at:
        problems.append("The interview was held before it was offered.")
    if held_at and declined:
        problems.append("An interview the child declined was not held.")
    if findings_received_at and not findings.strip():
        problems.append("Record what the return home interview found.")
    if findings.strip() and findings_received_at is None:
        problems.append("Say when the findings were received.")
    if protective_plan_updated and not police_actions.strip():
        problems.append("Say what changed in the protective plan.")
    _refuse_if(problems)
    rhi = _rhi(episode)
    changed = []
    for name, value in (
        ("offered_at", offered_at),
        ("held_at", held_at),
        ("findings_received_at", findings_received_at),
    ):
        if value is not None:
            setattr(rhi, name, value)
            changed.append(name)
    if declined:
        rhi.declined = True
        changed.append("declined")
    if findings.strip():
        rhi.findings = findings.strip()
        changed.append("findings")
    if police_actions.strip():
        rhi.police_actions = police_actions.strip()
        changed.append("police_actions")
    if protective_plan_updated and rhi.protective_plan_updated_at is None:
        rhi.protective_plan_updated_at = now
        changed.append("protective_plan_updated_at")
    rhi.save()
    if rhi.held_at != episode.return_interview_held_at:
        episode.return_interview_held_at = rhi.held_at
        episode.save(update_fields=["return_interview_held_at"])
    _log(actor, episode, Operation.ALTERATION, {"return_home_interview": changed})
    _refresh(episode)
    return rhi


def closure_problems(episode: MissingEpisode) -> list[str]:
    """What still stands between an episode and its closure (empty when it can close)."""
    problems = []
    if episode.found_at is None:
        problems.append("the child has not been found")
    if not PreventionInterview.objects.filter(episode=episode).exists():
        problems.append("the prevention interview is neither recorded nor explained")
    if not ReturnHomeInterview.objects.filter(
        episode=episode, authority_notified_at__isnull=False
    ).exists():
        problems.append("the local authority has not been notified of the return")
    return problems


def closure_ready(episode: MissingEpisode) -> bool:
    """closure_problems() is empty, read from what the episode already holds (its found report
    and interviews fetched with it): for settling many episodes without a query each."""
    rhi = one_or_none(episode, "return_home_interview")
    return (
        episode.found_at is not None
        and one_or_none(episode, "prevention_interview") is not None
        and rhi is not None
        and rhi.authority_notified_at is not None
    )


@transaction.atomic
def episode_close(*, actor, episode: MissingEpisode, at: datetime | None = None):
    """Close an episode: only once the child is found, the prevention interview is recorded or
    explained, and the local authority has been notified."""
    _open(episode)
    problems = closure_problems(episode)
    if problems:
        raise Refused(f"{episode.reference} cannot be closed yet: {'; '.join(problems)}.")
    episode.status, episode.closed_at, episode.closed_by = EpisodeStatus.CLOSED, at or _now(), actor
    episode.save(update_fields=["status", "closed_at", "closed_by"])
    _log(actor, episode, Operation.ALTERATION, {"closed": True})
    _refresh(episode)
    return episode

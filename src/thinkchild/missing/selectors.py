"""Every read of missing children's episodes: scoped like investigations, each opening logged."""

from uuid import UUID

from django.db.models import Prefetch, Q
from django.http import Http404

from thinkchild.access.log import Subject, processing_log_record, records_read_log
from thinkchild.access.models import AccessListEntry
from thinkchild.access.policy import Action, RecordKind, role_can
from thinkchild.access.scope import AccessDenied, decide, held_scope_q
from thinkchild.missing.models import (
    EpisodeStatus,
    MissingEpisode,
    PhilomenaProfile,
    RepeatPrompt,
    RiskGrading,
)
from thinkchild.people.selectors.common import consultation_operation


def episode_scope_q(user, prefix: str = "") -> Q:
    """Episodes this user sees without asking: held by their team, their area, or them."""
    return held_scope_q(user, prefix=prefix, holder="officer_id")


def child_open_q(user, prefix: str = "") -> Q:
    """Episodes whose child this user may know of: not restricted, or on the child's access list
    (a restricted person opens only for the people listed, whatever the episode says)."""
    listed = AccessListEntry.objects.filter(subject_type="person", user=user).values("subject_id")
    return Q(**{f"{prefix}child__is_restricted": False}) | Q(**{f"{prefix}child_id__in": listed})


def episodes_read_log(user, episodes, justification: str, out_of_scope: bool = False) -> None:
    """One entry for each episode read (access.log.records_read_log)."""
    records_read_log(
        user=user,
        subjects=[
            Subject(type="missing_episode", id=episode.pk, label=episode.reference)
            for episode in episodes
        ],
        justification=justification,
        out_of_scope=out_of_scope,
    )


def episodes_list(*, user, open_only: bool = True, limit: int = 200) -> list[MissingEpisode]:
    """Episodes in the user's scope, those still open first, newest report first."""
    if not role_can(user.role, RecordKind.MISSING_EPISODE, Action.SEARCH):
        raise AccessDenied("You cannot list missing episodes.", kind=RecordKind.MISSING_EPISODE)
    found = MissingEpisode.objects.filter(
        episode_scope_q(user), child_open_q(user), is_restricted=False
    )
    if open_only:
        found = found.exclude(status=EpisodeStatus.CLOSED)
    rows = list(found.select_related("child", "team", "officer").order_by("-reported_at")[:limit])
    episodes_read_log(user, rows, "Missing episodes list")
    return rows


def episode_get(
    *, user, episode_id: UUID | str, reason: str | None = None, action: Action = Action.VIEW
) -> MissingEpisode:
    """One episode with everything recorded on it, if `user` may open it."""
    episode = (
        MissingEpisode.objects.select_related(
            "child",
            "team",
            "area",
            "officer",
            "responsible_authority",
            "missing_from_location",
            "found",
            "prevention_interview__held_by",
            "return_home_interview",
        )
        .prefetch_related(
            Prefetch(
                "gradings",
                queryset=RiskGrading.objects.select_related("graded_by", "override_by")
                .prefetch_related("sources")
                .order_by("graded_at", "recorded_at"),
            ),
            "enquiries__done_by",
            Prefetch("prompts", queryset=RepeatPrompt.objects.select_related("actioned_by")),
        )
        .filter(pk=episode_id)
        .first()
    )
    if episode is None:
        raise Http404("No missing episode has this id.")
    if not MissingEpisode.objects.filter(child_open_q(user), pk=episode.pk).exists():
        raise AccessDenied(
            "This child's record is restricted to the people on its access list.",
            kind=RecordKind.MISSING_EPISODE,
            record_id=episode.pk,
        )
    in_scope = MissingEpisode.objects.filter(episode_scope_q(user), pk=episode.pk).exists()
    decision = decide(
        user=user,
        kind=RecordKind.MISSING_EPISODE,
        record=episode,
        in_scope=in_scope,
        reason=reason,
        action=action,
    )
    episodes_read_log(user, [episode], decision.justification, decision.out_of_scope)
    return episode


def prompt_get(*, user, prompt_id, reason=None, action=Action.RECORD):
    """A repeat-missing prompt and its episode, through the episode's access check."""
    episode_id = (
        RepeatPrompt.objects.filter(pk=prompt_id).values_list("episode_id", flat=True).first()
    )
    if episode_id is None:
        raise Http404("No such prompt.")
    episode = episode_get(user=user, episode_id=episode_id, reason=reason, action=action)
    return next(p for p in episode.prompts.all() if p.pk == prompt_id), episode


def child_episodes(*, user, child) -> list[MissingEpisode]:
    """A child's episodes that the user may open, newest first (the child's episode history).

    The caller has opened the child through the people selectors; each episode shown is logged
    as consulted. Episodes outside the user's scope or restricted are left out."""
    if not role_can(user.role, RecordKind.MISSING_EPISODE, Action.VIEW):
        return []
    rows = list(
        MissingEpisode.objects.filter(child=child, force_id=user.force_id, is_restricted=False)
        .filter(episode_scope_q(user))
        .select_related("team", "found", "prevention_interview", "return_home_interview")
        .order_by("-reported_at")
    )
    episodes_read_log(user, rows, f"Missing episode history of {child}")
    return rows


def philomena_profile_of(
    *, user, child, justification: str = "Philomena profile"
) -> PhilomenaProfile | None:
    """A child's Philomena profile (the caller has opened the child, or an episode of theirs);
    reading it is logged as a consultation of the child's record."""
    profile = PhilomenaProfile.objects.filter(child_id=child.pk).first()
    if profile is not None:
        operation, recipient = consultation_operation(user)
        processing_log_record(
            operation=operation,
            actor=user,
            subject=Subject(type="person", id=child.pk, label=str(child)),
            justification=justification,
            recipient=recipient,
        )
    return profile


def philomena_profile_for(*, user, episode: MissingEpisode) -> PhilomenaProfile | None:
    """The child's Philomena profile, shown at once with the episode the caller has opened."""
    return philomena_profile_of(
        user=user,
        child=episode.child,
        justification=f"Missing episode {episode.reference}: Philomena profile",
    )

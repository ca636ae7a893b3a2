"""Bringing imported episodes' derived state up to date, once each, after an import.

An import writes an episode's parts as separate records (gradings, the found report, interviews),
in bulk and in any order across files. What follows from them together (the current grading, the
status, the repeat count and its prompts, closure once its conditions are met, and the
obligations) is worked out here for each episode the import marked unsettled: at the end of the
import, and by the scheduler's tick for any an interrupted import left behind.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.db.models import Q

from thinkchild.missing.models import (
    EpisodeStatus,
    FoundReport,
    LegacyCategory,
    MissingEpisode,
    RepeatPrompt,
)
from thinkchild.missing.policy import REPEAT_COUNT, REPEAT_WINDOW_DAYS
from thinkchild.missing.services import closure_problems, current_grading_set, prompt_kinds
from thinkchild.standards.policy import Policy
from thinkchild.standards.services import obligations_refresh

CHUNK = 500


def episodes_mark_unsettled(episode_ids: Iterable) -> None:
    ids = list(set(episode_ids))
    if ids:
        MissingEpisode.objects.filter(pk__in=ids).update(settled=False)


def _repeat_counts(child_ids: set, policy: Policy) -> dict:
    """Each episode of these children: how many of the child's episodes fall in the window that
    ends at its report (itself included), as services.repeat_episodes counts them."""
    counts = {}
    rows = (
        MissingEpisode.objects.filter(child_id__in=child_ids)
        .order_by("child_id", "reported_at")
        .values_list("pk", "child_id", "reported_at")
    )
    by_child: dict = {}
    for pk, child_id, reported_at in rows:
        by_child.setdefault(child_id, []).append((pk, reported_at))
    for episodes in by_child.values():
        for pk, reported_at in episodes:
            start = reported_at - timedelta(days=policy(REPEAT_WINDOW_DAYS.key, reported_at))
            counts[pk] = sum(1 for _, at in episodes if start <= at <= reported_at)
    return counts


def _settle(episode: MissingEpisode, count: int, policy: Policy) -> None:
    current_grading_set(episode)
    legacy = episode.gradings.exclude(legacy_category="").values_list("legacy_category", flat=True)
    episode.legacy_category = next(iter(legacy), LegacyCategory.NONE)
    found = FoundReport.objects.filter(episode=episode).first()
    episode.found_at = found.found_at if found else None
    if episode.status != EpisodeStatus.CLOSED:
        episode.status = EpisodeStatus.FOUND if found else EpisodeStatus.MISSING
        if episode.source_closed_at and not closure_problems(episode):
            episode.status, episode.closed_at = EpisodeStatus.CLOSED, episode.source_closed_at
    episode.repeat_count = count
    episode.repeat_marker = count >= policy(REPEAT_COUNT.key, episode.reported_at)
    episode.settled = True
    episode.save(
        update_fields=[
            "legacy_category",
            "found_at",
            "status",
            "closed_at",
            "repeat_count",
            "repeat_marker",
            "settled",
        ]
    )
    # Prompts are for episodes still open: a closed episode's were dealt with in its own system.
    if episode.repeat_marker and episode.status != EpisodeStatus.CLOSED:
        for kind in prompt_kinds(episode):
            RepeatPrompt.objects.get_or_create(
                episode=episode, kind=kind, defaults={"opened_at": episode.reported_at}
            )
    obligations_refresh(subject_type="missing_episode", subject_id=episode.pk, policy=policy)


def episodes_settle(*, limit: int | None = None) -> int:
    """Settle every episode an import left unsettled (with the other episodes of its child, whose
    repeat counts it may change); returns how many were settled."""
    policy = Policy()
    done = 0
    while limit is None or done < limit:
        ids = list(
            MissingEpisode.objects.filter(settled=False)
            .order_by("pk")
            .values_list("pk", flat=True)[:CHUNK]
        )
        if not ids:
            break
        with transaction.atomic():
            children = set(
                MissingEpisode.objects.filter(pk__in=ids).values_list("child_id", flat=True)
            )
            counts = _repeat_counts(children, policy)
            changed_counts = [
                pk
                for pk, count in MissingEpisode.objects.filter(child_id__in=children)
                .exclude(pk__in=ids)
                .values_list("pk", "repeat_count")
                if counts[pk] != count
            ]
            episodes = MissingEpisode.objects.filter(
                Q(pk__in=ids) | Q(pk__in=changed_counts)
            ).select_related("child")
            for episode in episodes:
                _settle(episode, counts[episode.pk], policy)
                done += 1
    return done

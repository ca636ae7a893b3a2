"""Bringing imported episodes' derived state up to date, once each, after an import.

An import writes an episode's parts as separate records (gradings, the found report, interviews),
in bulk and in any order across files. What follows from them together (the current grading, the
status, the repeat count and its prompts, closure once its conditions are met, and the
obligations) is worked out here for each episode the import marked unsettled: at the end of the
import, and by the scheduler's tick for any an interrupted import left behind.

It works a chunk of episodes at a time in a few queries, whatever the chunk's size: the rules are
the services' own (current grading, prompt kinds, closure conditions), read from what was fetched
with the episodes, and the obligations come from the engine's bulk refresh.
"""

from collections.abc import Iterable
from datetime import UTC, timedelta

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from thinkchild.interchange.bulk import history_copy, rows_update
from thinkchild.missing.models import (
    EpisodeStatus,
    LegacyCategory,
    MissingEpisode,
    PhilomenaProfile,
    RepeatPrompt,
    RiskGrading,
    one_or_none,
)
from thinkchild.missing.policy import REPEAT_COUNT, REPEAT_WINDOW_DAYS
from thinkchild.missing.services.reporting import prompt_kinds
from thinkchild.missing.services.returns import closure_ready
from thinkchild.standards.policy import Policy
from thinkchild.standards.services import obligations_refresh_many

CHUNK = 1000
SETTLED_FIELDS = [
    "risk_level",
    "graded_at",
    "next_review_at",
    "legacy_category",
    "found_at",
    "prevention_done",
    "return_interview_held_at",
    "status",
    "closed_at",
    "repeat_count",
    "repeat_marker",
    "settled",
]


def episodes_mark_unsettled(episode_ids: Iterable) -> None:
    ids = list(set(episode_ids))
    if ids:
        # Only those not already marked: an update writes a new row version even when nothing
        # changes, and each is a dead row for the summary's scans until vacuumed.
        MissingEpisode.objects.filter(pk__in=ids, settled=True).update(settled=False)


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
            days = policy(REPEAT_WINDOW_DAYS.key, reported_at)
            start = reported_at.astimezone(UTC) - timedelta(days=days)
            counts[pk] = sum(1 for _, at in episodes if start <= at <= reported_at)
    return counts


def _loaded(ids: list):
    """The episodes with everything the settling and the standards read, fetched together (but
    their prompts, which the settling may add to: fetched after it)."""
    return (
        MissingEpisode.objects.filter(pk__in=ids)
        .select_related("child", "found", "prevention_interview", "return_home_interview")
        .prefetch_related(
            Prefetch("gradings", queryset=RiskGrading.objects.order_by("graded_at", "recorded_at"))
        )
    )


def _settle(episode: MissingEpisode, count: int, policy: Policy) -> None:
    """The episode's derived fields from its parts (the services' rules, without a query)."""
    gradings = list(episode.gradings.all())
    latest = max(gradings, key=lambda g: (g.graded_at, g.recorded_at), default=None)
    episode.risk_level = latest.level if latest else ""
    episode.graded_at = latest.graded_at if latest else None
    episode.next_review_at = latest.next_review_at if latest else None
    legacy = next((g.legacy_category for g in gradings if g.legacy_category), "")
    episode.legacy_category = legacy or LegacyCategory.NONE
    found = one_or_none(episode, "found")
    episode.found_at = found.found_at if found else None
    interview = one_or_none(episode, "prevention_interview")
    episode.prevention_done = bool(interview and interview.done)
    rhi = one_or_none(episode, "return_home_interview")
    episode.return_interview_held_at = rhi.held_at if rhi else None
    if episode.status != EpisodeStatus.CLOSED:
        episode.status = EpisodeStatus.FOUND if found else EpisodeStatus.MISSING
        if episode.source_closed_at and closure_ready(episode):
            episode.status, episode.closed_at = EpisodeStatus.CLOSED, episode.source_closed_at
    episode.repeat_count = count
    episode.repeat_marker = count >= policy(REPEAT_COUNT.key, episode.reported_at)
    episode.settled = True


def _chunk_settle(ids: list, policy: Policy) -> int:
    children = set(MissingEpisode.objects.filter(pk__in=ids).values_list("child_id", flat=True))
    counts = _repeat_counts(children, policy)
    # The child's other episodes whose repeat count the new ones change are settled with them.
    moved = [
        pk
        for pk, count in MissingEpisode.objects.filter(child_id__in=children)
        .exclude(pk__in=ids)
        .values_list("pk", "repeat_count")
        if counts[pk] != count
    ]
    episodes = list(_loaded(ids + moved))
    for episode in episodes:
        _settle(episode, counts[episode.pk], policy)
    # The import's own UPDATE ... FROM arrays: bulk_update's CASE per field and row cost more than
    # all the rest of the settling.
    rows_update(MissingEpisode, episodes, SETTLED_FIELDS)
    history_copy(
        MissingEpisode,
        [e.pk for e in episodes],
        history_type="~",
        user_id=None,
        date=timezone.now(),
        reason="settled after an import",
    )
    # Prompts are for episodes still open: a closed episode's were dealt with in its own system.
    profiles = set(
        PhilomenaProfile.objects.filter(child_id__in=children).values_list("child_id", flat=True)
    )
    RepeatPrompt.objects.bulk_create(
        [
            RepeatPrompt(episode=episode, kind=kind, opened_at=episode.recorded_at)
            for episode in episodes
            if episode.repeat_marker and episode.status != EpisodeStatus.CLOSED
            for kind in prompt_kinds(episode, has_profile=episode.child_id in profiles)
        ],
        ignore_conflicts=True,
    )
    # The prompts, those just made included, for the standards.
    prefetch_related_objects(episodes, "prompts")
    obligations_refresh_many(
        subject_type="missing_episode", subjects={e.pk: e for e in episodes}, policy=policy
    )
    return len(episodes)


def episodes_settle(*, limit: int | None = None) -> int:
    """Settle every episode an import left unsettled (with the other episodes of its child, whose
    repeat counts it may change), a chunk at a time; returns how many were settled."""
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
            done += _chunk_settle(ids, policy)
    return done

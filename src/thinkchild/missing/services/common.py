"""What every write about missing children shares: the refusal, who supervises, the log and
the refresh of obligations after each write."""

from datetime import datetime

from django.utils import timezone

from thinkchild.access.log import Subject, processing_log_record
from thinkchild.access.models import Operation
from thinkchild.missing.models import (
    EpisodeStatus,
    MissingEpisode,
)
from thinkchild.org.models import Role
from thinkchild.people.age import age_on
from thinkchild.standards.services import obligations_refresh

SUPERVISOR_ROLES = frozenset({Role.SUPERVISOR, Role.DETECTIVE_INSPECTOR, Role.PPU_LEAD})
REASON_MIN = 10

ABSENT_WORDS = frozenset({"absent", "no_apparent_risk", "no apparent risk", "no-apparent-risk"})
ABSENT_REFUSAL = (
    "'Absent' and 'no apparent risk' are not risk levels: national guidance withdrew the absent "
    "category in January 2017, and every child whose whereabouts cannot be established is missing. "
    "Choose high, medium, low or very low."
)


class Refused(ValueError):
    """A write that cannot be made, with the reason the person making it can act on."""


def _now() -> datetime:
    return timezone.now()


def _subject(episode: MissingEpisode) -> Subject:
    return Subject(type="missing_episode", id=episode.pk, label=episode.reference)


def _log(actor, episode: MissingEpisode, operation: Operation, detail: dict, **kwargs) -> None:
    processing_log_record(
        operation=operation, actor=actor, subject=_subject(episode), detail=detail, **kwargs
    )


def _refresh(episode: MissingEpisode) -> None:
    obligations_refresh(subject_type="missing_episode", subject_id=episode.pk)


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d %B %Y %H:%M}"


def _refuse_if(problems: list[str]) -> None:
    if problems:
        raise Refused(" ".join(problems))


def is_supervisor(user) -> bool:
    return getattr(user, "role", None) in SUPERVISOR_ROLES


def child_age(episode_or_child, on: datetime) -> int | None:
    child = getattr(episode_or_child, "child", episode_or_child)
    return age_on(child, timezone.localdate(on))


def _open(episode: MissingEpisode) -> None:
    if episode.status == EpisodeStatus.CLOSED:
        raise Refused(f"Episode {episode.reference} is closed: nothing more can be added to it.")

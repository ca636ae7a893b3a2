"""The enquiries log, the supervisor's repeat-missing prompts, and Philomena profiles."""

from datetime import datetime, timedelta

from django.db import transaction

from thinkchild.access.log import Subject, processing_log_record
from thinkchild.access.models import Operation
from thinkchild.missing.models import (
    EnquiryAction,
    EnquiryKind,
    MissingEpisode,
    PhilomenaProfile,
    PromptKind,
    RepeatPrompt,
)
from thinkchild.missing.services.common import (
    REASON_MIN,
    Refused,
    _log,
    _now,
    _open,
    _refresh,
    _refuse_if,
    is_supervisor,
)

# --- Enquiries -----------------------------------------------------------------------------


@transaction.atomic
def enquiry_record(
    *,
    actor,
    episode: MissingEpisode,
    kind: str,
    details: str,
    result: str = "",
    done_at: datetime | None = None,
) -> EnquiryAction:
    """A line of the enquiries log; a direction of the search is a supervisor's."""
    _open(episode)
    now = _now()
    done_at = done_at or now
    try:
        kind = EnquiryKind(kind)
    except ValueError:
        raise Refused(f"'{kind}' is not a kind of enquiry.") from None
    problems = []
    if kind == EnquiryKind.DIRECTION and not is_supervisor(actor):
        problems.append("Only a supervisor directs the search.")
    if not details.strip():
        problems.append("Say what was done.")
    if done_at > now + timedelta(minutes=5):
        problems.append("The enquiry's time is in the future.")
    if done_at < episode.reported_at - timedelta(hours=24):
        problems.append("The enquiry is dated more than a day before the report.")
    _refuse_if(problems)
    action = EnquiryAction.objects.create(
        episode=episode,
        kind=kind,
        done_by=actor,
        done_by_label=actor.get_full_name() or str(actor),
        done_at=done_at,
        recorded_at=now,
        details=details.strip(),
        result=result.strip(),
    )
    _log(actor, episode, Operation.ALTERATION, {"enquiry": str(kind)})
    return action


# --- Repeat prompts and Philomena profiles --------------------------------------------------


@transaction.atomic
def prompt_action(
    *, actor, prompt: RepeatPrompt, outcome: str, at: datetime | None = None
) -> RepeatPrompt:
    """A supervisor records what was done about a repeat-missing prompt."""
    if not is_supervisor(actor):
        raise Refused("A supervisor records what was done about a repeat-missing prompt.")
    if prompt.actioned_at is not None:
        raise Refused("This prompt has already been actioned.")
    if len(outcome.strip()) < REASON_MIN:
        raise Refused("Say what was decided or done.")
    at = at or _now()
    if at < prompt.opened_at:
        raise Refused("The prompt cannot be actioned before it was raised.")
    prompt.actioned_at, prompt.actioned_by, prompt.outcome = at, actor, outcome.strip()
    prompt.save(update_fields=["actioned_at", "actioned_by", "outcome"])
    if prompt.kind == PromptKind.PHILOMENA:
        profile = PhilomenaProfile.objects.filter(child_id=prompt.episode.child_id).first()
        if profile is not None:
            # A save, not an update: the profile's change history and the log record the review.
            profile.reviewed_at = at
            profile.save(update_fields=["reviewed_at"])
            child = prompt.episode.child
            processing_log_record(
                operation=Operation.ALTERATION,
                actor=actor,
                subject=Subject(type="person", id=child.pk, label=str(child)),
                detail={"philomena_profile_reviewed": True},
            )
    _log(actor, prompt.episode, Operation.ALTERATION, {"prompt_actioned": prompt.kind})
    _refresh(prompt.episode)
    return prompt


@transaction.atomic
def philomena_profile_save(*, actor, child, held_by: str, description: str, **parts):
    """Part 1 of the Philomena Protocol, held in advance and kept up to date by the carer."""
    allowed = {"photo_reference", "associates", "places", "phones", "medical", "missing_history"}
    unknown = set(parts) - allowed
    if unknown:
        raise Refused(f"A Philomena profile has no {', '.join(sorted(unknown))}.")
    if not held_by.strip() or not description.strip():
        raise Refused("A Philomena profile needs who holds it and a description of the child.")
    values = {k: str(v).strip() for k, v in parts.items()}
    profile, created = PhilomenaProfile.objects.update_or_create(
        child=child,
        defaults={
            "force_id": child.force_id,
            "held_by": held_by.strip(),
            "description": description.strip(),
            "updated_at": _now(),
            **values,
        },
    )
    processing_log_record(
        operation=Operation.COLLECTION if created else Operation.ALTERATION,
        actor=actor,
        subject=Subject(type="person", id=child.pk, label=str(child)),
        detail={"philomena_profile": True},
    )
    return profile


@transaction.atomic
def philomena_profile_send(*, actor, episode: MissingEpisode) -> EnquiryAction:
    """Send the child's Philomena profile to the team holding the enquiry: a logged disclosure,
    and a line of the enquiries log."""
    _open(episode)
    profile = PhilomenaProfile.objects.filter(child_id=episode.child_id).first()
    if profile is None:
        raise Refused(f"{episode.child} has no Philomena profile.")
    recipient = f"Enquiry team: {episode.team}"
    processing_log_record(
        operation=Operation.DISCLOSURE,
        actor=actor,
        subject=Subject(type="person", id=episode.child_id, label=str(episode.child)),
        justification=f"Missing episode {episode.reference}: Philomena Protocol",
        recipient=recipient,
        detail={"philomena_profile": str(profile.pk)},
    )
    return enquiry_record(
        actor=actor,
        episode=episode,
        kind=EnquiryKind.PHILOMENA,
        details=f"Philomena profile (held by {profile.held_by}) sent to {episode.team}.",
    )

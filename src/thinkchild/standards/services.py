"""The engine: obligations follow their subjects; the tick marks the overdue and escalates them.

`obligations_refresh` is called by every service that changes a subject, inside its transaction.
It asks each standard what the subject should have and makes the stored obligations match, so it
is idempotent: a second call, or the full re-evaluation, changes nothing.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from thinkchild.org.models import Role, User
from thinkchild.standards.models import (
    OPEN_STATUSES,
    Escalation,
    Notification,
    Obligation,
    ObligationStatus,
)
from thinkchild.standards.policy import Policy
from thinkchild.standards.registry import (
    Expectation,
    Parameter,
    standards_for,
    subject_types,
)

logger = logging.getLogger(__name__)

ESCALATE_TO_INSPECTOR = Parameter(
    key="standards.escalate_to_inspector_after_hours",
    title="Hours an obligation stays overdue before the inspector is told",
    default=24,
    unit="hours",
    minimum=1,
    maximum=24 * 14,
)

NO_LONGER_EXPECTED = "No longer expected: the record changed so that this standard does not apply."

_FIELDS = (
    "title",
    "opened_at",
    "due_at",
    "met_at",
    "owner_team_id",
    "owner_id",
    "cancelled_reason",
    "status",
)


def obligation_status(expectation: Expectation, now: datetime) -> ObligationStatus:
    if expectation.cancelled_reason:
        return ObligationStatus.CANCELLED
    if expectation.met_at is not None:
        # <=, not ==: two aware datetimes in the repeated hour of a clock change compare unequal.
        on_time = expectation.met_at <= expectation.due_at
        return ObligationStatus.MET_ON_TIME if on_time else ObligationStatus.MET_LATE
    return ObligationStatus.OVERDUE if now > expectation.due_at else ObligationStatus.OPEN


def _check(standard_id: str, expectation: Expectation) -> None:
    if expectation.due_at < expectation.opened_at:
        raise ValueError(
            f"{standard_id} ({expectation.key}): due {expectation.due_at:%d/%m/%Y %H:%M}, "
            f"before it opened ({expectation.opened_at:%d/%m/%Y %H:%M})."
        )


@transaction.atomic
def obligations_refresh(
    *, subject_type: str, subject_id: UUID, now: datetime | None = None, policy=None
) -> int:
    """Make the subject's stored obligations match what its standards expect; returns how many
    obligations were opened, changed or cancelled."""
    subject = subject_types()[subject_type].load(subject_id)
    return obligations_refresh_many(
        subject_type=subject_type, subjects={subject_id: subject}, now=now, policy=policy
    )


def _expected(subject_type: str, subject, policy) -> dict[tuple[str, str], Expectation]:
    expected: dict[tuple[str, str], Expectation] = {}
    if subject is not None:
        for standard in standards_for(subject_type):
            for expectation in standard.expectations(subject, policy):
                _check(standard.id, expectation)
                expected[standard.id, expectation.key] = expectation
    return expected


def _values(expectation: Expectation, now: datetime) -> dict:
    return {
        "title": expectation.title[:200],
        "opened_at": expectation.opened_at,
        "due_at": expectation.due_at,
        "met_at": expectation.met_at,
        "owner_team_id": expectation.owner_team_id,
        "owner_id": expectation.owner_id,
        "cancelled_reason": expectation.cancelled_reason,
        "status": obligation_status(expectation, now),
    }


@transaction.atomic
def obligations_refresh_many(
    *, subject_type: str, subjects: Mapping[UUID, object], now: datetime | None = None, policy=None
) -> int:
    """obligations_refresh for many subjects of one type at once, in a few queries whatever their
    number: `subjects` maps each id to the subject as its type's `load` gives it (with what the
    standards read already fetched), or to None when it no longer exists. Returns how many
    obligations were opened, changed or cancelled."""
    now = now or timezone.now()
    policy = policy or Policy()
    stored: dict[UUID, dict[tuple[str, str], Obligation]] = defaultdict(dict)
    for obligation in Obligation.objects.filter(
        subject_type=subject_type, subject_id__in=list(subjects)
    ):
        stored[obligation.subject_id][obligation.standard_id, obligation.key] = obligation
    through = Obligation.children.through
    children: dict[UUID, set] = defaultdict(set)
    for obligation_id, person_id in through.objects.filter(
        obligation_id__in=[o.pk for kept in stored.values() for o in kept.values()]
    ).values_list("obligation_id", "person_id"):
        children[obligation_id].add(person_id)
    new, changed_rows, wanted_children = [], [], {}
    # Rows by the fields that moved in them: each row's update writes only its own changes, as a
    # save(update_fields=...) would, so a concurrent tick's escalation is not written back over.
    by_fields: dict[tuple[str, ...], list[Obligation]] = defaultdict(list)
    for subject_id, subject in subjects.items():
        expected = _expected(subject_type, subject, policy)
        kept = stored.get(subject_id, {})
        for (standard_id, key), expectation in expected.items():
            values = _values(expectation, now)
            obligation = kept.get((standard_id, key))
            if obligation is None:
                obligation = Obligation(
                    standard_id=standard_id,
                    subject_type=subject_type,
                    subject_id=subject_id,
                    key=key,
                    updated_at=now,
                    **values,
                )
                new.append(obligation)
            else:
                moved = [f for f in _FIELDS if getattr(obligation, f) != values[f]]
                if moved:
                    for name in moved:
                        setattr(obligation, name, values[name])
                    if obligation.status not in OPEN_STATUSES or "due_at" in moved:
                        # Met, cancelled or given a new deadline: escalation starts again.
                        obligation.escalation_level = 0
                        moved.append("escalation_level")
                    obligation.updated_at = now
                    changed_rows.append(obligation)
                    by_fields[tuple(sorted({*moved, "updated_at"}))].append(obligation)
            if children.get(obligation.pk, set()) != set(expectation.child_ids):
                wanted_children[obligation.pk] = set(expectation.child_ids)
        for identity, obligation in kept.items():
            if identity not in expected and obligation.status in OPEN_STATUSES:
                obligation.status = ObligationStatus.CANCELLED
                obligation.cancelled_reason = NO_LONGER_EXPECTED
                obligation.updated_at = now
                changed_rows.append(obligation)
                by_fields["cancelled_reason", "status", "updated_at"].append(obligation)
    Obligation.objects.bulk_create(new, batch_size=2000)
    for fields, rows in by_fields.items():
        Obligation.objects.bulk_update(rows, list(fields), batch_size=2000)
    if wanted_children:
        through.objects.filter(obligation_id__in=list(wanted_children)).delete()
        through.objects.bulk_create(
            [
                through(obligation_id=obligation_id, person_id=person_id)
                for obligation_id, people in wanted_children.items()
                for person_id in people
            ],
            batch_size=2000,
        )
    return len(new) + len(changed_rows)


def obligations_reevaluate(*, now: datetime | None = None) -> int:
    """Refresh every subject of every type (after a release that changed a standard, or to
    check the stored obligations); returns how many changed. Running it twice changes nothing."""
    now = now or timezone.now()
    policy = Policy()
    changed = 0
    for name, subject_type in subject_types().items():
        if not standards_for(name):
            continue
        for subject_id in subject_type.all_ids():
            changed += obligations_refresh(
                subject_type=name, subject_id=subject_id, now=now, policy=policy
            )
    return changed


# -- the tick ------------------------------------------------------------------------------------


def _supervisors(team_id) -> list[User]:
    if team_id is None:
        return []
    return list(User.objects.filter(team_id=team_id, role=Role.SUPERVISOR, is_active=True))


def _inspectors(team_id) -> list[User]:
    if team_id is None:
        return []
    return list(
        User.objects.filter(
            team__area__teams__id=team_id, role=Role.DETECTIVE_INSPECTOR, is_active=True
        ).distinct()
    )


def _notify(users: Iterable[User], obligation: Obligation, message: str, now: datetime) -> None:
    users = {u.pk: u for u in users if u is not None}.values()
    Notification.objects.bulk_create(
        Notification(user=u, obligation=obligation, message=message, created_at=now) for u in users
    )
    mails = [
        ("Think Child: " + message[:80], message, settings.DEFAULT_FROM_EMAIL, [u.email])
        for u in users
        if u.email
    ]
    if mails:
        transaction.on_commit(lambda: _send(mails))


def _send(mails: list[tuple]) -> None:
    # After the commit: a mail server that is down must not undo the escalation (the in-app
    # notification is already there), so the failure is logged, not raised.
    try:
        send_mass_mail(mails)
    except OSError:
        logger.exception("Could not send %d obligation emails", len(mails))


def _escalate(obligation: Obligation, level: int, to: list[User], now: datetime) -> None:
    escalation = Escalation.objects.create(obligation=obligation, level=level, escalated_at=now)
    escalation.to.set(to)
    obligation.escalation_level = level
    obligation.save(update_fields=["escalation_level", "updated_at"])
    who = "the owner's supervisor" if level == 1 else "the inspector"
    message = (
        f"Overdue since {timezone.localtime(obligation.due_at):%d/%m/%Y %H:%M}: "
        f"{obligation.title} (escalated to {who})."
    )
    _notify([obligation.owner, *to], obligation, message, now)


@transaction.atomic
def obligations_tick(*, now: datetime | None = None) -> dict[str, int]:
    """Mark what has gone overdue and escalate it: first to the owner's supervisor, then, after
    the force's set number of hours, to the inspector. Idempotent: a repeated tick does nothing."""
    now = now or timezone.now()
    overdue = Obligation.objects.filter(status=ObligationStatus.OPEN, due_at__lt=now).update(
        status=ObligationStatus.OVERDUE
    )
    counts = {"overdue": overdue, "to_supervisor": 0, "to_inspector": 0}
    waiting = Obligation.objects.select_related("owner").filter(
        status=ObligationStatus.OVERDUE, escalation_level__lt=2
    )
    policy = Policy()
    for obligation in waiting.select_for_update(of=("self",)):
        if obligation.escalation_level == 0:
            _escalate(obligation, 1, _supervisors(obligation.owner_team_id), now)
            counts["to_supervisor"] += 1
            continue
        hours = policy(ESCALATE_TO_INSPECTOR.key, obligation.due_at)
        if now >= obligation.due_at + timedelta(hours=hours):
            _escalate(obligation, 2, _inspectors(obligation.owner_team_id), now)
            counts["to_inspector"] += 1
    return counts


def notifications_mark_read(*, user) -> int:
    """Mark the user's unread notifications read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )

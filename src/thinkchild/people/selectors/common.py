"""What every people selector shares: the access checks, the s.62 log entries, the annotations.

A system account reading through the API receives the data, so for it a read is logged as a
DISCLOSURE with the account as recipient (issue #2, part 2); everyone else's is a CONSULTATION.
"""

from datetime import date
from uuid import UUID

from django.db.models import F, Prefetch, Q
from django.utils import timezone

from thinkchild.access.log import Subject, processing_log_record, processing_log_record_many
from thinkchild.access.models import Operation
from thinkchild.access.policy import Action, RecordKind, Scope, reach_for, role_can
from thinkchild.access.scope import AccessDenied, on_access_list_q, person_scope_q
from thinkchild.org.models import Role
from thinkchild.people.age import age_on
from thinkchild.people.models import Person, PersonAddress


def consultation_operation(user) -> tuple[Operation, str]:
    """A consultation, or a disclosure when the reader is a system account (the recipient)."""
    if user.role == Role.SYSTEM_ACCOUNT:
        return Operation.DISCLOSURE, user.username
    return Operation.CONSULTATION, ""


def person_subject(person: Person) -> Subject:
    return Subject(type=RecordKind.PERSON, id=person.pk, label=person.full_name)


def log_one(user, person: Person, *, justification: str, out_of_scope: bool, detail=None):
    operation, recipient = consultation_operation(user)
    processing_log_record(
        operation=operation,
        actor=user,
        subject=person_subject(person),
        justification=justification,
        out_of_scope=out_of_scope,
        recipient=recipient,
        detail=detail,
    )


def log_many(user, people, *, justification: str, detail=None) -> None:
    if not people:
        return
    operation, recipient = consultation_operation(user)
    processing_log_record_many(
        operation=operation,
        actor=user,
        subjects=[person_subject(p) for p in people],
        justification=justification,
        recipient=recipient,
        detail=detail,
    )


def require_person_access(user, action: Action) -> None:
    if not user.is_authenticated or not user.is_active:
        raise AccessDenied("Sign in to see people's records.", kind=RecordKind.PERSON)
    if reach_for(user.role).scope == Scope.NONE or not role_can(
        user.role, RecordKind.PERSON, action
    ):
        raise AccessDenied(
            f"A {user.get_role_display().lower()} cannot {action} people's records.",
            kind=RecordKind.PERSON,
        )


def visible_people_q(user) -> Q:
    """People the user sees without asking; restricted people only for their access list."""
    return person_scope_q(user) & on_access_list_q(user, RecordKind.PERSON)


def current_addresses() -> Prefetch:
    today = timezone.localdate()
    return Prefetch(
        "addresses",
        queryset=PersonAddress.objects.exclude(valid_to__lt=today)
        .select_related("location")
        .order_by(F("valid_from").desc(nulls_last=True)),
        to_attr="current_addresses",
    )


def annotate_person(person: Person, today: date | None = None) -> Person:
    """Age today and the child flag, computed in Python for the rows on show only."""
    today = today or timezone.localdate()
    person.age = age_on(person, today)
    person.is_child = person.appears_under_18 or (person.age is not None and person.age < 18)
    current = getattr(person, "current_addresses", None)
    person.current_address = current[0].location if current else None
    return person


def in_scope_ids(user, person_ids) -> set[UUID]:
    """Which of these people the user sees without giving a reason."""
    return set(
        Person.objects.filter(pk__in=list(person_ids))
        .filter(person_scope_q(user))
        .values_list("pk", flat=True)
    )

"""One person: opening their record, and what their page shows besides the summary."""

from django.db.models import F

from thinkchild.access.policy import RecordKind
from thinkchild.access.scope import decide
from thinkchild.people.chronology import ChronologyEntry, chronology_providers
from thinkchild.people.models import Alias, Person, PersonAddress
from thinkchild.people.selectors.common import (
    annotate_person,
    current_addresses,
    in_scope_ids,
    log_one,
)


def person_get(*, user, person_id, reason: str | None = None) -> Person:
    """One person, if the user may open them: raises AccessDenied or ReasonRequired otherwise."""
    person = (
        Person.objects.select_related("area")
        .prefetch_related(current_addresses())
        .get(pk=person_id)
    )
    decision = decide(
        user=user,
        kind=RecordKind.PERSON,
        record=person,
        in_scope=person.pk in in_scope_ids(user, [person.pk]),
        reason=reason,
    )
    log_one(user, person, justification=decision.justification, out_of_scope=decision.out_of_scope)
    return annotate_person(person)


def person_record(*, person: Person) -> dict:
    """What the person page shows besides the summary: aliases, addresses, schools, pregnancies.

    Only for a person already opened through person_get (which decided and logged the access).
    """
    return {
        "aliases": list(Alias.objects.filter(person=person).order_by("family_name", "given_name")),
        "addresses": list(
            PersonAddress.objects.filter(person=person)
            .select_related("location")
            .order_by(F("valid_from").desc(nulls_last=True))
        ),
        "enrolments": list(person.enrolments.select_related("school").order_by("-start_date")),
        "pregnancies": list(person.pregnancies.order_by("-known_from")),
    }


def person_chronology_entries(*, user, person: Person, kind: str) -> list[ChronologyEntry]:
    """One provider's entries (the incidents on the person page), newest first.

    Only for a person already opened through person_get, which decided and logged the access.
    """
    registered = chronology_providers().get(kind)
    if registered is None:
        return []
    _label, provider = registered
    entries = list(provider(user=user, person_ids=[person.pk], date_from=None, date_to=None))
    return sorted(entries, key=lambda e: e.occurred_at, reverse=True)

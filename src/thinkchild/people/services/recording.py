"""Recording people: who they are, their aliases, pregnancies, addresses, relationships, schools.

A new fact about a person is a COLLECTION in the processing log; a change to what we hold is an
ALTERATION. Each entry is written in the same transaction as the change.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from thinkchild.access.log import Subject, processing_log_record, processing_log_record_many
from thinkchild.access.models import Operation
from thinkchild.people.changes import CHILD_MARKER_FIELDS, person_changes_notify
from thinkchild.people.models import (
    Alias,
    Enrolment,
    Gender,
    Location,
    OrganisationKind,
    Person,
    PersonAddress,
    Pregnancy,
    Relationship,
)
from thinkchild.people.names import name_key
from thinkchild.people.postcodes import postcode_normalise

EARLIEST_BIRTH = date(1900, 1, 1)
MAX_ESTIMATED_AGE = 120
# Fields person_update may change; the name keys follow the names.
UPDATABLE_FIELDS = frozenset(
    {
        "given_name",
        "family_name",
        "date_of_birth",
        "estimated_age",
        "estimated_age_on",
        "appears_under_18",
        "gender",
        "is_restricted",
        "area",
    }
)


def person_subject(person: Person) -> Subject:
    return Subject(type="person", id=person.pk, label=person.full_name)


def _as_history_user(instance, actor):
    # django-simple-history reads this so each history row says who made the change.
    if getattr(actor, "pk", None):
        instance._history_user = actor
    return instance


def _check_birth(*, date_of_birth: date | None, estimated_age: int | None) -> None:
    errors = {}
    if date_of_birth is not None:
        if date_of_birth > timezone.localdate():
            errors["date_of_birth"] = "Date of birth must be today or in the past"
        elif date_of_birth < EARLIEST_BIRTH:
            errors["date_of_birth"] = "Date of birth must be after 1 January 1900"
    if estimated_age is not None and not 0 <= estimated_age <= MAX_ESTIMATED_AGE:
        errors["estimated_age"] = f"Estimated age must be between 0 and {MAX_ESTIMATED_AGE}"
    if errors:
        raise ValidationError(errors)


def _current_address(person: Person) -> PersonAddress | None:
    today = timezone.localdate()
    return (
        PersonAddress.objects.filter(person=person)
        .exclude(valid_to__lt=today)
        .select_related("location")
        .order_by(F("valid_from").desc(nulls_last=True))
        .first()
    )


def _refresh_area(person: Person) -> None:
    """Person.area follows the area of the current address; with none known it stays as it is."""
    current = _current_address(person)
    if current and current.location.area_id and current.location.area_id != person.area_id:
        person.area_id = current.location.area_id
        person.save(update_fields=["area", "updated_at"])


@transaction.atomic
def person_create(
    *,
    actor,
    given_name: str,
    family_name: str,
    force=None,
    date_of_birth: date | None = None,
    estimated_age: int | None = None,
    estimated_age_on: date | None = None,
    appears_under_18: bool = False,
    gender: str = Gender.UNKNOWN,
    is_restricted: bool = False,
    area=None,
    address: Location | None = None,
    address_from: date | None = None,
) -> Person:
    """Record a person. Their area is that of the address given, else `area`, else the actor's."""
    _check_birth(date_of_birth=date_of_birth, estimated_age=estimated_age)
    if estimated_age is not None and estimated_age_on is None:
        estimated_age_on = timezone.localdate()
    force = force or getattr(actor, "force", None)
    if area is None and address is None:
        # Without an address the person would be in nobody's area, so the officer who recorded
        # them could not find them again; their own area is the best guess of where they belong.
        area = getattr(actor, "area", None)
    person = Person(
        force=force,
        area=area,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        given_name_key=name_key(given_name),
        family_name_key=name_key(family_name),
        date_of_birth=date_of_birth,
        estimated_age=estimated_age,
        estimated_age_on=estimated_age_on if estimated_age is not None else None,
        appears_under_18=appears_under_18,
        gender=gender,
        is_restricted=is_restricted,
    )
    _as_history_user(person, actor).save()
    processing_log_record(
        operation=Operation.COLLECTION, actor=actor, subject=person_subject(person)
    )
    if address is not None:
        person_move_address(actor=actor, person=person, location=address, valid_from=address_from)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, **changes) -> Person:
    """Change what we hold about a person. Unknown field names are a programming error."""
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"person_update cannot change {', '.join(sorted(unknown))}")
    _check_birth(
        date_of_birth=changes.get("date_of_birth", person.date_of_birth),
        estimated_age=changes.get("estimated_age", person.estimated_age),
    )
    changed = []
    for field, value in changes.items():
        current = getattr(person, field)
        if current != value:
            setattr(person, field, value)
            changed.append(field)
    estimated_now = "estimated_age" in changed and person.estimated_age is not None
    if estimated_now and "estimated_age_on" not in changes:
        person.estimated_age_on = timezone.localdate()
        changed.append("estimated_age_on")
    if "estimated_age" in changed and person.estimated_age is None:
        person.estimated_age_on = None
        changed.append("estimated_age_on")
    if not changed:
        return person
    if "given_name" in changed:
        person.given_name_key = name_key(person.given_name)
        changed.append("given_name_key")
    if "family_name" in changed:
        person.family_name_key = name_key(person.family_name)
        changed.append("family_name_key")
    _as_history_user(person, actor).save(update_fields=[*changed, "updated_at"])
    processing_log_record(
        operation=Operation.ALTERATION,
        actor=actor,
        subject=person_subject(person),
        detail={"fields": sorted(f for f in changed if not f.endswith("_key"))},
    )
    if CHILD_MARKER_FIELDS.intersection(changed):
        person_changes_notify(person_ids=[person.pk])
    return person


@transaction.atomic
def person_add_alias(
    *, actor, person: Person, given_name: str = "", family_name: str = ""
) -> Alias:
    if not (given_name.strip() or family_name.strip()):
        raise ValidationError("Enter a given name or a family name for the alias")
    alias = Alias.objects.create(
        person=person,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        given_name_key=name_key(given_name),
        family_name_key=name_key(family_name),
    )
    processing_log_record(
        operation=Operation.COLLECTION,
        actor=actor,
        subject=person_subject(person),
        detail={"alias": str(alias.pk)},
    )
    return alias


@transaction.atomic
def person_record_pregnancy(
    *,
    actor,
    person: Person,
    known_from: date,
    due_date: date | None = None,
    ended_on: date | None = None,
) -> Pregnancy:
    """An unborn child counts for the child marker (issue #2, part 3)."""
    if due_date and due_date < known_from:
        raise ValidationError({"due_date": "Due date must be after the date it was known from"})
    if ended_on and ended_on < known_from:
        raise ValidationError({"ended_on": "End date must be after the date it was known from"})
    pregnancy = Pregnancy(
        person=person, known_from=known_from, due_date=due_date, ended_on=ended_on
    )
    _as_history_user(pregnancy, actor).save()
    processing_log_record(
        operation=Operation.COLLECTION,
        actor=actor,
        subject=person_subject(person),
        detail={"pregnancy": str(pregnancy.pk)},
    )
    person_changes_notify(person_ids=[person.pk])
    return pregnancy


@transaction.atomic
def person_move_address(
    *, actor, person: Person, location: Location, valid_from: date | None = None
) -> PersonAddress:
    """The person now lives at `location`: the previous open address closes the day before."""
    valid_from = valid_from or timezone.localdate()
    previous = list(PersonAddress.objects.filter(person=person, valid_to__isnull=True))
    for old in previous:
        day_before = valid_from - timedelta(days=1)
        old.valid_to = max(day_before, old.valid_from) if old.valid_from else day_before
        _as_history_user(old, actor).save(update_fields=["valid_to"])
    address = PersonAddress(person=person, location=location, valid_from=valid_from)
    _as_history_user(address, actor).save()
    if previous:
        processing_log_record(
            operation=Operation.ALTERATION,
            actor=actor,
            subject=person_subject(person),
            detail={"closed_addresses": [str(old.pk) for old in previous]},
        )
    processing_log_record(
        operation=Operation.COLLECTION,
        actor=actor,
        subject=person_subject(person),
        detail={"address": str(address.pk), "location": str(location.pk)},
    )
    _refresh_area(person)
    return address


@transaction.atomic
def relationship_create(
    *,
    actor,
    person: Person,
    other: Person,
    kind: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> Relationship:
    """`person` is <kind> of `other`. It is about both of them, so both get a log entry."""
    if person.pk == other.pk:
        raise ValidationError("A person cannot be related to themselves")
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": "End date must be after the start date"})
    relationship = Relationship(
        person=person, other=other, kind=kind, valid_from=valid_from, valid_to=valid_to
    )
    _as_history_user(relationship, actor).save()
    processing_log_record_many(
        operation=Operation.COLLECTION,
        actor=actor,
        subjects=[person_subject(person), person_subject(other)],
        detail={"relationship": str(relationship.pk), "kind": kind},
    )
    return relationship


@transaction.atomic
def location_create(
    *,
    actor,
    line1: str,
    postcode: str,
    force=None,
    line2: str = "",
    town: str = "",
    uprn: int | None = None,
    area=None,
) -> Location:
    """An address, with its postcode validated and normalised ("pr12ab" -> "PR1 2AB")."""
    try:
        postcode = postcode_normalise(postcode)
    except ValidationError as error:
        raise ValidationError({"postcode": error.messages}) from error
    if not line1.strip():
        raise ValidationError({"line1": "Enter the first line of the address"})
    location = Location(
        force=force or getattr(actor, "force", None),
        area=area,
        line1=line1.strip(),
        line2=line2.strip(),
        town=town.strip(),
        postcode=postcode,
        uprn=uprn,
    )
    _as_history_user(location, actor).save()
    processing_log_record(
        operation=Operation.COLLECTION,
        actor=actor,
        subject=Subject(type="location", id=location.pk, label=str(location)),
    )
    return location


@transaction.atomic
def enrolment_create(
    *, actor, person: Person, school, start_date: date, end_date: date | None = None
) -> Enrolment:
    if school.kind != OrganisationKind.SCHOOL:
        raise ValidationError({"school": "A child can only be enrolled at a school"})
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": "End date must be after the start date"})
    enrolment = Enrolment(person=person, school=school, start_date=start_date, end_date=end_date)
    _as_history_user(enrolment, actor).save()
    processing_log_record(
        operation=Operation.COLLECTION,
        actor=actor,
        subject=person_subject(person),
        detail={"enrolment": str(enrolment.pk), "school": str(school.pk)},
    )
    return enrolment

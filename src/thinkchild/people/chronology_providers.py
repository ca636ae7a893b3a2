"""What people's own records add to a chronology: moves, schools, relationships, pregnancies.

Registered in PeopleConfig.ready(). people.selectors.person_chronology has already decided (and
logged) that the user may open each of `person_ids`, so these providers only read and shape.
Entries are dated at the start of the day the record gives (these records carry dates, not times).
"""

from collections.abc import Iterator
from datetime import date

from django.db.models import Q

from thinkchild.access.models import AccessListEntry
from thinkchild.people.chronology import ChronologyEntry, register_chronology_provider
from thinkchild.people.models import Enrolment, PersonAddress, Pregnancy, Relationship
from thinkchild.standards.calendars import start_of


def _in_range(day: date | None, date_from: date | None, date_to: date | None) -> bool:
    if day is None:
        return False
    return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)


def _dated(field_names: tuple[str, ...], date_from, date_to) -> Q:
    """Rows with any of these dates inside the bounds (the rest are left to the database)."""
    q = Q()
    for name in field_names:
        inside = Q(**{f"{name}__isnull": False})
        if date_from:
            inside &= Q(**{f"{name}__gte": date_from})
        if date_to:
            inside &= Q(**{f"{name}__lte": date_to})
        q |= inside
    return q


def address_entries(*, person_ids, date_from=None, date_to=None, **_) -> Iterator[ChronologyEntry]:
    rows = (
        PersonAddress.objects.filter(person_id__in=person_ids)
        .filter(_dated(("valid_from", "valid_to"), date_from, date_to))
        .select_related("location")
    )
    for row in rows:
        if _in_range(row.valid_from, date_from, date_to):
            yield ChronologyEntry(
                occurred_at=start_of(row.valid_from),
                kind="address",
                kind_label="Address",
                title=f"Moved to {row.location}",
                person_id=row.person_id,
                summary=f"Lived there until {row.valid_to:%d %B %Y}" if row.valid_to else "",
            )


def enrolment_entries(
    *, person_ids, date_from=None, date_to=None, **_
) -> Iterator[ChronologyEntry]:
    rows = (
        Enrolment.objects.filter(person_id__in=person_ids)
        .filter(_dated(("start_date", "end_date"), date_from, date_to))
        .select_related("school")
    )
    for row in rows:
        if _in_range(row.start_date, date_from, date_to):
            yield ChronologyEntry(
                occurred_at=start_of(row.start_date),
                kind="enrolment",
                kind_label="School",
                title=f"Started at {row.school}",
                person_id=row.person_id,
            )
        if _in_range(row.end_date, date_from, date_to):
            yield ChronologyEntry(
                occurred_at=start_of(row.end_date),
                kind="enrolment",
                kind_label="School",
                title=f"Left {row.school}",
                person_id=row.person_id,
            )


# "Sarah recorded as their parent" reads better on the child's timeline than "parent of them".
_FROM_THE_OTHER_SIDE = {
    "parent": "their parent",
    "carer": "their carer",
    "partner": "their partner",
    "sibling": "their sibling",
    "lives_with": "living with them",
}


def _listed_restricted(user, people) -> set:
    """Restricted people among `people` whose access list names `user`."""
    restricted = {p.pk for p in people if p.is_restricted}
    if not restricted or user is None:
        return set()
    return set(
        AccessListEntry.objects.filter(
            subject_type="person", subject_id__in=restricted, user=user
        ).values_list("subject_id", flat=True)
    )


def relationship_entries(
    *, person_ids, date_from=None, date_to=None, user=None, **_
) -> Iterator[ChronologyEntry]:
    """Relationships of the people. One with a restricted person is left out entirely unless the
    reader is on that person's access list: even "a restricted person" says too much (ADR 0007)."""
    ids = set(person_ids)
    rows = (
        Relationship.objects.filter(Q(person_id__in=ids) | Q(other_id__in=ids))
        .filter(_dated(("valid_from", "valid_to"), date_from, date_to))
        .select_related("person", "other")
    )
    rows = list(rows)
    listed = _listed_restricted(user, [p for r in rows for p in (r.person, r.other)])

    def hidden(person) -> bool:
        return person.is_restricted and person.pk not in listed

    for row in rows:
        kind = row.get_kind_display().lower()
        sides = []
        if row.person_id in ids and not hidden(row.other):
            sides.append((row.person_id, f"Recorded as {kind} {row.other.full_name}"))
        if row.other_id in ids and not hidden(row.person):
            their = _FROM_THE_OTHER_SIDE.get(row.kind, kind)
            sides.append((row.other_id, f"{row.person.full_name} recorded as {their}"))
        for person_id, title in sides:
            if _in_range(row.valid_from, date_from, date_to):
                yield ChronologyEntry(
                    occurred_at=start_of(row.valid_from),
                    kind="relationship",
                    kind_label="Relationship",
                    title=title,
                    person_id=person_id,
                )
            if _in_range(row.valid_to, date_from, date_to):
                yield ChronologyEntry(
                    occurred_at=start_of(row.valid_to),
                    kind="relationship",
                    kind_label="Relationship",
                    title=f"Ended: {title[0].lower()}{title[1:]}",
                    person_id=person_id,
                )


def pregnancy_entries(
    *, person_ids, date_from=None, date_to=None, **_
) -> Iterator[ChronologyEntry]:
    rows = Pregnancy.objects.filter(person_id__in=person_ids).filter(
        _dated(("known_from", "ended_on"), date_from, date_to)
    )
    for row in rows:
        if _in_range(row.known_from, date_from, date_to):
            due = f"Due {row.due_date:%d %B %Y}" if row.due_date else ""
            yield ChronologyEntry(
                occurred_at=start_of(row.known_from),
                kind="pregnancy",
                kind_label="Pregnancy",
                title="Pregnancy recorded (an unborn child)",
                person_id=row.person_id,
                summary=due,
                tags=("Unborn child",),
            )
        if _in_range(row.ended_on, date_from, date_to):
            yield ChronologyEntry(
                occurred_at=start_of(row.ended_on),
                kind="pregnancy",
                kind_label="Pregnancy",
                title="Pregnancy ended",
                person_id=row.person_id,
            )


def register() -> None:
    register_chronology_provider("address", "Address", address_entries)
    register_chronology_provider("enrolment", "School", enrolment_entries)
    register_chronology_provider("relationship", "Relationship", relationship_entries)
    register_chronology_provider("pregnancy", "Pregnancy", pregnancy_entries)

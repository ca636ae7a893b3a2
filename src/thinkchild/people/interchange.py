"""People, addresses, organisations and how they relate, in the canonical format.

Each upsert writes one record type for a whole import batch in a handful of queries; the checks
that need no database are in the `check` functions, so a bad record is named before any write.
"""

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from thinkchild.access.log import Subject
from thinkchild.interchange.records import Item, Outcome, Reason
from thinkchild.interchange.registry import RecordType, register_record_type
from thinkchild.interchange.staging import (
    STAGED,
    UUID7_SQL,
    StagedWriter,
    rows_writer,
    staged_history,
    staged_rows_insert,
)
from thinkchild.interchange.writing import UpsertContext, row_new, rows_replace, rows_upsert
from thinkchild.people.models import (
    Alias,
    Enrolment,
    Gender,
    Location,
    Organisation,
    OrganisationKind,
    Person,
    PersonAddress,
    Pregnancy,
    Relationship,
)
from thinkchild.people.names import name_key
from thinkchild.people.postcodes import postcode_normalise


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _in_order(record: dict, start: str, end: str) -> list[Reason]:
    first, last = _date(record.get(start)), _date(record.get(end))
    if first and last and last < first:
        return [Reason(end, f"{end} {last:%d/%m/%Y} is before {start} {first:%d/%m/%Y}")]
    return []


# -- location --------------------------------------------------------------------------------


def _location_check(record: dict) -> list[Reason]:
    try:
        postcode_normalise(record["postcode"])
    except (ValidationError, ValueError):
        return [Reason("postcode", f"{record['postcode']!r} is not a valid UK postcode")]
    return []


def _location_upsert(items, ctx):
    def build(item):
        r = item.record
        return {
            "force_id": ctx.force.pk,
            "area_id": item.ref_id("area", "area"),
            "line1": r["line1"],
            "line2": r.get("line2") or "",
            "town": r.get("town") or "",
            "postcode": postcode_normalise(r["postcode"]),
            "uprn": r.get("uprn"),
            "updated_at": ctx.now,
        }

    fields = ["force", "area", "line1", "line2", "town", "postcode", "uprn", "updated_at"]
    return rows_upsert(Location, items, ctx, fields, build)


def _location_export(ctx):
    for loc in Location.objects.order_by("pk").iterator(chunk_size=2000):
        yield (
            loc.pk,
            {
                "line1": loc.line1,
                "line2": loc.line2 or None,
                "town": loc.town or None,
                "postcode": loc.postcode,
                "uprn": loc.uprn,
                "area": ctx.ref("area", loc.area_id),
            },
        )


# -- organisation ----------------------------------------------------------------------------


def _organisation_upsert(items, ctx):
    def build(item):
        r = item.record
        return {
            "force_id": ctx.force.pk,
            "kind": r["kind"],
            "name": r["name"],
            "urn": r.get("urn"),
            "local_authority_id": item.ref_id("local_authority", "organisation"),
            "location_id": item.ref_id("location", "location"),
        }

    fields = ["force", "kind", "name", "urn", "local_authority", "location"]
    return rows_upsert(Organisation, items, ctx, fields, build)


def _organisation_export(ctx):
    # Local authorities first, so a file read top to bottom never refers forward.
    for org in Organisation.objects.order_by(F("local_authority").asc(nulls_first=True), "pk"):
        yield (
            org.pk,
            {
                "kind": org.kind,
                "name": org.name,
                "urn": org.urn,
                "local_authority": ctx.ref("organisation", org.local_authority_id),
                "location": ctx.ref("location", org.location_id),
            },
        )


# -- person ----------------------------------------------------------------------------------


def _person_check(record: dict) -> list[Reason]:
    reasons = []
    today = timezone.localdate()
    born = _date(record.get("date_of_birth"))
    if born and born > today:
        reasons.append(Reason("date_of_birth", f"date of birth {born:%d/%m/%Y} is in the future"))
    if record.get("estimated_age") is not None and not record.get("estimated_age_on"):
        reasons.append(Reason("estimated_age_on", "estimated_age needs estimated_age_on"))
    estimated_on = _date(record.get("estimated_age_on"))
    if estimated_on and estimated_on > today:
        reasons.append(Reason("estimated_age_on", "estimated_age_on is in the future"))
    for i, pregnancy in enumerate(record.get("pregnancies") or []):
        for end in ("due_date", "ended_on"):
            for reason in _in_order(pregnancy, "known_from", end):
                reasons.append(Reason(f"pregnancies.{i}.{reason.field}", reason.message))
    return reasons


PERSON_FIELDS = [
    "force",
    "given_name",
    "family_name",
    "given_name_key",
    "family_name_key",
    "date_of_birth",
    "estimated_age",
    "estimated_age_on",
    "appears_under_18",
    "gender",
    "is_restricted",
    "updated_at",
]


def _person_upsert(items: list[Item], ctx: UpsertContext) -> list[Outcome]:
    def build(item):
        r = item.record
        return {
            "force_id": ctx.force.pk,
            "given_name": r["given_name"],
            "family_name": r["family_name"],
            "given_name_key": name_key(r["given_name"]),
            "family_name_key": name_key(r["family_name"]),
            "date_of_birth": _date(r.get("date_of_birth")),
            "estimated_age": r.get("estimated_age"),
            "estimated_age_on": _date(r.get("estimated_age_on")),
            "appears_under_18": bool(r.get("appears_under_18")),
            "gender": r.get("gender") or Gender.UNKNOWN,
            "is_restricted": bool(r.get("restricted")),
            "updated_at": ctx.now,
        }

    def subjects(person):
        return [
            Subject(type="person", id=person.id, label=f"{person.given_name} {person.family_name}")
        ]

    outcomes = rows_upsert(Person, items, ctx, PERSON_FIELDS, build, subjects)
    updated = [o.object_id for o in outcomes if not o.created]
    aliases, pregnancies = [], []
    for outcome in outcomes:
        r = outcome.item.record
        for alias in r.get("aliases") or []:
            given, family = alias.get("given_name") or "", alias.get("family_name") or ""
            aliases.append(
                row_new(
                    Alias,
                    {
                        "person_id": outcome.object_id,
                        "given_name": given,
                        "family_name": family,
                        "given_name_key": name_key(given),
                        "family_name_key": name_key(family),
                    },
                )
            )
        for p in r.get("pregnancies") or []:
            pregnancies.append(
                row_new(
                    Pregnancy,
                    {
                        "person_id": outcome.object_id,
                        "known_from": _date(p["known_from"]),
                        "due_date": _date(p.get("due_date")),
                        "ended_on": _date(p.get("ended_on")),
                    },
                )
            )
    rows_replace(Alias, parent_field="person", parent_ids=updated, rows=aliases, ctx=ctx)
    rows_replace(Pregnancy, parent_field="person", parent_ids=updated, rows=pregnancies, ctx=ctx)
    if updated:
        # A corrected date of birth or pregnancy can move the child marker of their incidents.
        from thinkchild.incidents.interchange import incidents_of_persons_refresh

        incidents_of_persons_refresh(updated)
    return outcomes


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _person_export(ctx):
    persons = Person.objects.order_by("pk").prefetch_related("aliases", "pregnancies")
    for p in persons.iterator(chunk_size=2000):
        yield (
            p.pk,
            {
                "given_name": p.given_name,
                "family_name": p.family_name,
                "aliases": [
                    {"given_name": a.given_name, "family_name": a.family_name}
                    for a in sorted(p.aliases.all(), key=lambda a: (a.family_name, a.given_name))
                ]
                or None,
                "date_of_birth": _iso(p.date_of_birth),
                "estimated_age": p.estimated_age,
                "estimated_age_on": _iso(p.estimated_age_on),
                "appears_under_18": p.appears_under_18 or None,
                "gender": p.gender,
                "pregnancies": [
                    {
                        k: v
                        for k, v in {
                            "known_from": _iso(g.known_from),
                            "due_date": _iso(g.due_date),
                            "ended_on": _iso(g.ended_on),
                        }.items()
                        if v
                    }
                    for g in p.pregnancies.all()
                ]
                or None,
                "restricted": p.is_restricted or None,
            },
        )


# -- person_address, relationship, enrolment -------------------------------------------------


def _person_subject(row) -> list[Subject]:
    return [Subject(type="person", id=row.person_id)]


def _address_upsert(items, ctx):
    def build(item):
        r = item.record
        return {
            "person_id": item.ref_id("person", "person"),
            "location_id": item.ref_id("location", "location"),
            "valid_from": _date(r.get("valid_from")),
            "valid_to": _date(r.get("valid_to")),
        }

    fields = ["person", "location", "valid_from", "valid_to"]
    outcomes = rows_upsert(PersonAddress, items, ctx, fields, build, _person_subject)
    persons_refresh_area([s.id for o in outcomes for s in o.subjects])
    return outcomes


def persons_refresh_area(person_ids: list) -> None:
    """Person.area follows the area of the current address (as people.services keeps it)."""
    today = timezone.localdate()
    current: dict = {}
    addresses = (
        PersonAddress.objects.filter(
            person_id__any_of=list(set(person_ids)), location__area__isnull=False
        )
        .exclude(valid_to__lt=today)
        .order_by("person_id", F("valid_from").asc(nulls_first=True))
        .values_list("person_id", "location__area_id")
    )
    for person_id, area_id in addresses:
        current[person_id] = area_id  # the latest valid_from wins
    # One UPDATE per area rather than bulk_update's CASE over every person of the batch.
    stale: dict = defaultdict(list)
    for person_id, area_id in Person.objects.filter(pk__any_of=list(current)).values_list(
        "id", "area_id"
    ):
        if area_id != current[person_id]:
            stale[current[person_id]].append(person_id)
    for area_id, ids in stale.items():
        Person.objects.filter(pk__any_of=ids).update(area_id=area_id)


def _address_export(ctx):
    for a in PersonAddress.objects.order_by("pk").iterator(chunk_size=2000):
        yield (
            a.pk,
            {
                "person": ctx.ref("person", a.person_id),
                "location": ctx.ref("location", a.location_id),
                "valid_from": _iso(a.valid_from),
                "valid_to": _iso(a.valid_to),
            },
        )


def _relationship_check(record: dict) -> list[Reason]:
    reasons = _in_order(record, "valid_from", "valid_to")
    if record["person"] == record["other"]:
        reasons.append(Reason("other", "a person cannot be related to themselves"))
    return reasons


def _relationship_upsert(items, ctx):
    def build(item):
        r = item.record
        return {
            "person_id": item.ref_id("person", "person"),
            "other_id": item.ref_id("other", "person"),
            "kind": r["kind"],
            "valid_from": _date(r.get("valid_from")),
            "valid_to": _date(r.get("valid_to")),
        }

    fields = ["person", "other", "kind", "valid_from", "valid_to"]
    return rows_upsert(Relationship, items, ctx, fields, build, _person_subject)


def _relationship_export(ctx):
    for rel in Relationship.objects.order_by("pk").iterator(chunk_size=2000):
        yield (
            rel.pk,
            {
                "person": ctx.ref("person", rel.person_id),
                "other": ctx.ref("person", rel.other_id),
                "kind": rel.kind,
                "valid_from": _iso(rel.valid_from),
                "valid_to": _iso(rel.valid_to),
            },
        )


def _enrolment_upsert(items, ctx):
    schools = set(
        Organisation.objects.filter(
            pk__in=[i.ref_id("school", "organisation") for i in items],
            kind=OrganisationKind.SCHOOL,
        ).values_list("pk", flat=True)
    )
    not_school = [i for i in items if i.ref_id("school", "organisation") not in schools]
    reason = Reason("school", "refers to an organisation that is not a school")
    outcomes = [Outcome(i, reasons=[reason]) for i in not_school]

    def build(item):
        r = item.record
        return {
            "person_id": item.ref_id("person", "person"),
            "school_id": item.ref_id("school", "organisation"),
            "start_date": _date(r["start_date"]),
            "end_date": _date(r.get("end_date")),
        }

    fields = ["person", "school", "start_date", "end_date"]
    ok = [i for i in items if i not in not_school]
    return outcomes + rows_upsert(Enrolment, ok, ctx, fields, build, _person_subject)


def _enrolment_export(ctx):
    for e in Enrolment.objects.order_by("pk").iterator(chunk_size=2000):
        yield (
            e.pk,
            {
                "person": ctx.ref("person", e.person_id),
                "school": ctx.ref("organisation", e.school_id),
                "start_date": _iso(e.start_date),
                "end_date": _iso(e.end_date),
            },
        )


# -- PostgreSQL: new records written from the import's staging table (interchange.staging) -----

_PERSON_LOGGED = ("person", "(s.refs->>'person')::uuid", "''")


def _ref(path: str) -> str:
    return f"(s.refs->>'{path}')::uuid"


def _text(name: str) -> str:
    """The field as text, "" when absent or null (as `r.get(name) or ""`)."""
    return f"coalesce(s.rec->>'{name}', '')"


def _whole(name: str, sql_type: str) -> str:
    """A whole number, written 15 or 15.0 (JSON Schema's integer allows both), or null."""
    return f"(nullif(s.rec->'{name}', 'null'::jsonb))::numeric::{sql_type}"


def _day(name: str) -> str:
    return f"(s.rec->>'{name}')::date"


_LOCATION_STAGED = rows_writer(
    Location,
    {
        "force_id": "%(force)s",
        "area_id": _ref("area"),
        "line1": "s.rec->>'line1'",
        "line2": _text("line2"),
        "town": _text("town"),
        "postcode": "s.rec->>'postcode'",
        "uprn": _whole("uprn", "bigint"),
        "created_at": "%(now)s",
        "updated_at": "%(now)s",
    },
    record=lambda item: {**item.record, "postcode": postcode_normalise(item.record["postcode"])},
)


def _person_staged_record(item: Item) -> dict:
    """The person with the search keys of their names, worked out in Python (people.names)."""
    r = item.record
    keys = {
        "_given_name_key": name_key(r["given_name"]),
        "_family_name_key": name_key(r["family_name"]),
    }
    aliases = r.get("aliases")
    if not aliases:
        return {**r, **keys}
    return {
        **r,
        **keys,
        "aliases": [
            {
                "given_name": a.get("given_name") or "",
                "family_name": a.get("family_name") or "",
                "_given_name_key": name_key(a.get("given_name") or ""),
                "_family_name_key": name_key(a.get("family_name") or ""),
            }
            for a in aliases
        ],
    }


def _person_staged_write(cursor, ctx) -> None:
    """_person_upsert's rows for new people: the person, their aliases and pregnancies."""
    staged_rows_insert(
        cursor,
        Person,
        {
            "force_id": "%(force)s",
            "given_name": "s.rec->>'given_name'",
            "family_name": "s.rec->>'family_name'",
            "given_name_key": "s.rec->>'_given_name_key'",
            "family_name_key": "s.rec->>'_family_name_key'",
            "date_of_birth": _day("date_of_birth"),
            "estimated_age": _whole("estimated_age", "smallint"),
            "estimated_age_on": _day("estimated_age_on"),
            "appears_under_18": "coalesce((s.rec->>'appears_under_18')::boolean, false)",
            "gender": f"coalesce(nullif(s.rec->>'gender', ''), '{Gender.UNKNOWN.value}')",
            "is_restricted": "coalesce((s.rec->>'restricted')::boolean, false)",
            "created_at": "%(now)s",
            "updated_at": "%(now)s",
        },
        ctx,
    )
    for model, name, columns in (
        (
            Alias,
            "aliases",
            {
                "given_name": "e.v->>'given_name'",
                "family_name": "e.v->>'family_name'",
                "given_name_key": "e.v->>'_given_name_key'",
                "family_name_key": "e.v->>'_family_name_key'",
            },
        ),
        (
            Pregnancy,
            "pregnancies",
            {
                "known_from": "(e.v->>'known_from')::date",
                "due_date": "(e.v->>'due_date')::date",
                "ended_on": "(e.v->>'ended_on')::date",
            },
        ),
    ):
        names = ", ".join(["id", "person_id", *columns])
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({names}) "  # noqa: S608 (our own SQL)
            f"SELECT {UUID7_SQL}, s.id, {', '.join(columns.values())} FROM {STAGED} s "
            f"CROSS JOIN LATERAL jsonb_array_elements(s.rec->'{name}') WITH ORDINALITY e(v, i) "
            f"WHERE jsonb_typeof(s.rec->'{name}') = 'array' ORDER BY s.n, e.i"
        )
        staged_history(model, "person_id", ctx)


_PERSON_STAGED = StagedWriter(
    write=_person_staged_write,
    log_subject=("person", "s.id", "(s.rec->>'given_name') || ' ' || (s.rec->>'family_name')"),
    record=_person_staged_record,
)

_ADDRESS_STAGED = rows_writer(
    PersonAddress,
    {
        "person_id": _ref("person"),
        "location_id": _ref("location"),
        "valid_from": _day("valid_from"),
        "valid_to": _day("valid_to"),
    },
    log_subject=_PERSON_LOGGED,
    after=lambda items, ctx: persons_refresh_area([i.ref_id("person", "person") for i in items]),
)

_RELATIONSHIP_STAGED = rows_writer(
    Relationship,
    {
        "person_id": _ref("person"),
        "other_id": _ref("other"),
        "kind": "s.rec->>'kind'",
        "valid_from": _day("valid_from"),
        "valid_to": _day("valid_to"),
    },
    log_subject=_PERSON_LOGGED,
)


def _enrolment_problems(cursor, ctx):
    """_enrolment_upsert's check, by the database: the school must be a school."""
    school = _ref("school")
    cursor.execute(
        f"SELECT s.n FROM {STAGED} s WHERE NOT EXISTS (SELECT 1 FROM "  # noqa: S608
        f"{Organisation._meta.db_table} o WHERE o.id = {school} AND o.kind = %s)",
        [OrganisationKind.SCHOOL],
    )
    reason = Reason("school", "refers to an organisation that is not a school")
    return [(n, 0, reason) for (n,) in cursor.fetchall()]


_ENROLMENT_STAGED = rows_writer(
    Enrolment,
    {
        "person_id": _ref("person"),
        "school_id": _ref("school"),
        "start_date": _day("start_date"),
        "end_date": _day("end_date"),
    },
    problems=_enrolment_problems,
    log_subject=_PERSON_LOGGED,
)


for record_type in (
    RecordType(
        "location",
        1,
        _location_upsert,
        _location_export,
        check=_location_check,
        staged=_LOCATION_STAGED,
    ),
    RecordType("organisation", 1, _organisation_upsert, _organisation_export),
    RecordType(
        "person",
        1,
        _person_upsert,
        _person_export,
        check=_person_check,
        staged=_PERSON_STAGED,
    ),
    RecordType(
        "person_address",
        1,
        _address_upsert,
        _address_export,
        check=lambda r: _in_order(r, "valid_from", "valid_to"),
        staged=_ADDRESS_STAGED,
    ),
    RecordType(
        "relationship",
        1,
        _relationship_upsert,
        _relationship_export,
        check=_relationship_check,
        staged=_RELATIONSHIP_STAGED,
    ),
    RecordType(
        "enrolment",
        1,
        _enrolment_upsert,
        _enrolment_export,
        check=lambda r: _in_order(r, "start_date", "end_date"),
        staged=_ENROLMENT_STAGED,
    ),
):
    register_record_type(record_type)

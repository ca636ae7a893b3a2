"""New incidents written set-based on PostgreSQL from an import's staging table (ADR 0012).

The same rows, checks and child marker as `incidents.interchange._upsert`, as SQL over
`interchange_staged` (interchange.staging): the incident rows with their marker, the participants,
both history tables and the involvements, one statement each. The child marker is worked out here
by the database with the rules of `incidents/marker.py` and `people/age.py`; tests compare the two
case by case (tests/interchange/test_marker_edges.py), so they cannot drift apart.

Every statement is built from model table names and this module's constants, never from input;
every value from a record reaches SQL as data in the staging table or as a parameter (hence the
`noqa: S608` on the statements).
"""

import datetime as dt

from thinkchild.incidents.involvement import involvements_add_for_incidents
from thinkchild.incidents.models import (
    ChildMarkerReason,
    Incident,
    IncidentType,
    Participant,
)
from thinkchild.incidents.services import LONDON
from thinkchild.interchange.records import Item, Reason
from thinkchild.interchange.staging import (
    STAGED,
    UUID7_SQL,
    StagedWriter,
    staged_history,
    temp_table_create,
)
from thinkchild.people.models import Person, Pregnancy

PARTICIPANTS = "interchange_staged_participants"
_STAGED_IDS = f"SELECT id FROM {STAGED}"  # noqa: S608 (names from our own code)

_INCIDENT = Incident._meta.db_table
_TYPE = IncidentType._meta.db_table
_PARTICIPANT = Participant._meta.db_table
_PERSON = Person._meta.db_table
_PREGNANCY = Pregnancy._meta.db_table

# The incident's day in London, where ages are counted (incidents.services.incident_day).
_DAY = f"((s.rec->>'occurred_at')::timestamptz AT TIME ZONE '{LONDON.key}')::date"


def _years(earlier: str, later: str) -> str:
    """people.age.years_between in SQL: whole years from `earlier` to `later` (dates)."""
    return (
        f"(date_part('year', {later}) - date_part('year', {earlier}) - CASE WHEN "
        f"(date_part('month', {later}), date_part('day', {later})) < "
        f"(date_part('month', {earlier}), date_part('day', {earlier})) THEN 1 ELSE 0 END)"
    )


# people.age.age_on: from the date of birth, else from an estimated age and when it was given.
_AGE = (
    f"CASE WHEN pp.date_of_birth IS NOT NULL THEN {_years('pp.date_of_birth', 'p.day')} "
    "WHEN pp.estimated_age IS NOT NULL AND pp.estimated_age_on IS NOT NULL THEN "
    f"pp.estimated_age + {_years('pp.estimated_age_on', 'p.day')} END"
)

# incidents.marker.pregnant_on: known by the day, and not ended (or due) before it.
_PREGNANT = (
    f"EXISTS (SELECT 1 FROM {_PREGNANCY} g WHERE g.person_id = pp.id "  # noqa: S608
    "AND g.known_from <= p.day "
    "AND (coalesce(g.ended_on, g.due_date) IS NULL OR p.day <= coalesce(g.ended_on, g.due_date)))"
)

_REASONS = {
    "under_18": ChildMarkerReason.UNDER_18.value,
    "appears": ChildMarkerReason.APPEARS_UNDER_18.value,
    "unborn": ChildMarkerReason.UNBORN_CHILD.value,
}
# In ChildMarkerReason's order, as child_marker_reasons gives them.
_REASON_ORDER = sorted(_REASONS, key=lambda k: list(ChildMarkerReason).index(_REASONS[k]))


def _record(item: Item) -> dict:
    """The record as staged: its time as Python reads it (the schema's check accepts forms of
    ISO 8601 that PostgreSQL might read otherwise)."""
    occurred = dt.datetime.fromisoformat(item.record["occurred_at"])
    return {**item.record, "occurred_at": occurred.isoformat()}


def _participants_stage(cursor) -> None:
    """Each incident's participants without repeats (a person named twice in the same role is one
    participant, as _participants does), with the path of the first naming, the day, and what
    the checks and the child marker read of the person on that day (one join for both)."""
    temp_table_create(
        cursor,
        PARTICIPANTS,
        "ON COMMIT DROP AS "  # noqa: S608 (names from our own code)
        "SELECT p.*, pp.date_of_birth, "
        f"({_AGE}) BETWEEN 0 AND 17 AS under_18, pp.appears_under_18 AS appears, "
        f"{_PREGNANT} AS unborn "
        "FROM (SELECT DISTINCT ON (s.n, person_id, role) s.n, p.i, person_id, role, d.day "
        # The day once per incident, not once per participant.
        f"FROM {STAGED} s CROSS JOIN LATERAL (SELECT {_DAY} AS day) d "
        "CROSS JOIN LATERAL jsonb_array_elements(s.rec->'participants') "
        "WITH ORDINALITY AS e(v, i) "
        "CROSS JOIN LATERAL (SELECT e.i - 1 AS i, e.v->>'role' AS role, "
        "(s.refs->>('participants.' || (e.i - 1) || '.person'))::uuid AS person_id) p "
        # One index lookup per participant (LATERAL, kept apart by its LIMIT). The planner
        # cannot know how many participants jsonb_array_elements gives (it guesses 100 a record)
        # and would otherwise read every person into a hash table, for every batch.
        f"ORDER BY s.n, person_id, role, p.i) p LEFT JOIN LATERAL (SELECT * FROM {_PERSON} x "
        "WHERE x.id = p.person_id LIMIT 1) pp ON true",
    )


def _problems(cursor, ctx):
    """What _problems of incidents.interchange finds, found by the database: an unknown type, a
    reference another incident (or an earlier line) has, a participant born after the incident."""
    _participants_stage(cursor)
    cursor.execute(
        f"SELECT s.n, s.rec->>'incident_type' FROM {STAGED} s "  # noqa: S608
        f"WHERE NOT EXISTS (SELECT 1 FROM {_TYPE} t WHERE t.code = s.rec->>'incident_type')"
    )
    for n, code in cursor.fetchall():
        yield n, (0,), Reason("incident_type", f"unknown incident type code {code!r}")
    cursor.execute(
        "SELECT n, reference, CASE WHEN line <> first THEN first END FROM ("  # noqa: S608
        "SELECT s.n, s.line, s.rec->>'reference' AS reference, "
        f"min(s.line) OVER (PARTITION BY s.rec->>'reference') AS first FROM {STAGED} s) r "
        "WHERE line <> first OR EXISTS "
        f"(SELECT 1 FROM {_INCIDENT} i WHERE i.reference = r.reference)"
    )
    for n, reference, first in cursor.fetchall():
        where = f"line {first}" if first is not None else "another incident"
        yield n, (1,), Reason("reference", f"reference {reference} already belongs to {where}")
    cursor.execute(
        f"SELECT n, i, date_of_birth, day FROM {PARTICIPANTS} "  # noqa: S608
        "WHERE date_of_birth > day"
    )
    for n, i, born, day in cursor.fetchall():
        yield (
            n,
            (2, i),
            Reason(
                f"participants.{i}.person",
                f"born {born:%d/%m/%Y}, after the incident ({day:%d/%m/%Y})",
            ),
        )


def _write(cursor, ctx) -> None:
    reasons = ", ".join(f"CASE WHEN m.{k} THEN '{_REASONS[k]}' END" for k in _REASON_ORDER)
    has_child = " OR ".join(f"coalesce(m.{k}, false)" for k in _REASON_ORDER)
    cursor.execute(
        f"INSERT INTO {_INCIDENT} (id, force_id, area_id, team_id, allocated_to_id, "  # noqa: S608
        "location_id, reference, occurred_at, type_id, summary, is_restricted, has_child, "
        "child_marker_reasons, created_at, updated_at) "
        "SELECT s.id, %s, (s.refs->>'area')::uuid, (s.refs->>'team')::uuid, "
        "(s.refs->>'allocated_to')::uuid, (s.refs->>'location')::uuid, s.rec->>'reference', "
        "(s.rec->>'occurred_at')::timestamptz, s.rec->>'incident_type', "
        "coalesce(s.rec->>'summary', ''), coalesce((s.rec->>'restricted')::boolean, false), "
        f"{has_child}, to_jsonb(array_remove(ARRAY[{reasons}]::text[], NULL)), %s, %s "
        f"FROM {STAGED} s LEFT JOIN ("
        "SELECT n, bool_or(under_18) AS under_18, bool_or(appears) AS appears, "
        f"bool_or(unborn) AS unborn FROM {PARTICIPANTS} GROUP BY n"
        ") m ON m.n = s.n ORDER BY s.n",
        [ctx.force.pk, ctx.now, ctx.now],
    )
    cursor.execute(
        f"INSERT INTO {_PARTICIPANT} (id, incident_id, person_id, role) "  # noqa: S608
        f"SELECT {UUID7_SQL}, s.id, p.person_id, p.role FROM {PARTICIPANTS} p "
        f"JOIN {STAGED} s ON s.n = p.n ORDER BY p.n, p.i, p.role"
    )
    staged_history(Incident, "id", ctx)
    staged_history(Participant, "incident_id", ctx)
    involvements_add_for_incidents(ids_query=_STAGED_IDS)


STAGED_WRITER = StagedWriter(
    write=_write,
    problems=_problems,
    log_subject=("incident", "s.id", "s.rec->>'reference'"),
    record=_record,
)

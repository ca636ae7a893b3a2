"""What a set-based incident import would cost, beside what the importer costs now.

    python -m benchmarks.import_profile --db postgres --files DIR --no-reimport   # loads tc_perf
    python -m benchmarks.setbased_probe --files DIR [--count 50000]

A probe for a design decision (docs/decisions/0011, addendum), not part of the product. Against the
force-scale database that import_profile leaves in `tc_perf`, it imports the first `--count`
incidents of DIR/incidents.jsonl twice under new source ids and references, in one process:

1. through `import_files` as it is (workers=1);
2. set-based: Python parses, checks the shape and digests each line as the importer does, and
   COPYs the raw lines into a staging table; PostgreSQL resolves the references through the key
   map, works out the child marker, checks the types, references and births, and writes the
   incidents, participants, both history tables, the involvements, the key map and the processing
   log, each with one INSERT ... SELECT.

It prints the whole machine's CPU per incident for each, split into Python and database. The
probe's child marker is an approximation (whole years by interval, estimated ages and a
pregnancy's due date ignored): it differed from the importer's on 287 of 50,000 incidents. Held
lines, updates, erased keys and quarantine are not done at all: it measures the cost of the rows.
"""

import argparse
import os
import sys
import time
from pathlib import Path

from benchmarks.import_profile import POSTGRES_DB, POSTGRES_SERVER
from benchmarks.machine import CpuSplit

_UUID7 = """
CREATE OR REPLACE FUNCTION pg_temp.uuid7() RETURNS uuid AS $$
  SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING
    substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
    FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
$$ LANGUAGE sql VOLATILE
"""

_KEY_JOIN = (
    "LEFT JOIN interchange_sourcerecord {a} ON {a}.record_type = '{type}' "
    "AND {a}.source_system = 'demo' AND {a}.source_id = s.rec->>'{field}'"
)

_STATEMENTS = [
    f"""
CREATE TEMP TABLE inc ON COMMIT DROP AS
SELECT s.line, s.source_id, s.digest, pg_temp.uuid7() AS id, s.rec->>'reference' AS reference,
  (s.rec->>'occurred_at')::timestamptz AS occurred_at, s.rec->>'incident_type' AS type_id,
  coalesce(s.rec->>'summary', '') AS summary,
  coalesce((s.rec->>'restricted')::bool, false) AS restricted,
  a.object_id AS area_id, t.object_id AS team_id, u.object_id AS user_id,
  l.object_id AS location_id,
  ((s.rec->>'occurred_at')::timestamptz AT TIME ZONE 'Europe/London')::date AS day
FROM staged s
{_KEY_JOIN.format(a="a", type="area", field="area")}
{_KEY_JOIN.format(a="t", type="team", field="team")}
{_KEY_JOIN.format(a="u", type="user", field="allocated_to")}
{_KEY_JOIN.format(a="l", type="location", field="location")}
""",
    """
CREATE TEMP TABLE part ON COMMIT DROP AS
SELECT DISTINCT ON (i.id, k.object_id, p->>'role') pg_temp.uuid7() AS id, i.id AS incident_id,
  k.object_id AS person_id, p->>'role' AS role, i.day
FROM inc i JOIN staged s ON s.line = i.line
CROSS JOIN LATERAL jsonb_array_elements(s.rec->'participants') p
JOIN interchange_sourcerecord k ON k.record_type = 'person' AND k.source_system = 'demo'
  AND k.source_id = p->>'person'
""",
    "SELECT count(*) FROM inc WHERE type_id NOT IN (SELECT code FROM incidents_incidenttype)",
    "SELECT count(*) FROM inc i JOIN incidents_incident x ON x.reference = i.reference",
    """SELECT count(*) FROM part pt JOIN people_person pp ON pp.id = pt.person_id
       WHERE pp.date_of_birth > pt.day""",
    """
CREATE TEMP TABLE marker ON COMMIT DROP AS
SELECT pt.incident_id,
  bool_or(pp.date_of_birth > pt.day - interval '18 years') AS under_18,
  bool_or(pp.appears_under_18) AS appears,
  bool_or(EXISTS (SELECT 1 FROM people_pregnancy g WHERE g.person_id = pp.id
    AND g.known_from <= pt.day AND (g.ended_on IS NULL OR g.ended_on >= pt.day))) AS unborn
FROM part pt JOIN people_person pp ON pp.id = pt.person_id GROUP BY pt.incident_id
""",
    """
INSERT INTO incidents_incident (id, reference, occurred_at, summary, is_restricted, has_child,
  child_marker_reasons, created_at, updated_at, allocated_to_id, area_id, force_id, location_id,
  team_id, type_id)
SELECT i.id, i.reference, i.occurred_at, i.summary, i.restricted,
  coalesce(m.under_18 OR m.appears OR m.unborn, false),
  to_jsonb(array_remove(ARRAY[CASE WHEN m.under_18 THEN 'under_18' END,
    CASE WHEN m.appears THEN 'appears_under_18' END,
    CASE WHEN m.unborn THEN 'unborn_child' END], NULL)),
  now(), now(), i.user_id, i.area_id, %(force)s, i.location_id, i.team_id, i.type_id
FROM inc i LEFT JOIN marker m ON m.incident_id = i.id ORDER BY i.id
""",
    """
INSERT INTO incidents_historicalincident (id, reference, occurred_at, summary, is_restricted,
  has_child, child_marker_reasons, created_at, updated_at, allocated_to_id, area_id, force_id,
  location_id, team_id, type_id, history_date, history_change_reason, history_type,
  history_user_id)
SELECT x.id, x.reference, x.occurred_at, x.summary, x.is_restricted, x.has_child,
  x.child_marker_reasons, x.created_at, x.updated_at, x.allocated_to_id, x.area_id, x.force_id,
  x.location_id, x.team_id, x.type_id, now(), 'import run probe', '+', NULL
FROM incidents_incident x WHERE x.id IN (SELECT id FROM inc)
""",
    """
INSERT INTO incidents_participant (id, incident_id, person_id, role)
SELECT id, incident_id, person_id, role FROM part ORDER BY id
""",
    """
INSERT INTO incidents_historicalparticipant (id, incident_id, person_id, role, history_date,
  history_change_reason, history_type, history_user_id)
SELECT id, incident_id, person_id, role, now(), 'import run probe', '+', NULL FROM part
""",
    """
INSERT INTO incidents_involvement (person_id, holder_id)
SELECT * FROM (
  SELECT pt.person_id,
    CASE h.n WHEN 1 THEN i.area_id WHEN 2 THEN i.team_id ELSE i.user_id END AS holder_id
  FROM inc i JOIN part pt ON pt.incident_id = i.id
  CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3) h
) q WHERE holder_id IS NOT NULL ORDER BY 1, 2 ON CONFLICT DO NOTHING
""",
    """
INSERT INTO interchange_sourcerecord (record_type, source_system, source_id, object_id, digest,
  last_seen_line, updated_at, first_seen_run_id, last_seen_run_id)
SELECT 'incident', 'demo', source_id, id, digest, line, now(), %(run)s, %(run)s FROM inc
""",
    """
INSERT INTO access_processinglogentry (id, occurred_at, operation, channel, actor_label,
  subject_type, subject_id, subject_label, justification, out_of_scope, recipient, request_id,
  source_ip, detail, actor_id)
SELECT pg_temp.uuid7(), now(), 'collection', 'import', '', 'incident', id, reference, '', false,
  '', '', NULL, %(detail)s::jsonb, NULL FROM inc
""",
    "SET CONSTRAINTS ALL IMMEDIATE",
]


def _renamed(source: Path, out: Path, prefix: str, count: int) -> Path:
    """The first `count` incidents with new source ids and references (I0.. -> {prefix}0..)."""
    with source.open("rb") as lines, out.open("wb") as written:
        for n, line in enumerate(lines):
            if n == count:
                break
            written.write(
                line.replace(b'"source_id":"I', f'"source_id":"{prefix}'.encode()).replace(
                    b'"reference":"LC-', f'"reference":"L{prefix}-'.encode()
                )
            )
    return out


def _measured(label: str, count: int, run) -> None:
    started = time.perf_counter()
    with CpuSplit() as cpu:
        run()
    seconds = time.perf_counter() - started
    us = cpu.per_record_us(count)
    print(
        f"{label:<26} {count:,} incidents {seconds:6.1f} s {count / seconds:7,.0f}/s  "
        f"CPU/incident {us['all']:4.0f} µs (Python {us['python']:4.0f}, "
        f"database {us['database']:4.0f})",
        flush=True,
    )


def _setbased(path: Path) -> None:
    from django.db import connection, transaction

    from thinkchild.access.ids import record_id
    from thinkchild.interchange.batch import line_check
    from thinkchild.interchange.readers.jsonl import lines_parse
    from thinkchild.interchange.records import RawLine
    from thinkchild.org.models import Force

    raw = [RawLine(n + 1, line) for n, line in enumerate(path.open("rb"))]
    params = {
        "force": Force.objects.get().pk,
        "run": record_id(),
        "detail": '{"import_run": "probe"}',
    }
    with connection.cursor() as cursor:
        cursor.execute(_UUID7)
    for start in range(0, len(raw), 5000):
        rows = []
        for line in lines_parse(raw[start : start + 5000]):
            _, key, reasons, digest = line_check(line, "demo")
            if reasons:
                raise ValueError(f"line {line.number}: {reasons}")
            rows.append((line.number, key.source_id, digest, line.raw_bytes.decode().rstrip()))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('synchronous_commit', 'off', true), "
                "set_config('jit', 'off', true), "
                "set_config('max_parallel_workers_per_gather', '0', true), "
                "set_config('random_page_cost', '1.1', true)"
            )
            cursor.execute(
                "CREATE TEMP TABLE staged (line int, source_id text, digest text, rec jsonb) "
                "ON COMMIT DROP"
            )
            with cursor.cursor.copy("COPY staged FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            for statement in _STATEMENTS:
                cursor.execute(statement, params)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.setbased_probe")
    parser.add_argument("--files", type=Path, required=True, help="the force-scale .jsonl files")
    parser.add_argument("--count", type=int, default=50_000)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = f"{POSTGRES_SERVER}/{POSTGRES_DB}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "thinkchild.config.settings"
    os.environ.setdefault("THINKCHILD_SECRET_KEY", "setbased-probe-not-secret-" + "x" * 32)
    os.environ["THINKCHILD_INSECURE_HTTP"] = "1"
    os.environ["THINKCHILD_PLAIN_STATIC"] = "1"
    os.environ["THINKCHILD_LOG_LEVEL"] = "WARNING"
    import tempfile

    import django

    django.setup()
    from thinkchild.interchange.services import import_files
    from thinkchild.interchange.statistics import database_statistics_refresh

    # A prefix not used before in this database, so both imports write new rows.
    prefix = "X" + hex(int(time.time()))[-5:].upper()
    source = args.files / "incidents.jsonl"
    with tempfile.TemporaryDirectory() as folder:
        now = _renamed(source, Path(folder) / "incidents.jsonl", f"{prefix}A", args.count)
        probe = _renamed(source, Path(folder) / "probe.jsonl", f"{prefix}B", args.count)
        # Statistics first, so neither run pays for an ANALYZE of what import_profile left; the
        # importer's own refreshes are held off for the same reason.
        database_statistics_refresh()
        summaries = []

        def importer() -> None:
            summaries.append(
                import_files(paths=[now], progress=False, workers=1, statistics_after=10**9)
            )

        _measured("import_files (1 process)", args.count, importer)
        if summaries[0].accepted != args.count:
            raise SystemExit(f"import_files accepted {summaries[0].accepted:,} of {args.count:,}")
        _measured("set-based probe", args.count, lambda: _setbased(probe))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Missing children at force scale on PostgreSQL (issue #4, "Speed (benchmarks)").

`python -m benchmarks.missing` loads the force-scale demo (five years, about 60,000 missing
episodes) into its own database (`tc_missing`): the foundation's files first (not measured here:
`python -m benchmarks` measures them), then `missing.jsonl`, measured, with the time the import
spends settling the episodes (missing/services/settle.py) and a raw COPY of the same rows beside
it. It then measures, beside hand-written SQL for the same rows:

- the missing-children summary (by area and month; 12 and 24 months), through its selector and
  as the whole page a detective inspector's browser receives;
- a child's episode history, for the children with the most episodes, through its selector (scope,
  and the s.62 consultation log entry for each episode shown) and as the whole page.

Writes docs/benchmarks-missing.md and the numbers as JSON.
"""

import argparse
import datetime as dt
import json
import os
import shlex
import sys
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from benchmarks.databases import BENCH_DIR, POSTGRES_SERVER, ROOT, database_env
from benchmarks.latency import percentiles
from benchmarks.machine import machine_facts
from benchmarks.obligations import _say, _timed

DB_NAME = "tc_missing"
LONDON = ZoneInfo("Europe/London")
TARGET_MS = 150.0
MISSING_FILE = "missing"
MISSING_TABLES = (
    "missing_missingepisode",
    "missing_riskgrading",
    "missing_informationsource",
    "missing_enquiryaction",
    "missing_foundreport",
    "missing_preventioninterview",
    "missing_returnhomeinterview",
    "missing_philomenaprofile",
    "missing_repeatprompt",
)


def _files(directory: Path | None) -> list[Path]:
    """The force-scale demo's files, generated unless a folder holding them is given."""
    from thinkchild.demo.context import FILES
    from thinkchild.demo.generate import demo_generate
    from thinkchild.demo.scales import SCALES

    if directory is not None:
        paths = [directory / f"{name}.jsonl" for name in FILES]
        missing = [p.name for p in paths if not p.exists()]
        if missing:
            raise SystemExit(f"{directory} lacks {', '.join(missing)}: generate the force first")
        return paths
    out = BENCH_DIR / "files" / "force"
    _say(f"generating the force-scale demo into {out} ...")
    return demo_generate(scale=SCALES["force"], seed=1, out=out, as_of=dt.date.today()).paths


def _fresh_database() -> None:
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


# --- the import -------------------------------------------------------------------------------


MISSING_TYPES = (
    "missing_episode",
    "risk_grading",
    "enquiry_action",
    "found_report",
    "prevention_interview",
    "return_home_interview",
    "philomena_profile",
)


def _empty_missing() -> None:
    """Take out what an earlier run imported from missing.jsonl (its rows, history, keys and
    obligations), keeping the foundation, so that the import can be measured again."""
    from django.db import connection

    from thinkchild.missing import models

    tables = [
        m._meta.db_table
        for m in (
            models.MissingEpisode,
            models.RiskGrading,
            models.InformationSource,
            models.EnquiryAction,
            models.FoundReport,
            models.PreventionInterview,
            models.ReturnHomeInterview,
            models.RepeatPrompt,
            models.PhilomenaProfile,
        )
    ]
    tables += [
        m.history.model._meta.db_table
        for m in (models.MissingEpisode, models.ReturnHomeInterview, models.PhilomenaProfile)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)}")
        cursor.execute(
            "DELETE FROM standards_obligation_children WHERE obligation_id IN "
            "(SELECT id FROM standards_obligation WHERE subject_type = 'missing_episode')"
        )
        cursor.execute("DELETE FROM standards_obligation WHERE subject_type = 'missing_episode'")
        cursor.execute(
            "DELETE FROM interchange_sourcerecord WHERE record_type = ANY(%s)",
            [list(MISSING_TYPES)],
        )
        cursor.execute(
            "DELETE FROM interchange_quarantinedrecord WHERE record_type = ANY(%s)",
            [list(MISSING_TYPES)],
        )
    connection.close()
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        for table in ("standards_obligation", "standards_obligation_children",
                      "interchange_sourcerecord"):  # fmt: skip
            conn.execute(f"VACUUM ANALYZE {table}")


def measure_import(paths: list[Path], *, again: bool = False) -> dict:
    from django.core.management import call_command

    from benchmarks import raw_load
    from thinkchild.interchange.services import import_files
    from thinkchild.missing.services import settle

    call_command("migrate", interactive=False, verbosity=0)
    foundation = [p for p in paths if p.stem != MISSING_FILE]
    missing = [p for p in paths if p.stem == MISSING_FILE]
    if again:
        _say("emptying what the last run imported from missing.jsonl; the foundation stays")
        _empty_missing()
    else:
        _say(f"importing the foundation's {len(foundation)} files (not measured here) ...")
        seconds, _ = _timed(lambda: import_files(paths=foundation, actor=None, progress=False))
        _say(f"foundation imported in {seconds:.0f}s")

    # Time the settling inside the import: the same function, with a stopwatch round it.
    settled = {"seconds": 0.0, "episodes": 0}
    original = settle.episodes_settle

    def timed_settle(**kwargs):
        took, count = _timed(lambda: original(**kwargs))
        settled["seconds"] += took
        settled["episodes"] += count
        return count

    settle.episodes_settle = timed_settle
    import thinkchild.missing.interchange as missing_interchange

    missing_interchange.episodes_settle = timed_settle
    _say("importing missing.jsonl ...")
    seconds, summary = _timed(lambda: import_files(paths=missing, actor=None, progress=True))
    records = summary.accepted + summary.unchanged + summary.rejected + summary.held
    result = {
        "records": records,
        "accepted": summary.accepted,
        "rejected": summary.rejected,
        "held": summary.held,
        "megabytes": sum(p.stat().st_size for p in missing) / 1e6,
        "seconds": seconds,
        "records_per_s": records / seconds,
        "settle_seconds": settled["seconds"],
        "settled_episodes": settled["episodes"],
    }
    _say(
        f"missing.jsonl: {records:,} records in {seconds:.0f}s = {records / seconds:,.0f}/s "
        f"(settling {settled['episodes']:,} episodes: {settled['seconds']:.0f}s)"
    )
    raw = raw_load.raw_load_postgres(os.environ["DATABASE_URL"], tables=list(MISSING_TABLES))
    raw["rows_per_s"] = raw["rows"] / raw["seconds"]
    result["raw_load"] = raw
    _say(f"raw COPY of the same tables: {raw['rows']:,} rows in {raw['seconds']:.1f}s")
    return result


# --- the queries -----------------------------------------------------------------------------


SUMMARY_SQL = """
SELECT e.area_id,
       date_trunc('month', e.reported_at AT TIME ZONE 'Europe/London') AS month,
       count(*),
       count(*) FILTER (WHERE e.risk_level = 'high'),
       count(*) FILTER (WHERE e.risk_level = 'medium'),
       count(*) FILTER (WHERE e.risk_level = 'low'),
       count(*) FILTER (WHERE e.risk_level = 'very_low'),
       count(*) FILTER (WHERE e.risk_level = ''),
       count(DISTINCT e.child_id) FILTER (WHERE e.repeat_marker),
       count(*) FILTER (WHERE e.found_at IS NOT NULL),
       count(*) FILTER (WHERE e.prevention_done),
       count(*) FILTER (WHERE e.return_interview_held_at <= e.found_at + interval '72 hours')
FROM missing_missingepisode e
WHERE e.force_id = %s AND e.reported_at >= %s AND e.reported_at < %s
GROUP BY 1, 2
"""

LEGACY_SQL = """
SELECT e.area_id, date_trunc('month', e.reported_at AT TIME ZONE 'Europe/London'), count(*)
FROM missing_missingepisode e
WHERE e.force_id = %s AND e.reported_at >= %s AND e.reported_at < %s
  AND e.legacy_category <> '' AND EXISTS (
      SELECT 1 FROM standards_obligation o
      WHERE o.subject_type = 'missing_episode' AND o.subject_id = e.id
        AND o.standard_id = 'missing.legacy_grading_reviewed'
        AND o.status IN ('open', 'overdue'))
GROUP BY 1, 2
"""

HISTORY_SQL = """
SELECT e.id, e.reference, e.reported_at, e.missing_from, e.home_force, e.risk_level,
       e.repeat_marker, e.legacy_category, e.found_at, e.status, t.name, p.done, p.held_at
FROM missing_missingepisode e
JOIN org_team t ON t.id = e.team_id
LEFT JOIN missing_preventioninterview p ON p.episode_id = e.id
WHERE e.child_id = %s AND e.force_id = %s AND NOT e.is_restricted
ORDER BY e.reported_at DESC
"""


def _month(day: dt.date, back: int) -> dt.date:
    months = day.year * 12 + day.month - 1 - back
    return dt.date(months // 12, months % 12 + 1, 1)


def _client(user):
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def _latency(fn, repeats: int) -> dict:
    fn()  # warm: the first call compiles templates and fills caches
    return percentiles([_timed(fn)[0] for _ in range(repeats)])


def measure_summary(repeats: int) -> dict:
    from django.db import connection
    from django.urls import reverse

    from thinkchild.missing.summary import missing_summary
    from thinkchild.org.models import User

    user = User.objects.select_related("team").get(username="di")
    today = dt.date.today().replace(day=1)
    results = {}
    for months in (12, 24):
        first = _month(today, months - 1)
        start = dt.datetime(first.year, first.month, 1, tzinfo=LONDON)
        end = dt.datetime(today.year + today.month // 12, today.month % 12 + 1, 1, tzinfo=LONDON)

        def selector(first=first):
            return missing_summary(user=user, month_from=first, month_to=today)

        def raw(start=start, end=end):
            with connection.cursor() as cursor:
                cursor.execute(SUMMARY_SQL, [user.force_id, start, end])
                rows = cursor.fetchall()
                cursor.execute(LEGACY_SQL, [user.force_id, start, end])
                return rows, cursor.fetchall()

        client = _client(user)
        query = f"?month_from={first:%Y-%m}&month_to={today:%Y-%m}"
        url = reverse("missing:summary") + query

        def page(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        rows, (raw_rows, _) = selector(), raw()
        results[f"{months}_months"] = {
            "rows": len(rows),
            "episodes": sum(r.episodes for r in rows),
            "same_totals": sum(r.episodes for r in rows) == sum(r[2] for r in raw_rows)
            and len(rows) == len(raw_rows),
            "selector": _latency(selector, repeats),
            "page": _latency(page, repeats),
            "raw": _latency(raw, repeats),
        }
        r = results[f"{months}_months"]
        _say(
            f"summary, {months} months ({r['episodes']:,} episodes, {r['rows']} rows): selector "
            f"p95 {r['selector']['p95_ms']:.1f} ms, page p95 {r['page']['p95_ms']:.1f} ms, raw "
            f"p95 {r['raw']['p95_ms']:.1f} ms"
        )
    return results


def measure_history(repeats: int, children: int = 20) -> dict:
    from django.db import connection
    from django.db.models import Count
    from django.urls import reverse

    from thinkchild.missing.models import MissingEpisode
    from thinkchild.missing.selectors import child_episodes
    from thinkchild.org.models import User
    from thinkchild.people.models import Person

    user = User.objects.select_related("team").get(username="control")
    busiest = list(
        MissingEpisode.objects.values("child_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "child_id")[:children]
        .values_list("child_id", "n")
    )
    people = Person.objects.in_bulk([pk for pk, _ in busiest])
    client = _client(user)
    selector_s, page_s, raw_s, same = [], [], [], 0
    for child_id, count in busiest:
        child = people[child_id]
        url = reverse("missing:child", args=[child_id])

        def selector(child=child):
            return child_episodes(user=user, child=child)

        def raw(child_id=child_id):
            with connection.cursor() as cursor:
                cursor.execute(HISTORY_SQL, [child_id, user.force_id])
                return cursor.fetchall()

        def page(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        same += len(selector()) == len(raw()) == count
        client.get(url)  # warm
        for _ in range(repeats):
            selector_s.append(_timed(selector)[0])
            raw_s.append(_timed(raw)[0])
            page_s.append(_timed(page)[0])
    result = {
        "children": len(busiest),
        "episodes_max": busiest[0][1] if busiest else 0,
        "episodes_median": sorted(n for _, n in busiest)[len(busiest) // 2] if busiest else 0,
        "same_rows": same,
        "selector": percentiles(selector_s),
        "page": percentiles(page_s),
        "raw": percentiles(raw_s),
    }
    _say(
        f"episode history ({result['children']} children, up to {result['episodes_max']} "
        f"episodes): selector p95 {result['selector']['p95_ms']:.1f} ms, page p95 "
        f"{result['page']['p95_ms']:.1f} ms, raw p95 {result['raw']['p95_ms']:.1f} ms"
    )
    return result


# --- the report ------------------------------------------------------------------------------


def _ms(value: float) -> str:
    return f"{value:,.1f}"


def _row(name: str, measured: dict, verdict: bool = True) -> str:
    s, p, r = measured["selector"], measured["page"], measured["raw"]
    met = ("met" if p["p95_ms"] < TARGET_MS else "**not met**") if verdict else ""
    return (
        f"| {name} | {_ms(s['p50_ms'])} | {_ms(s['p95_ms'])} | {_ms(p['p50_ms'])} | "
        f"{_ms(p['p95_ms'])} | {_ms(r['p50_ms'])} | {_ms(r['p95_ms'])} | {met} |"
    )


def report(run: dict) -> str:
    imp, machine = run["import"], run["machine"]
    raw = imp["raw_load"]
    lines = [
        "# Benchmarks: missing children at force scale",
        "",
        'Issue #4, "Speed (benchmarks)": the missing-children summary page and a child\'s '
        "episode history on the force-scale demo under 150 ms at p95 on PostgreSQL, beside the "
        "raw SQL lower bound.",
        "",
        f"Command: `{run['command']}`, run {run['date']} UTC, {run['server']} (database "
        f"`{DB_NAME}`, {run['settings']}; DEBUG off).",
        "",
        "## Machine",
        "",
        "|  |  |",
        "| --- | ---: |",
        *(f"| {k} | {v} |" for k, v in machine.items()),
        "",
        *(f"Note: {note}" for note in run.get("notes", [])),
        "",
        "## Results",
        "",
        "Latency in milliseconds. *Selector*: the read the page makes (scope, and for the "
        "history the s.62 consultation log entry for each episode shown). *Page*: the whole "
        "response through Django (session, middleware, template), as a browser receives it. "
        "*Raw SQL*: a hand-written query for the same rows, the lower bound.",
        "",
        "| measure | selector p50 | selector p95 | page p50 | page p95 | raw SQL p50 | "
        "raw SQL p95 | target (page p95 < 150 ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for months in (12, 24):
        m = run["summary"][f"{months}_months"]
        lines.append(
            _row(f"Summary, {months} months ({m['episodes']:,} episodes, {m['rows']} rows)", m)
        )
    h = run["history"]
    lines.append(
        _row(
            f"A child's episode history ({h['children']} busiest children, median "
            f"{h['episodes_median']}, up to {h['episodes_max']} episodes)",
            h,
        )
    )
    lines += [
        "",
        "Same rows as the raw SQL: the summary, "
        + ("yes" if all(run["summary"][k]["same_totals"] for k in run["summary"]) else "**no**")
        + f"; the histories {h['same_rows']} of {h['children']}. Each summary figure is "
        f"{run['summary']['12_months']['page']['n']} timed requests, each history figure "
        f"{h['page']['n']} ({h['page']['n'] // max(h['children'], 1)} for each child), after a "
        "warm-up.",
        "",
        "## Importing missing children's history",
        "",
        "| | records | seconds | records/s |",
        "| --- | ---: | ---: | ---: |",
        f"| `thinkchild import missing.jsonl` ({imp['megabytes']:,.0f} MB; "
        f"{imp['accepted']:,} accepted, {imp['rejected']} rejected, {imp['held']} held) | "
        f"{imp['records']:,} | {imp['seconds']:,.0f} | {imp['records_per_s']:,.0f} |",
        f"| of which settling {imp['settled_episodes']:,} episodes (current grading, status, "
        f"repeat count, closure, obligations) | | {imp['settle_seconds']:,.0f} | |",
        f"| raw {raw['method']} of the same tables' rows ({raw['rows']:,} rows) | "
        f"{raw['rows']:,} | {raw['seconds']:,.1f} | {raw['rows_per_s']:,.0f} rows/s |",
        "",
        "No target is set for this import; it is measured so that a change to it shows. The "
        "foundation's files are imported first and measured by `python -m benchmarks` "
        "(docs/benchmarks.md).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m benchmarks.missing", description=__doc__)
    parser.add_argument("--files", type=Path, help="a folder holding the force-scale files")
    parser.add_argument("--reuse", action="store_true", help="keep tc_missing's import")
    parser.add_argument(
        "--again",
        action="store_true",
        help="keep tc_missing's foundation and import missing.jsonl again (after a change)",
    )
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--json", type=Path, default=BENCH_DIR / "missing.json")
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks-missing.md")
    parser.add_argument("--note", action="append", default=[])
    args = parser.parse_args(argv)

    env = database_env("postgres")
    env["DATABASE_URL"] = f"{POSTGRES_SERVER}/{DB_NAME}"
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    run = {
        "command": shlex.join(["python", "-m", "benchmarks.missing", *argv]),
        "date": f"{dt.datetime.now(UTC):%Y-%m-%d %H:%M}",
        "machine": machine_facts(),
        "notes": args.note,
    }
    if args.reuse and args.json.exists():
        run["import"] = json.loads(args.json.read_text())["import"]
        _say(f"keeping the import of {args.json}")
    else:
        paths = _files(args.files)
        if not args.again:
            connection.close()
            _fresh_database()
        run["import"] = measure_import(paths, again=args.again)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT version()")
        run["server"] = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute(
            "SELECT 'shared_buffers ' || current_setting('shared_buffers') || ', max_wal_size ' "
            "|| current_setting('max_wal_size')"
        )
        run["settings"] = cursor.fetchone()[0]
    run["summary"] = measure_summary(args.repeats)
    run["history"] = measure_history(max(3, args.repeats // 6))
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(run, indent=2, default=str))
    args.report.write_text(report(run))
    _say(f"wrote {args.report} and {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

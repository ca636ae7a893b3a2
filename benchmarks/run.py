"""One database's measurements, run in its own process (Django reads its database at start-up).

Called by `python -m benchmarks`; writes its results as JSON for the report.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path


def _say(text: str) -> None:
    print(text, flush=True)


def _server_version(engine: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if engine == "postgres":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return cursor.fetchone()[0]


SERVER_SETTINGS = (
    "shared_buffers",
    "max_wal_size",
    "checkpoint_timeout",
    "synchronous_commit",
    "autovacuum",
)


def _server_settings(engine: str) -> str:
    """The PostgreSQL settings a bulk load's speed depends on, as the server ran them."""
    if engine != "postgres":
        return ""
    from django.db import connection

    with connection.cursor() as cursor:
        shown = []
        for name in SERVER_SETTINGS:
            cursor.execute(f"SHOW {name}")
            shown.append(f"{name} {cursor.fetchone()[0]}")
    return ", ".join(shown)


def _analyze() -> float:
    """Fresh planner statistics, as autovacuum would gather soon after a bulk load (and this
    machine's PostgreSQL runs with autovacuum off). Without them PostgreSQL plans the scope
    subquery of a search for empty tables and takes seconds."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def measure(
    *, engine: str, paths: list[Path], queries: int, seed: int, measured_import: Path | None = None
) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks import latency, raw_load
    from benchmarks.machine import CpuSplit
    from thinkchild.interchange.services import import_files
    from thinkchild.org.models import User

    call_command("migrate", interactive=False, verbosity=0)
    results: dict = {
        "engine": engine,
        "server_version": _server_version(engine),
        "server_settings": _server_settings(engine),
    }

    if measured_import is not None:
        # The database holds an earlier run's import: keep its import numbers, measure the
        # queries again (after a change to the selectors, without a 20-minute reload).
        earlier = json.loads(measured_import.read_text())
        for key in ("import", "raw_load", "analyze_seconds"):
            results[key] = earlier[key]
        results["import_from"] = measured_import.name
        _say(f"[{engine}] import numbers from {measured_import}; measuring the queries again")
    else:
        _say(f"[{engine}] importing {len(paths)} files through import_files ...")
        started = time.perf_counter()
        with CpuSplit() as cpu:
            summary = import_files(paths=paths, actor=None, progress=True)
        seconds = time.perf_counter() - started
        records = summary.accepted + summary.unchanged + summary.rejected + summary.held
        results["import"] = {
            "records": records,
            "accepted": summary.accepted,
            "rejected": summary.rejected,
            "held": summary.held,
            "seconds": seconds,
            "records_per_s": records / seconds,
            "workers": summary.workers,
            # The machine's CPU per record: Python (this process, its workers; on SQLite the
            # database too) and the rest (PostgreSQL's server).
            "cpu_us_per_record": cpu.per_record_us(records),
            "cores": os.cpu_count(),
        }
        _say(
            f"[{engine}] import: {records:,} records in {seconds:.1f}s = {records / seconds:,.0f}/s"
        )
        results["analyze_seconds"] = _analyze()
        _say(f"[{engine}] ANALYZE after the load: {results['analyze_seconds']:.1f}s")

        if engine == "postgres":
            raw = raw_load.raw_load_postgres(os.environ["DATABASE_URL"])
        else:
            raw = raw_load.raw_load_sqlite(os.environ["THINKCHILD_SQLITE_PATH"])
        raw["records_per_s"] = records / raw["seconds"]
        raw["rows_per_s"] = raw["rows"] / raw["seconds"]
        results["raw_load"] = raw
        _say(
            f"[{engine}] raw {raw['method']}: {raw['rows']:,} rows in {raw['seconds']:.1f}s "
            f"= {raw['rows_per_s']:,.0f} rows/s ({raw['records_per_s']:,.0f} records/s)"
        )

    texts = latency.search_queries(count=queries, seed=seed)
    results["search"] = {}
    for username in ("officer", "control"):
        user = User.objects.select_related("team").get(username=username)
        found = latency.search_latency(user=user, queries=texts)
        results["search"][username] = found
        _say(
            f"[{engine}] search as {username}: selector p50 {found['selector']['p50_ms']:.1f} ms, "
            f"p95 {found['selector']['p95_ms']:.1f} ms; raw p50 {found['raw']['p50_ms']:.1f} ms, "
            f"p95 {found['raw']['p95_ms']:.1f} ms; same rows {found['same_rows']}/{len(texts)}"
        )

    control = User.objects.select_related("team").get(username="control")
    people = latency.busiest_people(20)
    chronology = latency.chronology_latency(user=control, person_ids=people, repeats=5)
    results["chronology"] = chronology
    sel, raw = chronology["selector"], chronology["raw"]
    _say(
        f"[{engine}] chronology ({chronology['events_median']:.0f} events median): selector "
        f"p50 {sel['p50_ms']:.1f} ms, p95 {sel['p95_ms']:.1f} ms; "
        f"raw p50 {raw['p50_ms']:.1f} ms, p95 {raw['p95_ms']:.1f} ms"
    )
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument("--db", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--files", type=Path, nargs="+", required=True)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--measured-import",
        type=Path,
        help="the results JSON of an earlier run into the same database: skip the import",
    )
    args = parser.parse_args(argv)
    results = measure(
        engine=args.db,
        paths=args.files,
        queries=args.queries,
        seed=args.seed,
        measured_import=args.measured_import,
    )
    args.json.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    sys.exit(main())

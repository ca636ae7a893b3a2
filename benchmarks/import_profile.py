"""Import throughput per record type, into a scratch database of its own, optionally profiled.

    python -m benchmarks.import_profile --db postgres --files /tmp/perf-demo [--profile out.prof]

Imports the files one `import_files` call each, in dependency order, into an empty database
(PostgreSQL database `tc_perf`, or a SQLite file under /tmp), and prints records/s per file and
for the whole set; then imports them all again (every record unchanged). For finding where import
time goes; `python -m benchmarks` remains the benchmark of record.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.machine import CpuSplit

ORDER = [
    "force",
    "org",
    "locations",
    "organisations",
    "persons",
    "person_addresses",
    "relationships",
    "enrolments",
    "incidents",
]
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
POSTGRES_DB = "tc_perf"
SQLITE_PATH = Path(tempfile.gettempdir()) / "tc_perf.sqlite3"


def _fresh(engine: str) -> None:
    if engine == "postgres":
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{POSTGRES_DB}"')
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    scratch_environment(engine)


def scratch_environment(engine: str) -> None:
    """Point Django (not started yet) at the scratch database, with production settings: with
    DEBUG on, Django would keep every query in memory. Also for benchmarks that read what this
    one loaded (address_profile)."""
    if engine == "postgres":
        os.environ["DATABASE_URL"] = f"{POSTGRES_SERVER}/{POSTGRES_DB}"
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["THINKCHILD_SQLITE_PATH"] = str(SQLITE_PATH)
    os.environ.pop("THINKCHILD_DEBUG", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "thinkchild.config.settings"
    os.environ.setdefault("THINKCHILD_SECRET_KEY", "import-profile-not-secret-" + "x" * 32)
    os.environ["THINKCHILD_INSECURE_HTTP"] = "1"
    os.environ["THINKCHILD_PLAIN_STATIC"] = "1"
    os.environ["THINKCHILD_LOG_LEVEL"] = "WARNING"


def _paths(folder: Path) -> list[Path]:
    found = {p.stem: p for p in folder.glob("*.jsonl")}
    return [found[name] for name in ORDER if name in found] + sorted(
        p for name, p in found.items() if name not in ORDER
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.import_profile")
    parser.add_argument("--db", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--files", type=Path, required=True, help="a folder of .jsonl files")
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the first import")
    parser.add_argument("--profile-only", help="profile only the file of this name (incidents)")
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--workers", type=int, default=None, help="import workers (default: cores)")
    parser.add_argument("--no-reimport", action="store_true")
    parser.add_argument("--sql", action="append", default=[], help="run after migrating")
    parser.add_argument("--queries", action="store_true", help="time the queries, by statement")
    args = parser.parse_args(argv)

    if not args.files.is_dir() or not any(args.files.glob("*.jsonl")):
        parser.error(f"no .jsonl files in {args.files} (thinkchild demo --no-load --out DIR)")
    _fresh(args.db)
    import django

    django.setup()
    from django.core.management import call_command

    from thinkchild.interchange.services import import_files

    call_command("migrate", interactive=False, verbosity=0)
    if args.sql:
        from django.db import connection

        with connection.cursor() as cursor:
            for statement in args.sql:
                cursor.execute(statement)
    paths = _paths(args.files)
    extra = {"batch_size": args.batch_size} if args.batch_size else {}
    if args.workers is not None:
        extra["workers"] = args.workers

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()

    def run(label: str) -> None:
        total_records, total_seconds, total_python, total_busy = 0, 0.0, 0.0, 0.0
        print(f"{label}:")
        print(
            "  CPU per record: the whole machine's, and of it this process's and its import "
            "workers' (Python); the rest is the database server's."
        )
        for path in paths:
            started = time.perf_counter()
            measured = profiler and args.profile_only in (None, path.stem)
            if measured:
                profiler.enable()
            with CpuSplit() as cpu:
                summary = import_files(paths=[path], progress=False, **extra)
            if measured:
                profiler.disable()
            seconds = time.perf_counter() - started
            total_python += cpu.python
            total_busy += cpu.busy
            records = summary.records
            total_records += records
            total_seconds += seconds
            us = cpu.per_record_us(records)
            print(
                f"  {path.stem:<18} {records:>8,} records {seconds:>7.2f} s "
                f"{records / seconds:>9,.0f}/s  CPU/record {us['all']:5.0f} µs "
                f"(Python {us['python']:4.0f}, database {us['database']:4.0f}); accepted "
                f"{summary.accepted:,}, unchanged {summary.unchanged:,}, rejected "
                f"{summary.rejected:,}, held {summary.held:,}",
                flush=True,
            )
        per = 1e6 / max(total_records, 1)
        print(
            f"  {'all':<18} {total_records:>8,} records {total_seconds:>7.2f} s "
            f"{total_records / total_seconds:>9,.0f}/s  CPU/record {total_busy * per:5.0f} µs "
            f"(Python {total_python * per:4.0f}, "
            f"database {(total_busy - total_python) * per:4.0f})",
            flush=True,
        )

    timings: dict[str, list] = {}
    if args.queries:
        from django.db import connection

        def timed(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                key = " ".join(sql.split())[:90]
                entry = timings.setdefault(key, [0, 0.0])
                entry[0] += 1
                entry[1] += time.perf_counter() - started

        connection.execute_wrappers.append(timed)

        # COPY and COMMIT do not pass through the execute wrappers: timed by wrapping them.
        import thinkchild.access.log
        import thinkchild.interchange.bulk

        def timing(key, function):
            def wrapper(*a, **k):
                started = time.perf_counter()
                try:
                    return function(*a, **k)
                finally:
                    name = key(*a)
                    entry = timings.setdefault(name, [0, 0.0])
                    entry[0] += 1
                    entry[1] += time.perf_counter() - started

            return wrapper

        for module in (thinkchild.access.log, thinkchild.interchange.bulk):
            module.values_insert = timing(
                lambda model, *a: f"COPY/INSERT {model._meta.db_table}", module.values_insert
            )
        connection.commit = timing(lambda *a: "COMMIT", connection.commit)

    run(f"first import ({args.db})")
    if timings:
        print("queries by time (first import; COPY is not counted):")
        for key, (n, seconds) in sorted(timings.items(), key=lambda kv: -kv[1][1])[:25]:
            print(f"  {seconds:7.2f} s {n:6d}x  {key}")
        timings.clear()
    if profiler:
        profiler.dump_stats(str(args.profile))
        profiler = None
    if not args.no_reimport:
        run(f"re-import, all unchanged ({args.db})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

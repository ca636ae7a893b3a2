"""`python -m benchmarks`: generate, load and measure on each database, then write the report."""

import argparse
import json
import shlex
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from benchmarks.databases import BENCH_DIR, ROOT, database_env, database_fresh
from benchmarks.machine import machine_facts
from benchmarks.report import report_write
from thinkchild.demo.generate import demo_generate
from thinkchild.demo.scales import SCALES

# Files of record types added after issue #2, measured by their own benchmarks.
LATER_FILES = frozenset({"missing"})


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--scale", choices=sorted(SCALES), default="force")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=200, help="person searches per user")
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--note", action="append", default=[], help="a line for the report")
    parser.add_argument(
        "--label",
        default="",
        help="the PostgreSQL settings, in a few words, for the summary",
    )
    parser.add_argument(
        "--render",
        type=Path,
        nargs="+",
        help="rewrite the report from saved runs (var/bench/run-<scale>.json); --note goes to "
        "those without notes",
    )
    args = parser.parse_args(argv)
    if args.render:
        runs = [json.loads(path.read_text()) for path in args.render]
        for run, path in zip(runs, args.render, strict=True):
            # The numbers' date: when the run was saved, not when the page is rewritten.
            saved = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            run.setdefault("date", f"{saved:%Y-%m-%d %H:%M}")
            if args.note and not run["generation"].get("notes"):
                run["generation"]["notes"] = args.note
        report_write(path=args.report, runs=runs)
        print(f"Wrote {args.report}")
        return 0
    engines = ["postgres", "sqlite"] if args.db == "both" else [args.db]
    machine = machine_facts()
    for key, value in machine.items():
        print(f"{key}: {value}")

    files = BENCH_DIR / "files" / args.scale
    print(f"Generating the {args.scale}-scale force into {files} ...", flush=True)
    started = time.perf_counter()
    force = demo_generate(scale=SCALES[args.scale], seed=args.seed, out=files, as_of=date.today())
    seconds = time.perf_counter() - started
    records = sum(force.counts.values())
    generation = {
        "records": records,
        "seconds": seconds,
        "megabytes": sum(p.stat().st_size for p in force.paths) / 1e6,
        "summary": ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in force.counts.items()),
        "notes": args.note,
    }
    print(f"Generated {records:,} records in {seconds:.1f}s", flush=True)
    # Issue #2's import is measured on the foundation's record types, as it always was; missing
    # children's history has its own benchmark (python -m benchmarks.missing).
    foundation = [p for p in force.paths if p.stem not in LATER_FILES]

    results = []
    for engine in engines:
        database_fresh(engine)
        out = BENCH_DIR / f"results-{engine}.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.run",
                "--db",
                engine,
                "--json",
                str(out),
                "--queries",
                str(args.queries),
                "--seed",
                str(args.seed),
                "--files",
                *map(str, foundation),
            ],  # fmt: skip
            env=database_env(engine),
            cwd=ROOT,
            check=True,
        )
        results.append(json.loads(out.read_text()))
    run = {
        "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
        "command": shlex.join(["python", "-m", "benchmarks", *argv]),
        "machine": machine,
        "scale": args.scale,
        "label": args.label,
        "generation": generation,
        "results": results,
    }
    (BENCH_DIR / f"run-{args.scale}.json").write_text(json.dumps(run, indent=2))
    report_write(path=args.report, runs=[run])
    print(f"Wrote {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

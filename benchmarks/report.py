"""docs/benchmarks.md: the numbers, the machine and the command, in one page."""

from datetime import datetime
from pathlib import Path

TARGETS = (
    "import at least 10,000 records/s on PostgreSQL; person search and a 300-event chronology "
    "under 150 ms at p95"
)
NAMES = {"postgres": "PostgreSQL", "sqlite": "SQLite"}


def _ms(value: float) -> str:
    return f"{value:,.1f} ms"


def _verdict(ok: bool) -> str:
    return "meets the target" if ok else "**misses the target**"


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    """A Markdown table; columns in `right` (numbers) are right-aligned."""
    rule = ["---:" if i in right else "---" for i in range(len(header))]
    return [f"| {' | '.join(cells)} |" for cells in (header, rule, *rows)]


def _import_section(results: list[dict]) -> list[str]:
    rows = []
    for r in results:
        imp, raw = r["import"], r["raw_load"]
        rows.append(
            [
                NAMES[r["engine"]],
                f"{imp['records']:,}",
                f"{imp['seconds']:,.1f} s",
                f"{imp['records_per_s']:,.0f}",
                str(imp.get("workers", 1)),
                raw["method"],
                f"{raw['rows']:,}",
                f"{raw['seconds']:,.1f} s",
                f"{raw['records_per_s']:,.0f}",
                f"{imp['seconds'] / raw['seconds']:,.1f}×",
            ]
        )
    header = ["database", "records", "import time", "import records/s", "workers", "raw method"]
    header += ["raw rows", "raw time", "raw records/s", "import / raw"]
    lines = _table(header, rows, right={1, 2, 3, 4, 6, 7, 8, 9})
    for r in results:
        imp = r["import"]
        if r["engine"] == "postgres":
            ok = imp["records_per_s"] >= 10_000
            lines += ["", f"PostgreSQL import {_verdict(ok)} of 10,000 records/s."]
            lines += _cpu_lines(imp)
        if r.get("import_from"):
            lines += [
                "",
                f"{NAMES[r['engine']]}: the import was measured by the first run (its numbers are "
                "above); the searches and chronologies below were measured again on the same "
                "database with the code of the commit in the notes.",
            ]
        if imp["rejected"] or imp["held"]:
            name = NAMES[r["engine"]]
            lines += ["", f"{name}: {imp['rejected']} rejected, {imp['held']} held."]
    return lines


def _cpu_lines(imp: dict) -> list[str]:
    """Where a PostgreSQL import's CPU went, beside what the target leaves (docs/decisions/0012)."""
    cpu, cores = imp.get("cpu_us_per_record"), imp.get("cores")
    if not cpu or not cores:
        return []  # a run from before these were measured
    return [
        "",
        f"CPU per record, whole machine: {cpu['all']:,.0f} µs, of which Python (the command and "
        f"its workers) {cpu['python']:,.0f} µs and the rest of the machine (the database server, "
        f"on this otherwise idle machine) {cpu['database']:,.0f} µs. At 10,000 records/s, "
        f"{cores} cores allow {cores * 100:,} µs a record in all.",
    ]


def _search_section(results: list[dict]) -> list[str]:
    rows = []
    for r in results:
        for username, s in r["search"].items():
            sel, raw = s["selector"], s["raw"]
            rows.append(
                [
                    NAMES[r["engine"]],
                    username,
                    str(sel["n"]),
                    _ms(sel["p50_ms"]),
                    _ms(sel["p95_ms"]),
                    _ms(raw["p50_ms"]),
                    _ms(raw["p95_ms"]),
                    f"{s['same_rows']}/{sel['n']}",
                    _verdict(sel["p95_ms"] < 150),
                ]
            )
    header = ["database", "user", "queries", "selector p50", "selector p95", "raw p50"]
    header += ["raw p95", "same rows", "target"]
    return _table(header, rows, right={2, 3, 4, 5, 6, 7})


def _chronology_section(results: list[dict]) -> list[str]:
    rows = []
    for r in results:
        c = r["chronology"]
        sel, raw = c["selector"], c["raw"]
        rows.append(
            [
                NAMES[r["engine"]],
                f"{c['events_min']} / {c['events_median']:.0f} / {c['events_max']}",
                _ms(sel["p50_ms"]),
                _ms(sel["p95_ms"]),
                _ms(raw["p50_ms"]),
                _ms(raw["p95_ms"]),
                _verdict(sel["p95_ms"] < 150),
            ]
        )
    header = ["database", "events (min / median / max)", "selector p50", "selector p95"]
    header += ["raw p50", "raw p95", "target"]
    return _table(header, rows, right={2, 3, 4, 5})


def _summary(runs: list[dict]) -> list[str]:
    """Each target against the largest run that measured it, worked out from the numbers."""
    rows = []
    for run in runs:
        for r in run["results"]:
            where = f"{NAMES[r['engine']]}, `{run['scale']}` scale"
            # A label tells apart runs on differently configured servers: SQLite has none.
            if run.get("label") and r["engine"] == "postgres":
                where += f", {run['label']}"
            if r["engine"] == "postgres":
                rate = r["import"]["records_per_s"]
                rows.append(
                    [f"import ≥ 10,000 records/s ({where})", f"{rate:,.0f}/s", _met(rate >= 10_000)]
                )
            for user, found in r["search"].items():
                p95 = found["selector"]["p95_ms"]
                rows.append(
                    [f"person search p95 < 150 ms, `{user}` ({where})", _ms(p95), _met(p95 < 150)]
                )
            p95 = r["chronology"]["selector"]["p95_ms"]
            events = r["chronology"]["events_median"]
            rows.append(
                [
                    f"chronology p95 < 150 ms, {events:.0f} events ({where})",
                    _ms(p95),
                    _met(p95 < 150),
                ]
            )
    return ["## Summary", "", *_table(["target", "measured", ""], rows, right={1})]


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _run_sections(run: dict, level: str) -> list[str]:
    generation, results = run["generation"], run["results"]
    when = datetime.fromisoformat(run["date"]).strftime("%Y-%m-%d %H:%M")
    return [
        f"- **Command:** `{run['command']}`",
        f"- **Date:** {when} UTC",
        f"- **Scale:** `{run['scale']}`: {generation['summary']}",
        *[
            f"- **{NAMES[r['engine']]} settings:** {r['server_settings']}"
            for r in results
            if r.get("server_settings")
        ],
        *[f"- {note}" for note in generation.get("notes", [])],
        "",
        f"{level} Generating the canonical files",
        "",
        f"`thinkchild.demo.generate.demo_generate` wrote {generation['records']:,} records "
        f"({generation['megabytes']:,.1f} MB of JSON Lines) in {generation['seconds']:.1f} s.",
        "",
        f"{level} Import throughput",
        "",
        "`thinkchild.interchange.services.import_files` into an empty database (validation,",
        "reference resolution, upserts, the key map, change history, the s.62 processing log",
        "and the child marker), beside the raw lower bound: the same domain rows written by",
        "the database's fastest bulk path into scratch tables with the same columns and no",
        "indexes (PostgreSQL `COPY ... FROM STDIN (FORMAT BINARY)`; SQLite `executemany` in",
        "one transaction). Raw records/s divides the canonical records by the raw time.",
        "Workers: the processes writing batches side by side (`import_files`' default: one per",
        "core, at most four, on PostgreSQL; one on SQLite; docs/decisions/0011). The raw load is",
        "one connection. The PostgreSQL settings shown are the server's, as the run found them;",
        "each import batch sets `synchronous_commit`, `jit`, parallel workers and",
        "`random_page_cost` for its own transaction (the same decision record). The import",
        "ends with a full `ANALYZE` of the tables it sampled while writing (counted).",
        "After the import the benchmark runs `ANALYZE` again (not counted in the import time:",
        "autovacuum does it in production; this machine's PostgreSQL has autovacuum off).",
        "",
        *_import_section(results),
        "",
        f"{level} Person search",
        "",
        "`people.selectors.person_search` with a name prefix (a family name's start, or a",
        "given name and the start of a family name), queries drawn with a fixed seed from",
        "names in the data, as the demo `officer` (area scope) and `control` (force-wide).",
        "Beside it, the raw SQL that fetches the same page of 25 people: the alias lookup, then",
        "the name matches and the alias-only matches as two index-ordered branches of a page",
        "each, merged ('same rows' checks the pages match). The selector also counts up to",
        "1,001 matches for the pager and outside the user's scope, and writes the consultation",
        "to the processing log.",
        "",
        *_search_section(results),
        "",
        f"{level} Chronology",
        "",
        "`people.selectors.person_chronology` for the 20 people with the most incidents (5",
        "runs each) as `control`, beside the raw SELECTs of the same rows (incidents through",
        "their participants, addresses, schools, relationships, pregnancies).",
        "",
        *_chronology_section(results),
    ]


def report_write(*, path: Path, runs: list[dict]) -> None:
    """One page for one or more saved runs (say the force scale on PostgreSQL and a smaller
    scale on both databases)."""
    facts = dict(runs[0]["machine"])
    settings = {r["server_settings"] for run in runs for r in run["results"]}
    settings.discard("")
    for run in runs:
        for r in run["results"]:
            kind = "server" if r["engine"] == "postgres" else "library"
            facts[f"{NAMES[r['engine']]} {kind}"] = r["server_version"]
            # Runs on differently configured servers each say their own (_run_sections).
            if r.get("server_settings") and len(settings) == 1:
                facts[f"{NAMES[r['engine']]} settings"] = r["server_settings"]
    lines = [
        "# Benchmarks",
        "",
        "Measured by `benchmarks/` (architecture §2.7: proven by benchmarks beside the raw-SQL",
        "lower bound, not by timed tests). Every number below comes from the command shown",
        "with it.",
        "",
        f"**Targets (issue #2):** {TARGETS}.",
        "",
        *_summary(runs),
        "",
        "The standards engine's benchmarks (issue #3) are in",
        "[benchmarks-standards.md](benchmarks-standards.md).",
        "",
        "## Machine",
        "",
        *_table(["", ""], [[key, str(value)] for key, value in facts.items()], right=set()),
    ]
    for run in runs:
        label = f", {run['label']}" if run.get("label") else ""
        lines += ["", f"## The `{run['scale']}` scale{label}", "", *_run_sections(run, "###")]
    lines += [
        "",
        "## Running them",
        "",
        "`make benchmarks BENCH_ARGS='--scale force --db both'` (or `python -m benchmarks ...`):",
        "`--db sqlite|postgres|both`, `--scale tiny|demo|bench|force`, `--seed N`, `--queries N`.",
        "The files go to `var/bench/files/<scale>/`; PostgreSQL runs in its own database",
        "`thinkchild_bench` on `BENCH_POSTGRES` (default `postgres://postgres@127.0.0.1:5432`),",
        "dropped and created afresh each run, never the test suite's `test` database; SQLite in",
        "`var/bench/thinkchild_bench.sqlite3`. Each run is saved as `var/bench/run-<scale>.json`;",
        "`python -m benchmarks --render var/bench/run-force.json var/bench/run-bench.json`",
        "rewrites this page from saved runs.",
    ]
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")

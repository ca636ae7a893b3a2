"""The query planner's statistics, refreshed while an import grows the tables.

Without them both databases planned as if the tables were empty: scoped searches scanned the whole
force (12 s instead of 15 ms at force scale), and the import's own per-batch lookups of the people
an incident names turned into scans of every person once the people had been loaded by the same
command (docs/benchmarks.md).
"""

from collections.abc import Iterable

from django.db import connection

# PostgreSQL: a table is analysed again once it has grown by this share since the server last
# measured it, or if it never was and has rows. Each ANALYZE samples a fixed number of rows, so
# analysing every table at every refresh cost 3.6 s at force scale, most of it on tables the import
# was not touching.
GROWTH = 0.2
GROWTH_PAGES = 8

# The sizes come from the files, so rows written by a transaction still open count. relpages and
# reltuples are what the last ANALYZE or VACUUM measured (reltuples is -1 before either): a VACUUM
# moves the baseline without new statistics, which autovacuum's own ANALYZE then catches up with.
# The tables are those the connection's search_path finds, named as regclass prints them.
_STALE_TABLES = """
SELECT c.oid::regclass::text
FROM pg_class c
WHERE c.relkind = 'r' AND pg_table_is_visible(c.oid)
  AND c.relnamespace <> pg_my_temp_schema()
  AND c.relnamespace <> 'pg_catalog'::regnamespace
  AND c.relnamespace <> 'information_schema'::regnamespace
  AND (
    pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * (1 + %s) + %s
    OR c.reltuples < 0 AND pg_relation_size(c.oid) > 0
  )
ORDER BY 1
"""


def tables_stale() -> list[str]:
    """PostgreSQL: the tables never analysed, or analysed before their last fifth was written."""
    with connection.cursor() as cursor:
        cursor.execute(_STALE_TABLES, [GROWTH, GROWTH_PAGES])
        return [name for (name,) in cursor.fetchall()]


# While an import grows the tables, a refresh samples at this statistics target (PostgreSQL samples
# 300 rows per unit): the plans of the import's own lookups need to know that a table is no longer
# empty, which a small sample tells as well as a large one (the planner scales the row count it
# measured by the table's size when it plans). It costs a tenth of a full ANALYZE (0.4 s against
# 3.7 s for every large table at force scale). The import's end measures those tables again at the
# server's own target, for the searches that come after (PlannerStatistics.finish).
QUICK_TARGET = 10


def database_statistics_refresh(*, quick: bool = False, tables: Iterable[str] = ()) -> list[str]:
    """Refresh the query planner's statistics and return the tables analysed: on PostgreSQL of
    the tables that grew and of `tables` (each ANALYZE samples a bounded number of rows; `quick`
    samples fewer); on SQLite of every index, sampling a bounded number of rows per index, so this
    stays quick on millions of rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 2000")
            cursor.execute("ANALYZE")
            return []
        analysed = sorted(set(tables) | set(tables_stale()))
        if not analysed:
            return []
        # Names as regclass prints them (quoted where they need it), from the catalogue.
        statement = "ANALYZE " + ", ".join(analysed)
        if not quick:
            cursor.execute(statement)
            return analysed
        cursor.execute(f"SET default_statistics_target = {QUICK_TARGET:d}")
        try:
            cursor.execute(statement)
        finally:
            cursor.execute("RESET default_statistics_target")
        return analysed


class PlannerStatistics:
    """Refreshes the statistics after the first `after` records an import writes, then each time
    the records written since the last refresh at least match those written before it: a handful
    of refreshes for millions of records, each while the plans it fixes still have work to do.
    Those are quick samples; `finish` measures the tables they sampled in full, once."""

    def __init__(self, *, after: int):
        self.after = after
        self.written = 0
        self.at_last_refresh = 0
        self.sampled: set[str] = set()

    def note(self, written: int) -> None:
        self.written += written
        since = self.written - self.at_last_refresh
        if written and since >= max(self.after, self.at_last_refresh):
            self.sampled.update(database_statistics_refresh(quick=True))
            self.at_last_refresh = self.written

    def finish(self) -> None:
        """At the import's end: full statistics of the tables sampled quickly while they grew
        (and of any other that grew since)."""
        if self.sampled:
            database_statistics_refresh(tables=self.sampled)
            self.sampled.clear()

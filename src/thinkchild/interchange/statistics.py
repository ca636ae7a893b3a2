"""The query planner's statistics, refreshed while an import grows the tables.

Without them both databases planned as if the tables were empty: scoped searches scanned the whole
force (12 s instead of 15 ms at force scale), and the import's own per-batch lookups of the people
an incident names turned into scans of every person once the people had been loaded by the same
command (docs/benchmarks.md).
"""

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


def database_statistics_refresh() -> None:
    """Refresh the query planner's statistics: on PostgreSQL of the tables that grew (each ANALYZE
    samples a bounded number of rows); on SQLite of every index, sampling a bounded number of rows
    per index, so this stays quick on millions of rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 2000")
            cursor.execute("ANALYZE")
            return
        stale = tables_stale()
        if stale:
            # Names as regclass prints them (quoted where they need it), from the catalogue.
            cursor.execute("ANALYZE " + ", ".join(stale))


class PlannerStatistics:
    """Refreshes the statistics after the first `after` records an import writes, then each time
    the records written since the last refresh at least match those written before it: a handful
    of refreshes for millions of records, each while the plans it fixes still have work to do."""

    def __init__(self, *, after: int):
        self.after = after
        self.written = 0
        self.at_last_refresh = 0

    def note(self, written: int) -> None:
        self.written += written
        since = self.written - self.at_last_refresh
        if written and since >= max(self.after, self.at_last_refresh):
            database_statistics_refresh()
            self.at_last_refresh = self.written

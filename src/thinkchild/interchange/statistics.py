"""The query planner's statistics, refreshed while an import grows the tables.

Without them both databases planned as if the tables were empty: scoped searches scanned the whole
force (12 s instead of 15 ms at force scale), and the import's own per-batch lookups of the people
an incident names turned into scans of every person once the people had been loaded by the same
command (docs/benchmarks.md).
"""

from django.db import connection


def database_statistics_refresh() -> None:
    """Refresh the query planner's statistics (SQLite samples a bounded number of rows per index,
    so this stays quick on millions of rows; PostgreSQL samples by design)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 2000")
        cursor.execute("ANALYZE")


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

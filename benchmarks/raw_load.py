"""The lower bound for the import: the same rows written by the database's fastest bulk path.

PostgreSQL: `COPY ... FROM STDIN (FORMAT BINARY)` into a scratch table with the same columns (no
indexes, no constraints). SQLite: one `executemany` per table in one transaction. The rows are the
ones the import wrote, read back first and not timed; only the write is timed.
"""

import sqlite3
import tempfile
import time

import psycopg


# The tables holding what the canonical records describe (not the key map, history or log the
# importer also writes: that extra work is part of what the comparison shows).
def domain_tables() -> list[str]:
    from thinkchild.incidents.models import Incident, Participant
    from thinkchild.org.models import Area, Force, Team, User
    from thinkchild.people.models import (
        Alias,
        Enrolment,
        Location,
        Organisation,
        Person,
        PersonAddress,
        Pregnancy,
        Relationship,
    )

    models = (Force, Area, Team, User, Location, Organisation, Person, Alias, Pregnancy,
              PersonAddress, Relationship, Enrolment, Incident, Participant)  # fmt: skip
    return [model._meta.db_table for model in models]


def raw_load_postgres(url: str, tables: list[str] | None = None) -> dict:
    rows = elapsed = 0.0
    with psycopg.connect(url) as conn:
        for table in tables or domain_tables():
            scratch = f"bench_scratch_{table}"
            conn.execute(f'DROP TABLE IF EXISTS "{scratch}"')
            conn.execute(f'CREATE TABLE "{scratch}" (LIKE "{table}" INCLUDING DEFAULTS)')
            conn.commit()
            with tempfile.TemporaryFile() as buffer:
                with conn.cursor().copy(f'COPY "{table}" TO STDOUT (FORMAT BINARY)') as copy:
                    for chunk in copy:
                        buffer.write(chunk)
                buffer.seek(0)
                started = time.perf_counter()
                with conn.cursor().copy(f'COPY "{scratch}" FROM STDIN (FORMAT BINARY)') as copy:
                    while chunk := buffer.read(1 << 20):
                        copy.write(chunk)
                conn.commit()
                elapsed += time.perf_counter() - started
            rows += conn.execute(f'SELECT count(*) FROM "{scratch}"').fetchone()[0]
            conn.execute(f'DROP TABLE "{scratch}"')
            conn.commit()
    return {"method": "COPY (binary)", "rows": int(rows), "seconds": elapsed}


def raw_load_sqlite(path: str) -> dict:
    rows, elapsed = 0, 0.0
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    try:
        for table in domain_tables():
            scratch = f"bench_scratch_{table}"
            conn.execute(f'DROP TABLE IF EXISTS "{scratch}"')
            conn.execute(f'CREATE TABLE "{scratch}" AS SELECT * FROM "{table}" WHERE 0')
            width = len(conn.execute(f'SELECT * FROM "{table}" LIMIT 0').description)
            insert = f'INSERT INTO "{scratch}" VALUES ({", ".join("?" * width)})'
            reader = sqlite3.connect(path)
            source = reader.execute(f'SELECT * FROM "{table}"')
            conn.execute("BEGIN")
            while batch := source.fetchmany(50_000):
                started = time.perf_counter()
                conn.executemany(insert, batch)
                elapsed += time.perf_counter() - started
                rows += len(batch)
            started = time.perf_counter()
            conn.execute("COMMIT")
            elapsed += time.perf_counter() - started
            reader.close()
            conn.execute(f'DROP TABLE "{scratch}"')
    finally:
        conn.close()
    return {"method": "executemany", "rows": rows, "seconds": elapsed}

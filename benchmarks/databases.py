"""The benchmark's own databases: never the test suite's `test` database, never var/ itself."""

import os
import secrets
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "var" / "bench"
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
POSTGRES_DB = "thinkchild_bench"
SQLITE_PATH = BENCH_DIR / "thinkchild_bench.sqlite3"


def database_fresh(engine: str) -> None:
    """An empty database: the import is measured from nothing, as a first load would be."""
    if engine == "postgres":
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{POSTGRES_DB}"')
    else:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)


def database_env(engine: str) -> dict[str, str]:
    """The environment a benchmark process runs with: production settings, DEBUG off (with
    DEBUG on Django would keep every query in memory)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "THINKCHILD_DEBUG", "THINKCHILD_SQLITE_PATH")
    }
    env["DJANGO_SETTINGS_MODULE"] = "thinkchild.config.settings"
    env.setdefault("THINKCHILD_SECRET_KEY", "bench-" + secrets.token_urlsafe(32))
    env["THINKCHILD_INSECURE_HTTP"] = "1"
    env["THINKCHILD_PLAIN_STATIC"] = "1"
    env["THINKCHILD_LOG_LEVEL"] = "WARNING"
    if engine == "postgres":
        env["DATABASE_URL"] = f"{POSTGRES_SERVER}/{POSTGRES_DB}"
    else:
        env["THINKCHILD_SQLITE_PATH"] = str(SQLITE_PATH)
    return env

"""`thinkchild import`: the summary line, the exit status, and what a killed import leaves."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from unittest import mock

import pytest

from tests.interchange.canonical import all_records, jsonl_write, org_records, rec
from thinkchild.cli import main

pytestmark = pytest.mark.django_db


def thinkchild(*args) -> int:
    # run_from_argv closes the database connections when it ends, which on PostgreSQL would end
    # the test's transaction: keep them open, as the test database needs.
    with mock.patch("django.core.management.base.connections.close_all"):
        try:
            main(["thinkchild", *args])
        except SystemExit as stop:
            return stop.code or 0
    return 0


def test_a_clean_file_exits_0_with_a_summary_line(tmp_path, capsys):
    path = jsonl_write(tmp_path / "demo.jsonl", all_records())
    assert thinkchild("import", str(path), "--no-progress") == 0
    out = capsys.readouterr().out
    assert out.startswith(
        f"imported {len(all_records())} records from demo.jsonl: "
        f"{len(all_records())} accepted, 0 unchanged, 0 rejected, 0 held (run "
    )


def test_unchanged_records_count_as_accepted(tmp_path, capsys):
    path = jsonl_write(tmp_path / "demo.jsonl", all_records())
    thinkchild("import", str(path), "--no-progress")
    assert thinkchild("import", str(path), "--no-progress") == 0
    assert f"0 accepted, {len(all_records())} unchanged" in capsys.readouterr().out


def test_some_rejected_exits_1(tmp_path, capsys):
    path = jsonl_write(tmp_path / "demo.jsonl", [*org_records(), b"{oops"])
    assert thinkchild("import", str(path), "--no-progress") == 1
    captured = capsys.readouterr()
    assert "4 accepted, 0 unchanged, 1 rejected, 0 held" in captured.out
    assert "see the quarantine" in captured.err


def test_held_records_exit_1(tmp_path):
    path = jsonl_write(
        tmp_path / "demo.jsonl", [rec("person_address", "X", person="P", location="L")]
    )
    assert thinkchild("import", str(path), "--no-progress") == 1


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("missing.jsonl", "no such file"),
        (".", "is a directory, not a file"),
    ],
)
def test_input_that_cannot_be_read_exits_2_without_a_traceback(tmp_path, capsys, target, message):
    assert thinkchild("import", str(tmp_path / target), "--no-progress") == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_an_unreadable_file_exits_2(tmp_path, capsys):
    path = jsonl_write(tmp_path / "secret.jsonl", all_records())
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: make it unreadable another way
        path.unlink()
        path.mkdir()
    assert thinkchild("import", str(path), "--no-progress") == 2
    assert "nothing imported" in capsys.readouterr().err


def test_a_csv_mapping_naming_a_missing_column_exits_2(tmp_path, capsys):
    csv_path = tmp_path / "people.csv"
    csv_path.write_text("ID,Forename\nN1,Amelia\n")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        '{"record_type": "person", "columns": {"source_id": "ID", "given_name": "Forename",'
        ' "family_name": "Surname"}}'
    )
    code = thinkchild("import", str(csv_path), "--mapping", str(mapping), "--no-progress")
    assert code == 2
    assert "the mapping names column 'Surname', not in people.csv" in capsys.readouterr().err


class CommandDatabase:
    """A database of its own for a real `thinkchild` process, of the suite's kind: a SQLite file,
    or a scratch PostgreSQL database on the suite's server (where the import uses workers)."""

    def __init__(self, tmp_path):
        from django.db import connection

        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "killed.sqlite3"
            self.env["THINKCHILD_SQLITE_PATH"] = str(self.path)
            return
        import psycopg

        settings = connection.settings_dict
        self.server = psycopg.conninfo.make_conninfo(
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            dbname="postgres",
        )
        self.name = f"{settings['NAME']}_killed"
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.name}"')
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        self.env["DATABASE_URL"] = (
            f"postgres://{settings['USER']}{password}@{settings['HOST']}:"
            f"{settings['PORT'] or 5432}/{self.name}"
        )

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as conn:
            conn.execute(sql)

    def count(self, sql: str) -> int:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path, timeout=30) as conn:
                return conn.execute(sql).fetchone()[0]
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"]) as conn:
            return conn.execute(sql).fetchone()[0]

    def drop(self) -> None:
        if self.vendor != "sqlite":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def command_database(tmp_path):
    database = CommandDatabase(tmp_path)
    yield database
    database.drop()


def test_a_killed_import_leaves_whole_batches_and_a_rerun_completes(tmp_path, command_database):
    """SIGKILL the real command mid-file: every person written has its history row and its
    key-map row (no half-written batch), and running it again completes the file. On PostgreSQL
    the batches are written by worker processes, which die with the command."""
    db, env = command_database, command_database.env
    command = [sys.executable, "-m", "thinkchild.cli"]
    subprocess.run([*command, "migrate", "-v0"], env=env, check=True, timeout=300)
    org = jsonl_write(tmp_path / "org.jsonl", org_records())
    subprocess.run(
        [*command, "import", str(org), "--no-progress"], env=env, check=True, timeout=120
    )
    total = 20000
    people = jsonl_write(
        tmp_path / "people.jsonl",
        (rec("person", f"P{i}", given_name="Kill", family_name=f"Test{i}") for i in range(total)),
    )
    count_people = "select count(*) from people_person"
    process = subprocess.Popen(
        [*command, "import", str(people), "--no-progress", "--batch-size", "500", "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while db.count(count_people) < 1000 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    time.sleep(0.5)  # the workers' connections close as they die

    written = db.count(count_people)
    assert 0 < written < total
    assert written % 500 == 0
    assert written == db.count("select count(*) from people_historicalperson")
    assert written == db.count(
        "select count(*) from interchange_sourcerecord where record_type = 'person'"
    )
    # Nothing more arrives once the command is dead: no worker outlived it.
    time.sleep(1)
    assert db.count(count_people) == written

    rerun = subprocess.run(
        [*command, "import", str(people), "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total - written:,} accepted, {written:,} unchanged" in rerun.stdout
    assert db.count(count_people) == total


def test_an_interrupted_import_exits_130_and_says_it_can_be_rerun(tmp_path, capsys, monkeypatch):
    from thinkchild.interchange.management.commands import import_records
    from thinkchild.interchange.services import ImportInterrupted, ImportSummary

    def interrupted(**kwargs):
        raise ImportInterrupted(ImportSummary(accepted=2000, source_name="big.jsonl"))

    monkeypatch.setattr(import_records, "import_files", interrupted)
    path = jsonl_write(tmp_path / "big.jsonl", org_records())
    assert thinkchild("import", str(path), "--no-progress") == 130
    captured = capsys.readouterr()
    assert "imported 2,000 records from big.jsonl: 2,000 accepted" in captured.out
    assert "run the same command again" in captured.err


def test_a_database_not_migrated_stops_the_import_with_exit_3_and_quarantines_nothing(
    tmp_path, capsys
):
    """A column the code needs is missing (as after an upgrade without `migrate`): every record
    would fail alike, so the import stops with one clear message instead of quarantining each."""
    from django.db import connection

    from thinkchild.interchange.models import ImportRun, QuarantinedRecord, RunStatus

    org = jsonl_write(tmp_path / "org.jsonl", org_records())
    assert thinkchild("import", str(org), "--no-progress") == 0
    people = jsonl_write(
        tmp_path / "people.jsonl",
        [rec("person", f"P{i}", given_name="Not", family_name=f"Migrated{i}") for i in range(3)],
    )
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute("ALTER TABLE interchange_sourcerecord DROP COLUMN erased_at")

    assert thinkchild("import", str(people), "--no-progress") == 3
    err = capsys.readouterr().err
    assert "stopped: the database is not ready for these records (" in err
    assert "erased_at" in err
    assert "thinkchild migrate" in err
    assert "Traceback" not in err
    assert not QuarantinedRecord.objects.exists()
    assert ImportRun.objects.order_by("-started_at").first().status == RunStatus.FAILED

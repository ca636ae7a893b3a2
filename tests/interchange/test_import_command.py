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


def _sqlite_count(db, sql) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(sql).fetchone()[0]


def test_a_killed_import_leaves_whole_batches_and_a_rerun_completes(tmp_path):
    """SIGKILL the real command mid-file on a file database: every person written has its history
    row and its key-map row (no half-written batch), and running it again completes the file."""
    db = tmp_path / "killed.sqlite3"
    # Always a file SQLite database of its own, even when the suite runs on PostgreSQL.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["THINKCHILD_SQLITE_PATH"] = str(db)
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
        [*command, "import", str(people), "--no-progress", "--batch-size", "500"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while _sqlite_count(db, count_people) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    written = _sqlite_count(db, count_people)
    assert 0 < written < total
    assert written % 500 == 0
    assert written == _sqlite_count(db, "select count(*) from people_historicalperson")
    assert written == _sqlite_count(
        db, "select count(*) from interchange_sourcerecord where record_type = 'person'"
    )

    rerun = subprocess.run(
        [*command, "import", str(people), "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total - written:,} accepted, {written:,} unchanged" in rerun.stdout
    assert _sqlite_count(db, count_people) == total


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

"""Import workers (interchange/workers.py): batches written side by side on PostgreSQL, with the
same results as one process; one process on SQLite, or inside a caller's transaction.

These tests commit (transaction=True): workers are other processes, and see only what is
committed. On SQLite the same imports run in one process, so each test proves the same outcome
there.
"""

import pytest
from django.db import connection

from tests import factories
from tests.interchange.canonical import jsonl_write, org_records, rec
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.incidents.models import Incident, Involvement, Participant
from thinkchild.interchange.models import ImportRun, SourceRecord
from thinkchild.interchange.services import import_files
from thinkchild.people.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _incident_type():
    # A committing test starts from an empty database, without the migrations' rows.
    factories.incident_type("concern_for_child")


PEOPLE = 600


def _now():
    from django.utils import timezone

    return timezone.now()


INCIDENTS = 400


def _workers_expected(asked: int) -> int:
    return asked if connection.vendor == "postgresql" else 1


def _people():
    return [
        rec(
            "person",
            f"P{i}",
            given_name="Ada",
            family_name=f"Worker{i}",
            date_of_birth="2012-05-01",
        )
        for i in range(PEOPLE)
    ]


def _incidents():
    # Each names two people, some of whom are named again in later batches (shared involvements).
    return [
        rec(
            "incident",
            f"I{i}",
            reference=f"TS-2025-{i:07d}",
            occurred_at="2025-03-01T10:00:00+00:00",
            incident_type="concern_for_child",
            area="A1",
            team="T1",
            allocated_to="U1",
            participants=[
                {"person": f"P{i % PEOPLE}", "role": "victim"},
                {"person": f"P{(i * 7) % 50}", "role": "witness"},
            ],
        )
        for i in range(INCIDENTS)
    ]


def test_batches_written_by_workers_leave_every_row_a_batch_writes(tmp_path):
    org = jsonl_write(tmp_path / "org.jsonl", org_records())
    people = jsonl_write(tmp_path / "people.jsonl", _people())
    incidents = jsonl_write(tmp_path / "incidents.jsonl", _incidents())

    summary = import_files(paths=[org, people, incidents], progress=False, batch_size=50, workers=2)

    assert summary.workers == _workers_expected(2)
    total = len(org_records()) + PEOPLE + INCIDENTS
    assert (summary.accepted, summary.rejected, summary.held) == (total, 0, 0)
    assert Person.objects.count() == PEOPLE
    assert Person.history.count() == PEOPLE
    assert Incident.objects.count() == INCIDENTS
    assert Incident.objects.filter(has_child=True).count() == INCIDENTS
    assert Participant.objects.count() == 2 * INCIDENTS
    assert SourceRecord.objects.filter(record_type="incident").count() == INCIDENTS
    collected = ProcessingLogEntry.objects.filter(operation=Operation.COLLECTION)
    assert collected.filter(subject_type="person").count() == PEOPLE
    assert collected.filter(subject_type="incident").count() == INCIDENTS
    # Every person is involved with the area, team and officer of an incident they are in.
    assert (
        Involvement.objects.count() == 3 * Participant.objects.values("person").distinct().count()
    )
    # Each batch added its counts to its run's, whichever process wrote it.
    runs = {r.source_name.rsplit("/", 1)[-1]: r for r in ImportRun.objects.all()}
    assert runs["people.jsonl"].accepted == PEOPLE
    assert runs["incidents.jsonl"].accepted == INCIDENTS


def test_a_reimport_by_workers_changes_nothing(tmp_path):
    files = [
        jsonl_write(tmp_path / "org.jsonl", org_records()),
        jsonl_write(tmp_path / "people.jsonl", _people()),
        jsonl_write(tmp_path / "incidents.jsonl", _incidents()),
    ]
    import_files(paths=files, progress=False, batch_size=50, workers=2)
    history = Person.history.count() + Incident.history.count()

    again = import_files(paths=files, progress=False, batch_size=50, workers=2)

    assert (again.accepted, again.unchanged) == (0, len(org_records()) + PEOPLE + INCIDENTS)
    assert Person.history.count() + Incident.history.count() == history


def test_a_record_naming_one_in_a_batch_written_at_the_same_time_is_released_at_the_end(
    tmp_path,
):
    """Each relationship names the person of the line before it, in the same file: with batches
    of one, a worker may write a relationship before the person it names is committed. Held, it
    is released by the retry at the end, as in one process."""
    org = jsonl_write(tmp_path / "org.jsonl", org_records())
    lines = []
    for i in range(40):
        lines.append(rec("person", f"Q{i}", given_name="Bo", family_name=f"Chain{i}"))
        if i:
            lines.append(
                rec("relationship", f"R{i}", person=f"Q{i}", other=f"Q{i - 1}", kind="sibling")
            )
    mixed = jsonl_write(tmp_path / "mixed.jsonl", lines)

    summary = import_files(paths=[org, mixed], progress=False, batch_size=1, workers=2)

    assert (summary.rejected, summary.held) == (0, 0)
    assert summary.accepted + summary.released == len(org_records()) + len(lines)
    assert summary.workers == _workers_expected(2)


def test_inside_a_transaction_the_import_is_written_by_its_caller(tmp_path):
    from django.db import transaction

    org = jsonl_write(tmp_path / "org.jsonl", org_records())
    people = jsonl_write(tmp_path / "people.jsonl", _people())
    with transaction.atomic():
        summary = import_files(paths=[org, people], progress=False, batch_size=50, workers=2)
        assert Person.objects.count() == PEOPLE
    assert summary.workers == 1


def test_a_batch_runs_without_waiting_for_the_disk_jit_or_parallel_workers():
    """PostgreSQL settings for one batch's transaction only (pipeline._batch_settings)."""
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    from thinkchild.interchange.pipeline import _batch_settings

    def shown(name: str) -> str:
        with connection.cursor() as cursor:
            cursor.execute(f"SHOW {name}")
            return cursor.fetchone()[0]

    names = ("synchronous_commit", "jit", "max_parallel_workers_per_gather", "random_page_cost")
    if connection.vendor != "postgresql":
        with CaptureQueriesContext(connection) as queries:
            _batch_settings()
        assert len(queries) == 0  # nothing to set on SQLite
        return
    before = {name: shown(name) for name in names}
    with transaction.atomic():
        _batch_settings()
        assert {name: shown(name) for name in names} == {
            "synchronous_commit": "off",
            "jit": "off",
            "max_parallel_workers_per_gather": "0",
            "random_page_cost": "1.1",
        }
    assert {name: shown(name) for name in names} == before


@pytest.mark.parametrize("held_already", [True, False], ids=["held-already", "new"])
def test_a_key_twice_in_a_file_is_applied_once_and_quarantined_once(tmp_path, held_already):
    """Both copies may be written by two workers at the same moment: whichever commits second
    meets the first's key-map row (a key already held: left alone by the update; a new key:
    refused by the unique index), is written again, and is quarantined as the duplicate."""
    from thinkchild.interchange.models import QuarantinedRecord

    import_files(
        paths=[jsonl_write(tmp_path / "org.jsonl", org_records())],
        progress=False,
    )
    import_files(paths=[jsonl_write(tmp_path / "p.jsonl", _people()[:3])], progress=False)
    lead = rec("person", "P0", given_name="Lead", family_name="Line")
    # Several chances for the two copies to be written side by side (without the checks, both
    # are applied, or one is refused as "could not be saved", in about one run in two).
    pairs = (("Ann", "Ben"), ("Cat", "Dan"), ("Eve", "Fay"), ("Gus", "Hal"), ("Ian", "Jo"))
    for i, names in enumerate(pairs):
        source_id = "P1" if held_already else f"N{i}"
        copy = rec("person", source_id, family_name=f"Copy{i}", date_of_birth="2012-05-01")
        QuarantinedRecord.objects.all().delete()
        lines = [lead, *({**copy, "given_name": name} for name in names)]
        path = jsonl_write(tmp_path / "twice.jsonl", lines)
        summary = import_files(paths=[path], progress=False, batch_size=1, workers=2)
        assert (summary.accepted + summary.unchanged, summary.rejected) == (2, 1)
        entry = QuarantinedRecord.objects.get()
        assert entry.reasons[0]["message"].startswith("duplicate of line "), entry.reasons
        kept = Person.objects.get(family_name=f"Copy{i}").given_name
        assert {kept, entry.record["given_name"]} == set(names)


def test_a_batch_sent_to_a_worker_is_written_as_in_one_process(tmp_path):
    """The worker's own function, on a job sent through pickle as the pool sends it: on both
    databases, whatever the pool does with it."""
    import pickle

    from thinkchild.access.models import Channel
    from thinkchild.interchange.models import ImportRun
    from thinkchild.interchange.readers.jsonl import jsonl_lines
    from thinkchild.interchange.workers import Job, _job_run

    import_files(paths=[jsonl_write(tmp_path / "org.jsonl", org_records())], progress=False)
    run = ImportRun.objects.create(source_name="job", channel=Channel.IMPORT, started_at=_now())
    path = jsonl_write(tmp_path / "people.jsonl", _people()[:20])
    with path.open("rb") as stream:
        lines = list(jsonl_lines(stream))
    job = Job(run.pk, None, "", Channel.IMPORT, "request-1", lines)

    result = _job_run(pickle.loads(pickle.dumps(job)))  # noqa: S301 (our bytes, as sent)

    assert (result.counts["accepted"], result.written) == (20, 20)
    assert Person.objects.filter(family_name__startswith="Worker").count() == 20
    run.refresh_from_db()
    assert run.accepted == 20  # added to the run's row by the batch itself
    assert set(
        ProcessingLogEntry.objects.filter(subject_type="person").values_list(
            "request_id", flat=True
        )
    ) == {"request-1"}


def test_a_worker_that_dies_stops_the_import_with_an_error_not_a_wait(tmp_path):
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    import_files(paths=[jsonl_write(tmp_path / "org.jsonl", org_records())], progress=False)
    people = jsonl_write(tmp_path / "people.jsonl", _people())
    batches = {"sent": 0}

    def kill_a_worker() -> bool:
        batches["sent"] += 1
        if batches["sent"] == 3:
            for child in multiprocessing.active_children():
                child.kill()
        return False

    if connection.vendor != "postgresql":  # no workers: nothing to die, the import completes
        summary = import_files(
            paths=[people], progress=False, batch_size=50, workers=2, stop_requested=kill_a_worker
        )
        assert summary.accepted == PEOPLE
        return
    with pytest.raises(BrokenProcessPool):
        import_files(
            paths=[people], progress=False, batch_size=50, workers=2, stop_requested=kill_a_worker
        )
    from thinkchild.interchange.models import ImportRun, RunStatus

    assert ImportRun.objects.order_by("-started_at").first().status == RunStatus.FAILED

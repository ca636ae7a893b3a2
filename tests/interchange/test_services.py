"""Importing the canonical format: what lands, what is logged, what a re-run changes (nothing)."""

import dataclasses

import orjson
import pytest
from django.utils import timezone

from tests.factories import LocationFactory, PersonFactory
from tests.interchange.canonical import all_records, jsonl_write, org_records, rec
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.incidents.models import Incident, Participant
from thinkchild.interchange import registry
from thinkchild.interchange.models import (
    ImportRun,
    QuarantinedRecord,
    QuarantineStatus,
    RunStatus,
    SourceRecord,
)
from thinkchild.interchange.services import ImportInterrupted, import_files, import_lines
from thinkchild.interchange.statistics import QUICK_TARGET, PlannerStatistics
from thinkchild.org.models import Force, User
from thinkchild.people.models import Alias, Location, Person, PersonAddress, Pregnancy

pytestmark = pytest.mark.django_db


def load(tmp_path, records, name="in.jsonl", **kwargs):
    return import_files(paths=[jsonl_write(tmp_path / name, records)], progress=False, **kwargs)


def history_rows() -> int:
    return sum(
        model.history.count() for model in (Person, Location, PersonAddress, Incident, Participant)
    )


def test_a_whole_family_and_its_incident_are_imported(tmp_path):
    summary = load(tmp_path, all_records())

    assert (summary.accepted, summary.rejected, summary.held) == (len(all_records()), 0, 0)
    amelia = Person.objects.get(given_name="Amelia")
    assert amelia.date_of_birth.isoformat() == "2015-04-02"
    assert amelia.family_name_key == "hughes"
    assert Alias.objects.get(person=amelia).given_name == "Millie"
    assert amelia.area.code == "central"  # follows the current address
    assert Location.objects.get().postcode == "PR1 2AB"  # stored normalised
    assert Pregnancy.objects.filter(person__given_name="Joanne").count() == 1
    incident = Incident.objects.get(reference="TST-000001")
    assert incident.allocated_to.username == "pc.hughes"
    assert sorted(incident.participants.values_list("role", flat=True)) == [
        "child_present",
        "victim",
    ]
    # The child marker is derived from the participants, never imported.
    assert incident.has_child
    assert incident.child_marker_reasons == ["under_18", "unborn_child"]


def test_an_imported_user_has_no_password(tmp_path):
    load(tmp_path, org_records())
    user = User.objects.get(username="pc.hughes")
    assert not user.has_usable_password()
    assert (user.team.code, user.force.code, user.collar_number) == (
        "central-response",
        "testshire",
        "4411",
    )


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    load(tmp_path, all_records())
    rows = (Person.objects.count(), Incident.objects.count(), SourceRecord.objects.count())
    history = history_rows()
    log = ProcessingLogEntry.objects.count()

    again = load(tmp_path, all_records())

    assert (again.accepted, again.unchanged) == (0, len(all_records()))
    assert (Person.objects.count(), Incident.objects.count(), SourceRecord.objects.count()) == rows
    assert history_rows() == history
    assert ProcessingLogEntry.objects.count() == log


def test_a_changed_record_is_updated_in_place_with_history_and_an_alteration(tmp_path):
    load(tmp_path, all_records())
    amelia = Person.objects.get(given_name="Amelia")
    changed = [
        {**r, "family_name": "Hughes-Ward", "aliases": []} if r["source_id"] == "P1" else r
        for r in all_records()
    ]

    summary = load(tmp_path, changed)

    assert (summary.accepted, summary.unchanged) == (1, len(all_records()) - 1)
    amelia.refresh_from_db()
    assert amelia.family_name == "Hughes-Ward"
    assert Person.objects.count() == 3
    assert not Alias.objects.filter(person=amelia).exists()
    assert amelia.history.first().family_name == "Hughes-Ward"
    assert ProcessingLogEntry.objects.filter(
        operation=Operation.ALTERATION, subject_id=amelia.pk, channel="import"
    ).exists()


def test_each_new_person_and_incident_is_logged_as_a_collection(tmp_path):
    load(tmp_path, all_records())
    collected = set(
        ProcessingLogEntry.objects.filter(operation=Operation.COLLECTION).values_list(
            "subject_type", "subject_id"
        )
    )
    for person in Person.objects.all():
        assert ("person", person.pk) in collected
    assert ("incident", Incident.objects.get().pk) in collected


def test_linking_a_new_incident_to_a_person_already_held_is_a_combination(tmp_path):
    load(tmp_path, all_records())
    amelia = Person.objects.get(given_name="Amelia")
    later = rec(
        "incident",
        "I2",
        reference="TST-000002",
        occurred_at="2026-04-01T10:00:00+01:00",
        incident_type="concern_for_child",
        area="A1",
        participants=[{"person": "P1", "role": "victim"}],
    )
    load(tmp_path, [later], name="later.jsonl")
    assert ProcessingLogEntry.objects.filter(
        operation=Operation.COMBINATION, subject_type="person", subject_id=amelia.pk
    ).exists()


def test_a_run_logs_the_combination_of_a_person_once_however_many_records_it_links(tmp_path):
    load(tmp_path, all_records())
    amelia = Person.objects.get(given_name="Amelia")
    later = [
        rec(
            "incident",
            f"J{i}",
            reference=f"TST-1{i:05d}",
            occurred_at="2026-04-01T10:00:00+01:00",
            incident_type="concern_for_child",
            area="A1",
            participants=[{"person": "P1", "role": "victim"}],
        )
        for i in range(6)
    ]
    # Three batches of two incidents, each naming Amelia: one run, one combination.
    summary = load(tmp_path, later, name="later.jsonl", batch_size=2)
    assert summary.accepted == 6
    combined = ProcessingLogEntry.objects.filter(
        operation=Operation.COMBINATION, subject_type="person", subject_id=amelia.pk
    )
    assert combined.count() == 1
    assert combined.get().detail["import_run"] == str(summary.run_id)
    # Another run is another operation.
    load(tmp_path, [{**later[0], "summary": "Seen again"}], name="again.jsonl")
    assert combined.count() == 2


def test_a_record_from_another_system_linked_to_ours_is_a_combination(tmp_path):
    load(tmp_path, all_records())
    joanne = Person.objects.get(given_name="Joanne")
    storm = {
        **rec("incident", "C-77", reference="STORM-77", occurred_at="2026-04-02T10:00:00+00:00"),
        "source_system": "storm",
        "incident_type": "domestic_abuse",
        "area": {"source_system": "test", "source_id": "A1"},
        "participants": [
            {"person": {"source_system": "test", "source_id": "P2"}, "role": "caller"}
        ],
    }
    summary = load(tmp_path, [storm], name="storm.jsonl")
    assert summary.accepted == 1
    assert ProcessingLogEntry.objects.filter(
        operation=Operation.COMBINATION, subject_id=joanne.pk
    ).exists()


def test_a_held_record_is_released_when_its_reference_arrives_in_a_later_file(tmp_path):
    records = all_records()
    without_p2 = [r for r in records if r["source_id"] != "P2"]
    first = load(tmp_path, without_p2, name="first.jsonl")
    held = QuarantinedRecord.objects.filter(status=QuarantineStatus.HELD)
    # The relationship and the incident both wait for P2.
    assert first.held == 2
    assert sorted(held.values_list("source_id", flat=True)) == ["I1", "R1"]
    assert {w["source_id"] for e in held for w in e.waiting_for} == {"P2"}

    second = load(tmp_path, [r for r in records if r["source_id"] == "P2"], name="second.jsonl")

    assert second.accepted == 1
    assert second.released == 2
    assert not QuarantinedRecord.objects.filter(status=QuarantineStatus.HELD).exists()
    assert Incident.objects.get().participants.count() == 2


def test_a_record_may_refer_to_one_later_in_the_same_file(tmp_path):
    records = all_records()
    incident = next(r for r in records if r["type"] == "incident")
    reordered = [incident] + [r for r in records if r is not incident]
    summary = load(tmp_path, reordered, batch_size=3)
    assert (summary.accepted, summary.held) == (len(records), 0)
    assert QuarantinedRecord.objects.get().status == QuarantineStatus.RESOLVED


def test_a_batch_that_fails_midway_leaves_no_half_written_record_and_a_rerun_completes(
    tmp_path, monkeypatch
):
    load(tmp_path, org_records(), name="org.jsonl")
    people = [
        rec(
            "person",
            f"P{i}",
            given_name="Test",
            family_name=f"Person{i}",
            date_of_birth="2001-02-03",
        )
        for i in range(50)
    ]
    path = jsonl_write(tmp_path / "people.jsonl", people)
    person_type = registry.record_type_get("person")
    calls = {"n": 0}

    def dies_in_the_third_batch(write):
        def written(*args):
            calls["n"] += 1
            outcomes = write(*args)
            if calls["n"] == 3:
                raise KeyboardInterrupt  # as if the process were killed after writing some rows
            return outcomes

        return written

    # New people are written by the Python upsert, or set-based on PostgreSQL (staging.py).
    staged = person_type.staged and dataclasses.replace(
        person_type.staged, write=dies_in_the_third_batch(person_type.staged.write)
    )
    monkeypatch.setitem(
        registry._types,
        "person",
        dataclasses.replace(
            person_type,
            upsert_batch=dies_in_the_third_batch(person_type.upsert_batch),
            staged=staged,
        ),
    )
    with pytest.raises(KeyboardInterrupt):
        import_files(paths=[path], progress=False, batch_size=10)

    assert Person.objects.count() == 20
    assert Person.history.count() == 20
    assert SourceRecord.objects.filter(record_type="person").count() == 20
    assert ImportRun.objects.filter(status=RunStatus.FAILED).count() == 1

    monkeypatch.setitem(registry._types, "person", person_type)
    rerun = import_files(paths=[path], progress=False, batch_size=10)
    assert (rerun.unchanged, rerun.accepted) == (20, 30)
    assert Person.objects.count() == 50 == Person.history.count()


def test_a_stop_request_finishes_the_batch_and_marks_the_run_interrupted(tmp_path):
    load(tmp_path, org_records(), name="org.jsonl")
    people = [rec("person", f"P{i}", given_name="Test", family_name=f"P{i}") for i in range(30)]
    path = jsonl_write(tmp_path / "people.jsonl", people)

    with pytest.raises(ImportInterrupted) as stopped:
        import_files(paths=[path], progress=False, batch_size=10, stop_requested=lambda: True)

    assert stopped.value.summary.accepted == 10
    assert Person.objects.count() == 10
    run = ImportRun.objects.get(pk=stopped.value.summary.run_id)
    assert run.status == RunStatus.INTERRUPTED


def test_a_large_file_is_streamed_in_batches(tmp_path, monkeypatch):
    """Memory stays bounded by the batch: the importer never holds more than one batch of lines."""
    from thinkchild.interchange import batch

    load(tmp_path, org_records(), name="org.jsonl")
    sizes = []
    original = batch.Batch.__init__

    def spy(self, importer, lines):
        sizes.append(len(lines))
        original(self, importer, lines)

    monkeypatch.setattr(batch.Batch, "__init__", spy)
    people = (rec("person", f"P{i}", given_name="Test", family_name=f"P{i}") for i in range(2500))
    summary = load(tmp_path, people, name="many.jsonl", batch_size=1000)
    assert summary.accepted == 2500
    assert sizes == [1000, 1000, 500]


def test_import_lines_reports_each_rejection_by_line():
    lines = [
        '{"type": "force", "version": 1, "source_system": "api", "source_id": "F", '
        '"code": "x", "name": "X"}',
        '{"type": "person", "version": 1, "source_system": "api"}',
    ]
    summary = import_lines(lines=lines, source_name="test", actor=None)
    assert (summary.accepted, summary.rejected) == (1, 1)
    assert summary.rejections[0]["line"] == 2
    assert {"field": "source_id", "message": "source_id is missing"} in summary.rejections[0][
        "reasons"
    ]
    assert Force.objects.filter(code="x").exists()


def test_the_scheduled_retry_releases_held_records_on_its_own(tmp_path):
    """An import that finishes while another is still writing what it waits for: the periodic
    retry picks the held record up."""
    from thinkchild.interchange.pipeline import Importer
    from thinkchild.interchange.readers.jsonl import text_lines
    from thinkchild.interchange.services import held_records_retry
    from thinkchild.scheduling.registry import registered_ticks

    family = [r for r in all_records() if r["source_id"] == "L1"]
    load(
        tmp_path,
        [*org_records(), *family, rec("person_address", "PA1", person="P9", location="L1")],
    )
    # The other import, which commits P9 without retrying anything itself.
    other = Importer(
        run=ImportRun.objects.create(
            source_name="other", channel="import", started_at=timezone.now()
        )
    )
    other.add_all(
        text_lines(
            [orjson.dumps(rec("person", "P9", given_name="Late", family_name="Arrival")).decode()]
        )
    )
    other.flush()
    assert QuarantinedRecord.objects.filter(status=QuarantineStatus.HELD).count() == 1

    assert "interchange.held_records_retry" in registered_ticks()
    summary = held_records_retry()

    assert summary.released == 1
    assert PersonAddress.objects.get().person.given_name == "Late"
    assert ImportRun.objects.get(pk=summary.run_id).channel == "task"


def test_files_of_one_import_may_refer_to_each_other_in_any_order(tmp_path):
    records = all_records()
    incidents = jsonl_write(
        tmp_path / "1-incidents.jsonl", [r for r in records if r["type"] == "incident"]
    )
    rest = jsonl_write(tmp_path / "2-rest.jsonl", [r for r in records if r["type"] != "incident"])

    summary = import_files(paths=[incidents, rest], progress=False)

    assert (summary.accepted, summary.held, summary.released) == (len(records), 0, 0)
    first_run = ImportRun.objects.get(pk=summary.run_ids[0])
    assert (first_run.accepted, first_run.held, first_run.status) == (1, 0, RunStatus.COMPLETED)


def test_many_held_records_are_retried_a_batch_at_a_time(tmp_path):
    load(tmp_path, [*org_records(), *[r for r in all_records() if r["source_id"] == "L1"]])
    addresses = [rec("person_address", f"PA{i}", person=f"P{i}", location="L1") for i in range(25)]
    first = load(tmp_path, addresses, name="addresses.jsonl", batch_size=10)
    assert first.held == 25

    people = [rec("person", f"P{i}", given_name="Held", family_name=f"P{i}") for i in range(25)]
    second = load(tmp_path, people, name="people.jsonl", batch_size=10)

    assert (second.accepted, second.released) == (25, 25)
    assert PersonAddress.objects.count() == 25


def _planner_has_statistics_for_people() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name='sqlite_stat1'"
            )
            if cursor.fetchone() is None:
                return False
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'people_person'")
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'people_person'")
        return cursor.fetchone()[0] > 0


def _planner_statistics_forget() -> None:
    """Start from none, whatever earlier tests or autovacuum left (rolled back with the test)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
        else:
            # As if never analysed (reltuples -1), as a refresh sees a table: rolled back too.
            cursor.execute("DELETE FROM pg_statistic WHERE starelid = 'people_person'::regclass")
            cursor.execute(
                "UPDATE pg_class SET reltuples = -1, relpages = 0 "
                "WHERE oid = 'people_person'::regclass"
            )


def _family_name_histogram_bounds() -> int | None:
    """PostgreSQL: how many bounds the planner's histogram of people's family names has (at most
    the statistics target + 1); None where there are no statistics."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cardinality(histogram_bounds::text::text[]) FROM pg_stats "
            "WHERE tablename = 'people_person' AND attname = 'family_name'"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _statistics_target() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW default_statistics_target")
        return cursor.fetchone()[0]


def test_a_large_import_refreshes_the_planner_statistics_and_ends_with_full_ones(tmp_path):
    from django.db import connection

    _planner_statistics_forget()
    load(tmp_path, all_records(), statistics_after=10**9)
    assert not _planner_has_statistics_for_people()
    _planner_statistics_forget()
    # New people (new source ids, 200 family names), so the second import writes rows.
    person = next(r for r in all_records() if r["type"] == "person")
    people = [
        {**person, "source_id": f"more-{i}", "family_name": f"Example{i:03d}"} for i in range(200)
    ]
    summary = load(tmp_path, people, name="more.jsonl", statistics_after=1)
    assert summary.accepted == len(people)
    assert _planner_has_statistics_for_people()
    if connection.vendor == "postgresql":
        # Sampled quickly while the import wrote (at most 11 bounds), measured in full at its end.
        assert _family_name_histogram_bounds() > QUICK_TARGET + 1


def test_refreshes_while_the_tables_grow_sample_quickly_and_the_end_measures_in_full():
    from django.db import connection

    force = PersonFactory().force
    Person.objects.bulk_create(
        Person(force=force, given_name="Ann", family_name=f"Example{i:03d}") for i in range(300)
    )
    _planner_statistics_forget()
    server_target = _statistics_target() if connection.vendor == "postgresql" else None
    statistics = PlannerStatistics(after=1)
    statistics.note(300)
    assert _planner_has_statistics_for_people()
    if connection.vendor != "postgresql":
        # SQLite samples a bounded number of rows per index every time: nothing to choose.
        statistics.finish()
        return
    assert "people_person" in statistics.sampled
    assert _family_name_histogram_bounds() <= QUICK_TARGET + 1
    statistics.finish()
    assert statistics.sampled == set()
    assert _family_name_histogram_bounds() > QUICK_TARGET + 1
    # The quick target was the refresh's own: the server's stays as it was.
    assert _statistics_target() == server_target


def test_statistics_are_refreshed_as_the_tables_double_not_after_every_batch():
    PersonFactory.create_batch(3)
    _planner_statistics_forget()
    statistics = PlannerStatistics(after=5)
    refreshed_at = []
    for written in (3, 2, 3, 2, 9, 1, 0, 20):
        statistics.note(written)
        refreshed_at.append(statistics.at_last_refresh)
    # The first after 5 records, then whenever as many again have been written as before.
    assert refreshed_at == [0, 5, 5, 10, 10, 20, 20, 40]
    assert _planner_has_statistics_for_people()


def test_a_refresh_analyses_the_tables_that_grew_not_every_table():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thinkchild.interchange.statistics import database_statistics_refresh, tables_stale

    PersonFactory.create_batch(3)
    LocationFactory.create_batch(3)
    database_statistics_refresh()
    if connection.vendor != "postgresql":
        # SQLite analyses every index, each from a bounded sample: nothing to choose.
        assert _planner_has_statistics_for_people()
        return
    assert tables_stale() == []
    # People grow by far more than a fifth; locations (analysed, with rows) do not change.
    force = Person.objects.first().force
    Person.objects.bulk_create(
        Person(force=force, given_name="Ann", family_name=f"Example{i}") for i in range(3000)
    )
    stale = tables_stale()
    assert "people_person" in stale
    assert Location.objects.exists() and "people_location" not in stale
    with CaptureQueriesContext(connection) as queries:
        database_statistics_refresh()
    analysed = [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]
    assert analysed == ["ANALYZE " + ", ".join(stale)]
    assert tables_stale() == []
    # A table with rows never analysed is analysed too.
    _planner_statistics_forget()
    assert tables_stale() == ["people_person"]


def test_an_importer_remembers_a_bounded_number_of_keys_and_forgets_the_oldest(monkeypatch):
    from uuid import uuid4

    from thinkchild.interchange import pipeline
    from thinkchild.interchange.pipeline import Importer
    from thinkchild.interchange.records import Key, Resolved

    monkeypatch.setattr(pipeline, "KEYS_REMEMBERED", 6)
    from thinkchild.interchange.services import _run_start

    run = _run_start(source_name="t.jsonl", actor=None, channel="import")
    importer = Importer(run=run, actor=None)
    keys = [Key("person", "demo", f"P{i}") for i in range(9)]
    resolved = {key: Resolved(uuid4(), None) for key in keys}
    importer.resolved_remember({k: resolved[k] for k in keys[:5]})
    assert list(importer.resolved_known) == keys[:5]
    # Two more would pass the bound: the older half of what it knew goes, the newest stay.
    importer.resolved_remember({k: resolved[k] for k in keys[5:7]})
    assert list(importer.resolved_known) == keys[4:7]
    importer.resolved_remember({k: resolved[k] for k in keys[7:9]})
    assert list(importer.resolved_known) == keys[4:9]
    assert len(importer.resolved_known) <= 6
    assert importer.resolved_known[keys[8]] == resolved[keys[8]]


def test_a_reference_looked_up_by_one_batch_is_not_looked_up_again_by_the_next(tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    load(tmp_path, all_records())
    later = [
        rec(
            "incident",
            f"K{i}",
            reference=f"TST-2{i:05d}",
            occurred_at="2026-04-01T10:00:00+01:00",
            incident_type="concern_for_child",
            area="A1",
            participants=[{"person": "P1", "role": "victim"}],
        )
        for i in range(3)
    ]
    with CaptureQueriesContext(connection) as queries:
        summary = load(tmp_path, later, name="later.jsonl", batch_size=1)
    assert summary.accepted == 3
    person_lookups = [
        q
        for q in queries.captured_queries
        if "interchange_sourcerecord" in q["sql"]
        and q["sql"].lstrip().startswith("SELECT")
        and "'person'" in q["sql"]
    ]
    # The first batch looks the person up; the other two know it.
    assert len(person_lookups) == 1
    assert Participant.objects.filter(person__given_name="Amelia").count() == 4

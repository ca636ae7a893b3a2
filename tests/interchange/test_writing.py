"""The importer's fast write paths write what the model and the services would have written:
defaults, history that keeps the untouched fields, full processing-log entries, the marker."""

import pytest

from tests.interchange.canonical import all_records, jsonl_write, rec
from thinkchild.access.models import Operation, ProcessingLogEntry
from thinkchild.incidents.models import Incident
from thinkchild.interchange.models import ImportRun, SourceRecord
from thinkchild.interchange.services import import_files
from thinkchild.interchange.writing import row_new
from thinkchild.people.models import Gender, Person

pytestmark = pytest.mark.django_db


def load(tmp_path, records, name="in.jsonl"):
    return import_files(paths=[jsonl_write(tmp_path / name, records)], progress=False)


def changed(records, source_id, **fields):
    return [{**r, **fields} if r["source_id"] == source_id else r for r in records]


def test_a_new_row_has_the_model_defaults_and_its_own_id():
    first = row_new(Person, {"given_name": "Ada"})
    second = row_new(Person, {"given_name": "Bea"})
    assert first.id != second.id
    assert first.pk == first.id
    assert (first.gender, first.is_restricted, first.appears_under_18) == (
        Gender.UNKNOWN,
        False,
        False,
    )
    assert first.area_id is None
    assert first.given_name == "Ada"


def test_an_import_log_entry_is_as_complete_as_one_written_by_a_service(tmp_path):
    summary = load(tmp_path, all_records())
    amelia = Person.objects.get(given_name="Amelia")

    # Her person record's entry (her address and school are logged against her too).
    entry = ProcessingLogEntry.objects.get(
        operation=Operation.COLLECTION, subject_id=amelia.pk, subject_label="Amelia Hughes"
    )

    assert entry.channel == "import"
    assert entry.actor is None
    assert entry.actor_label == "system"
    assert entry.subject_type == "person"
    assert entry.detail == {"import_run": str(summary.run_id)}
    assert entry.request_id
    assert entry.source_ip is None
    assert not entry.out_of_scope
    assert entry.occurred_at is not None


def test_a_changed_record_keeps_what_the_import_does_not_set(tmp_path):
    load(tmp_path, all_records())
    amelia = Person.objects.get(given_name="Amelia")
    created_at, area_id = amelia.created_at, amelia.area_id
    assert area_id is not None  # from her address

    load(tmp_path, changed(all_records(), "P1", family_name="Hughes-Ward"), name="again.jsonl")

    amelia.refresh_from_db()
    assert (amelia.family_name, amelia.created_at, amelia.area_id) == (
        "Hughes-Ward",
        created_at,
        area_id,
    )
    latest = amelia.history.first()
    assert latest.history_type == "~"
    assert (latest.family_name, latest.created_at, latest.area_id) == (
        "Hughes-Ward",
        created_at,
        area_id,
    )


def test_the_marker_follows_a_corrected_date_of_birth_on_reimport(tmp_path):
    records = [
        r for r in all_records() if r["type"] != "person" or r["source_id"] == "P1"
    ]  # the incident's participants: Amelia only, aged 10
    records = [
        {**r, "participants": [{"person": "P1", "role": "child_present"}]}
        if r["type"] == "incident"
        else r
        for r in records
        if r.get("source_id") != "R1"
    ]
    load(tmp_path, records)
    assert Incident.objects.get().child_marker_reasons == ["under_18"]

    load(tmp_path, changed(records, "P1", date_of_birth="1990-04-02"), name="fixed.jsonl")

    incident = Incident.objects.get()
    assert (incident.has_child, incident.child_marker_reasons) == (False, [])


def test_an_incident_with_a_pregnant_adult_only_is_marked_for_the_unborn_child(tmp_path):
    load(tmp_path, all_records())
    extra = rec(
        "incident",
        "I2",
        reference="TST-000002",
        occurred_at="2026-03-11T10:00:00+00:00",
        incident_type="domestic_abuse",
        area="A1",
        participants=[{"person": "P2", "role": "victim"}],
    )
    load(tmp_path, [extra], name="later.jsonl")
    incident = Incident.objects.get(reference="TST-000002")
    assert (incident.has_child, incident.child_marker_reasons) == (True, ["unborn_child"])


def test_a_reimport_marks_every_key_as_seen_by_the_new_run(tmp_path):
    load(tmp_path, all_records())
    summary = load(tmp_path, all_records(), name="again.jsonl")

    run = ImportRun.objects.get(pk=summary.run_id)
    assert summary.unchanged == len(all_records())
    assert SourceRecord.objects.exclude(last_seen_run=run).count() == 0
    assert SourceRecord.objects.exclude(first_seen_run=run).count() == len(all_records())


def test_rows_update_leaves_alone_the_rows_already_holding_the_value_it_is_told_of():
    """bulk.rows_update(unless_equal=...): the key map's guard against a duplicate line written
    by another import worker meanwhile (batch.SeenMeanwhile), the same on both databases."""
    from django.utils import timezone

    from thinkchild.access.ids import record_id
    from thinkchild.access.models import Channel
    from thinkchild.interchange.bulk import rows_update

    now = timezone.now()
    ours, other = (
        ImportRun.objects.create(source_name=n, channel=Channel.IMPORT, started_at=now)
        for n in ("ours", "other")
    )
    keys = [
        SourceRecord.objects.create(
            record_type="person",
            source_system="t",
            source_id=f"K{i}",
            object_id=record_id(),
            digest="old",
            last_seen_run=run,
            updated_at=now,
        )
        for i, run in enumerate([other, ours, None])
    ]
    for key in keys:
        key.digest, key.last_seen_run_id = "new", ours.pk

    updated = rows_update(
        SourceRecord, keys, ["digest", "last_seen_run"], unless_equal=("last_seen_run", ours.pk)
    )

    assert updated == 2  # the one already seen by our run is left alone
    assert dict(SourceRecord.objects.values_list("source_id", "digest")) == {
        "K0": "new",
        "K1": "old",
        "K2": "new",
    }

"""A lawfully erased person stays erased: the source sending the record again, or a record that
names them, is refused, and the quarantine keeps the key and the reason, not the data."""

import pytest

from tests.factories import UserFactory
from tests.interchange.canonical import all_records, jsonl_write, rec
from thinkchild.interchange.models import QuarantinedRecord, SourceRecord
from thinkchild.interchange.services import import_files
from thinkchild.people.models import Person, PersonAddress
from thinkchild.people.services import person_erase

pytestmark = pytest.mark.django_db

REASON = "A lawful request under s.47, checked by the data protection officer."


def load(tmp_path, records, name):
    return import_files(paths=[jsonl_write(tmp_path / name, records)], progress=False)


@pytest.fixture
def erased(tmp_path):
    """The family imported, then Amelia (P1, with her address and enrolment) erased."""
    load(tmp_path, all_records(), "family.jsonl")
    amelia = Person.objects.get(given_name="Amelia")
    person_erase(
        actor=UserFactory(),
        person=amelia,
        justification=REASON,
        include_participations=True,
    )
    return amelia.pk


def test_the_keys_of_an_erased_persons_records_stay_marked_and_hold_no_digest(erased):
    keys = SourceRecord.objects.filter(erased_at__isnull=False)
    assert set(keys.values_list("record_type", "source_id")) == {
        ("person", "P1"),
        ("person_address", "PA1"),
        ("relationship", "R1"),
        ("enrolment", "E1"),
    }
    assert set(keys.values_list("digest", flat=True)) == {""}
    assert keys.get(record_type="person").object_id == erased


def test_importing_the_same_file_again_does_not_bring_the_person_back(tmp_path, erased):
    summary = load(tmp_path, all_records(), "again.jsonl")

    assert not Person.objects.filter(given_name="Amelia").exists()
    assert not PersonAddress.objects.filter(person_id=erased).exists()
    assert summary.rejected == 4  # P1, her address, the relationship and the enrolment
    entry = QuarantinedRecord.objects.get(record_type="person", source_id="P1")
    assert entry.reasons[0]["message"].startswith("person test/P1 was erased on ")
    # Nothing of what the line held is kept.
    assert (entry.raw, entry.record, entry.raw_bytes_hex) == ("", None, "")
    assert "Amelia" not in str(list(QuarantinedRecord.objects.values_list("raw", "record")))


def test_a_changed_record_naming_an_erased_person_is_refused_with_the_reason(tmp_path, erased):
    incident = rec(
        "incident",
        "I9",
        reference="TST-000009",
        occurred_at="2026-03-11T10:00:00+00:00",
        incident_type="concern_for_child",
        area="A1",
        participants=[{"person": "P1", "role": "victim"}, {"person": "P2", "role": "caller"}],
    )
    summary = load(tmp_path, [incident], "later.jsonl")

    assert (summary.accepted, summary.rejected, summary.held) == (0, 1, 0)
    entry = QuarantinedRecord.objects.get(source_id="I9")
    assert [r["field"] for r in entry.reasons] == ["participants.0.person"]
    assert entry.reasons[0]["message"].startswith("refers to person test/P1, which was erased on ")
    assert entry.reasons[0]["message"].endswith("take the reference out to import the rest")


def test_a_changed_record_of_the_erased_person_does_not_bring_them_back(tmp_path, erased):
    amelia = next(r for r in all_records() if r["source_id"] == "P1")
    changed = {**amelia, "given_name": "Millie"}
    summary = load(tmp_path, [changed], "changed.jsonl")
    assert (summary.accepted, summary.rejected) == (0, 1)
    assert not Person.objects.filter(pk=erased).exists()
    assert not Person.objects.filter(given_name="Millie").exists()


def test_a_line_of_an_erased_person_rejected_for_another_reason_keeps_nothing(tmp_path, erased):
    amelia = next(r for r in all_records() if r["source_id"] == "P1")
    bad = {**amelia, "given_name": "Millie", "date_of_birth": "2099-01-01"}  # in the future
    summary = load(tmp_path, [bad], "bad.jsonl")
    assert summary.rejected == 1
    entry = QuarantinedRecord.objects.get(source_id="P1")
    assert entry.reasons[0]["field"] == "date_of_birth"
    assert (entry.raw, entry.record) == ("", None)


def test_erasure_empties_what_the_quarantine_kept_of_the_persons_lines(tmp_path):
    load(tmp_path, all_records(), "family.jsonl")
    amelia = next(r for r in all_records() if r["source_id"] == "P1")
    load(tmp_path, [{**amelia, "date_of_birth": "2099-01-01"}], "bad.jsonl")
    entry = QuarantinedRecord.objects.get(source_id="P1")
    assert "Amelia" in entry.raw

    person_erase(
        actor=UserFactory(),
        person=Person.objects.get(given_name="Amelia"),
        justification=REASON,
        include_participations=True,
    )

    entry.refresh_from_db()
    assert (entry.raw, entry.record, entry.raw_bytes_hex) == ("", None, "")
    assert entry.reasons  # why it was rejected stays

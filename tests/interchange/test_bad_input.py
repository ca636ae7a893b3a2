"""Bad input gets a specific reason in the quarantine; the rest of the file goes on (issue #2)."""

import datetime as dt

import orjson
import pytest
from django.utils import timezone

from tests.interchange.canonical import all_records, jsonl_write, org_records, rec
from thinkchild.interchange.models import QuarantinedRecord, QuarantineStatus
from thinkchild.interchange.services import import_files
from thinkchild.people.models import Person

pytestmark = pytest.mark.django_db

GOOD = rec("person", "OK", given_name="Good", family_name="Record")


@pytest.fixture
def org(tmp_path):
    import_files(paths=[jsonl_write(tmp_path / "org.jsonl", org_records())], progress=False)


def import_lines_of(tmp_path, *lines, newline_at_end=True, batch_size=2000):
    path = jsonl_write(tmp_path / "bad.jsonl", lines, newline_at_end=newline_at_end)
    return import_files(paths=[path], progress=False, batch_size=batch_size)


def reasons(line_number: int) -> list[str]:
    entry = QuarantinedRecord.objects.get(
        line_number=line_number, run__source_name__endswith="bad.jsonl"
    )
    return [r["message"] for r in entry.reasons]


def test_an_unknown_record_type(tmp_path, org):
    summary = import_lines_of(tmp_path, rec("vehicle", "V1", make="Ford"), GOOD)
    assert reasons(1) == ["unknown record type 'vehicle'"]
    assert (summary.rejected, summary.accepted) == (1, 1)  # the rest of the file goes on


def test_an_unsupported_version(tmp_path, org):
    import_lines_of(tmp_path, {**GOOD, "version": 2})
    assert reasons(1) == [
        "unsupported version 2 of person records (this installation reads version 1)"
    ]


def test_a_missing_source_id_and_source_system(tmp_path, org):
    record = {k: v for k, v in GOOD.items() if k not in ("source_id", "source_system")}
    import_lines_of(tmp_path, record)
    assert reasons(1) == ["source_system is missing", "source_id is missing"]


def test_a_malformed_postcode(tmp_path, org):
    import_lines_of(tmp_path, rec("location", "L9", line1="1 High Street", postcode="PR1 2AB X"))
    assert reasons(1) == ["'PR1 2AB X' is not a valid UK postcode"]


def test_a_date_of_birth_in_the_future(tmp_path, org):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    import_lines_of(tmp_path, {**GOOD, "date_of_birth": tomorrow})
    assert reasons(1) == [
        f"date of birth {dt.date.fromisoformat(tomorrow):%d/%m/%Y} is in the future"
    ]


def test_an_impossible_date(tmp_path, org):
    import_lines_of(tmp_path, {**GOOD, "date_of_birth": "2015-02-30"})
    assert reasons(1) == ["'2015-02-30' is not a date (YYYY-MM-DD)"]


def test_an_estimated_age_without_the_day_it_was_estimated(tmp_path, org):
    import_lines_of(tmp_path, {**GOOD, "estimated_age": 14})
    assert reasons(1) == ["estimated_age needs estimated_age_on"]


def test_an_address_that_ends_before_it_starts(tmp_path, org):
    records = [r for r in all_records() if r["type"] in ("location", "person")]
    bad = rec(
        "person_address",
        "PA9",
        person="P1",
        location="L1",
        valid_from="2020-05-01",
        valid_to="2020-04-30",
    )
    import_lines_of(tmp_path, *records, bad)
    assert reasons(len(records) + 1) == ["valid_to 30/04/2020 is before valid_from 01/05/2020"]


def test_a_participant_born_after_the_incident(tmp_path, org):
    child = rec("person", "C1", given_name="Late", family_name="Born", date_of_birth="2026-03-01")
    incident = rec(
        "incident",
        "I9",
        reference="TST-9",
        occurred_at="2026-02-01T10:00:00+00:00",
        incident_type="neglect",
        area="A1",
        participants=[{"person": "C1", "role": "child_present"}],
    )
    import_lines_of(tmp_path, child, incident)
    assert reasons(2) == ["born 01/03/2026, after the incident (01/02/2026)"]


def test_an_incident_in_the_future(tmp_path, org):
    later = (timezone.now() + dt.timedelta(days=2)).isoformat()
    incident = rec(
        "incident", "I9", reference="TST-9", occurred_at=later, incident_type="neglect", area="A1"
    )
    import_lines_of(tmp_path, incident)
    assert reasons(1) == [f"the incident is in the future ({later})"]


def test_an_unknown_incident_type_code(tmp_path, org):
    incident = rec(
        "incident",
        "I9",
        reference="TST-9",
        occurred_at="2026-02-01T10:00:00+00:00",
        incident_type="alien_abduction",
        area="A1",
    )
    import_lines_of(tmp_path, incident)
    assert reasons(1) == ["unknown incident type code 'alien_abduction'"]


def test_an_unknown_field_and_a_wrong_type_are_both_named(tmp_path, org):
    import_lines_of(tmp_path, {**GOOD, "dob": "2001-01-01", "appears_under_18": "yes"})
    entry = QuarantinedRecord.objects.get()
    assert {(r["field"], r["message"]) for r in entry.reasons} == {
        ("dob", "dob: not a field of person records"),
        ("appears_under_18", "'yes' is not true or false"),
    }


def test_duplicate_ids_within_a_file(tmp_path, org):
    import_lines_of(tmp_path, GOOD, {**GOOD, "given_name": "Other"})
    assert reasons(2) == ["duplicate of line 1"]
    assert Person.objects.get().given_name == "Good"


def test_duplicate_ids_in_different_batches_of_one_file(tmp_path, org):
    others = [rec("person", f"X{i}", given_name="X", family_name="Y") for i in range(3)]
    import_lines_of(tmp_path, GOOD, *others, {**GOOD, "given_name": "Other"}, batch_size=2)
    assert reasons(5) == ["duplicate of line 1"]


def test_a_reference_to_a_record_not_yet_imported_is_held(tmp_path, org):
    summary = import_lines_of(
        tmp_path, rec("person_address", "PA1", person="P404", location="L404")
    )
    entry = QuarantinedRecord.objects.get()
    assert summary.held == 1
    assert entry.status == QuarantineStatus.HELD
    assert [w["source_id"] for w in entry.waiting_for] == ["P404", "L404"]
    assert reasons(1) == [
        "refers to person test/P404, which has not been imported yet",
        "refers to location test/L404, which has not been imported yet",
    ]


def test_a_truncated_last_line(tmp_path, org):
    whole = orjson.dumps(GOOD)
    summary = import_lines_of(
        tmp_path, whole, whole[:40].replace(b"OK", b"O2"), newline_at_end=False
    )
    assert reasons(2) == ["line is incomplete (file may be truncated)"]
    assert summary.accepted == 1


def test_invalid_json(tmp_path, org):
    import_lines_of(tmp_path, b'{"type": "person", "version": 1,, }', GOOD)
    assert reasons(1) == [
        "not valid JSON: unexpected character, expected a string key at column 33"
    ]


def test_a_line_that_is_not_an_object(tmp_path, org):
    import_lines_of(tmp_path, b"[1, 2, 3]")
    assert reasons(1) == ["not a record: each line must be one JSON object {...}"]


def test_non_utf8_bytes_are_rejected_and_the_rest_goes_on(tmp_path, org):
    latin1 = orjson.dumps({**GOOD, "source_id": "Z", "family_name": "Zo\u00eb"}).replace(
        "\u00eb".encode(), b"\xeb"
    )
    summary = import_lines_of(tmp_path, latin1, GOOD)
    entry = QuarantinedRecord.objects.get()
    position = latin1.index(b"\xeb") + 1
    assert reasons(1) == [f"not UTF-8 text (byte 0xeb at position {position})"]
    assert "Zo\ufffd" in entry.raw
    assert bytes.fromhex(entry.raw_bytes_hex) == latin1  # nothing lost
    assert summary.accepted == 1


def test_no_force_yet(tmp_path):
    import_lines_of(tmp_path, GOOD)
    assert reasons(1) == ["no force: import a force record first"]


def neglect(source_id: str, reference: str) -> dict:
    return rec(
        "incident",
        source_id,
        reference=reference,
        occurred_at="2026-02-01T10:00:00+00:00",
        incident_type="neglect",
        area="A1",
    )


def test_an_incident_reference_already_used_by_another_incident(tmp_path, org):
    import_lines_of(tmp_path, neglect("I1", "TST-1"), neglect("I2", "TST-1"))
    assert reasons(2) == ["reference TST-1 already belongs to line 1"]


def test_an_incident_reference_held_by_an_incident_imported_before(tmp_path, org):
    first = jsonl_write(tmp_path / "first.jsonl", [neglect("I1", "TST-1")])
    import_files(paths=[first], progress=False)
    summary = import_lines_of(tmp_path, neglect("I2", "TST-1"), GOOD)
    assert reasons(1) == ["reference TST-1 already belongs to another incident"]
    assert (summary.rejected, summary.accepted) == (1, 1)


def test_an_enrolment_at_an_organisation_that_is_not_a_school(tmp_path, org):
    records = [
        GOOD,
        rec("organisation", "H1", kind="health", name="Royal Preston Hospital"),
        rec("enrolment", "E1", person="OK", school="H1", start_date="2020-09-01"),
    ]
    import_lines_of(tmp_path, *records)
    assert reasons(3) == ["refers to an organisation that is not a school"]


def test_the_same_bad_file_twice_is_quarantined_once(tmp_path, org):
    import_lines_of(tmp_path, b"not json", GOOD)
    again = import_lines_of(tmp_path, b"not json", GOOD)
    assert again.rejected == 1
    assert QuarantinedRecord.objects.count() == 1


def test_a_constraint_no_check_foresaw_rejects_that_record_only(tmp_path, org):
    twin = rec(
        "user",
        "U2",
        username="pc.other",
        given_name="Other",
        family_name="Officer",
        role="officer",
        collar_number="4411",
    )  # the collar number of pc.hughes
    summary = import_lines_of(tmp_path, GOOD, twin, {**GOOD, "source_id": "OK2"})
    assert (summary.accepted, summary.rejected) == (2, 1)
    assert reasons(2)[0].startswith("could not be saved: ")
    assert Person.objects.count() == 2

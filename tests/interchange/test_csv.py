"""CSV files with a column-mapping file become canonical records."""

import json

import pytest

from tests.interchange.canonical import jsonl_write, org_records
from thinkchild.interchange.models import QuarantinedRecord, SourceRecord
from thinkchild.interchange.services import InputUnreadable, import_files
from thinkchild.people.models import Person

pytestmark = pytest.mark.django_db

CSV = (
    "ID,Forename,Surname,DOB,Sex,Looks under 18\n"
    "N1,Amelia,Hughes,02/04/2015,female,\n"
    'N2,"O\'Brien, Jo",Bloggs,31/02/2010,male,yes\n'
    "N3,Kai,Ward,,unknown,no\n"
)
MAPPING = {
    "record_type": "person",
    "source_system": "niche",
    "columns": {
        "source_id": "ID",
        "given_name": "Forename",
        "family_name": "Surname",
        "date_of_birth": "DOB",
        "gender": "Sex",
        "appears_under_18": "Looks under 18",
    },
    "date_format": "%d/%m/%Y",
}


@pytest.fixture
def org(tmp_path):
    import_files(paths=[jsonl_write(tmp_path / "org.jsonl", org_records())], progress=False)


def files(tmp_path, csv_bytes: bytes, mapping: dict):
    csv_path = tmp_path / "people.csv"
    csv_path.write_bytes(csv_bytes)
    mapping_path = tmp_path / "mapping.json"
    mapping_path.write_text(json.dumps(mapping))
    return csv_path, mapping_path


def test_rows_become_people_through_the_mapping(tmp_path, org):
    csv_path, mapping_path = files(tmp_path, CSV.encode(), MAPPING)

    summary = import_files(paths=[csv_path], mapping=mapping_path, progress=False)

    assert (summary.accepted, summary.rejected) == (2, 1)
    amelia = Person.objects.get(given_name="Amelia")
    assert amelia.date_of_birth.isoformat() == "2015-04-02"
    assert Person.objects.get(given_name="Kai").appears_under_18 is False
    assert SourceRecord.objects.filter(source_system="niche", source_id="N1").exists()
    # The rejected row keeps the CSV text as received and the record the mapping made of it.
    entry = QuarantinedRecord.objects.get()
    assert entry.line_number == 3
    assert entry.raw == 'N2,"O\'Brien, Jo",Bloggs,31/02/2010,male,yes'
    assert entry.record["given_name"] == "O'Brien, Jo"
    assert [r["message"] for r in entry.reasons] == ["'31/02/2010' is not a date (YYYY-MM-DD)"]


def test_reimporting_the_csv_changes_nothing(tmp_path, org):
    csv_path, mapping_path = files(tmp_path, CSV.encode(), MAPPING)
    import_files(paths=[csv_path], mapping=mapping_path, progress=False)
    again = import_files(paths=[csv_path], mapping=mapping_path, progress=False)
    assert (again.accepted, again.unchanged) == (0, 2)


def test_a_mapping_that_names_a_missing_column_stops_before_any_row(tmp_path, org):
    mapping = {**MAPPING, "columns": {**MAPPING["columns"], "family_name": "Last name"}}
    csv_path, mapping_path = files(tmp_path, CSV.encode(), mapping)

    with pytest.raises(InputUnreadable) as error:
        import_files(paths=[csv_path], mapping=mapping_path, progress=False)

    assert "the mapping names column 'Last name', not in people.csv" in str(error.value)
    assert not Person.objects.exists()
    assert not QuarantinedRecord.objects.exists()


def test_a_mapping_to_a_field_the_record_type_does_not_have(tmp_path, org):
    mapping = {**MAPPING, "columns": {**MAPPING["columns"], "shoe_size": "Sex"}}
    csv_path, mapping_path = files(tmp_path, CSV.encode(), mapping)
    with pytest.raises(InputUnreadable, match="shoe_size not a field of person records"):
        import_files(paths=[csv_path], mapping=mapping_path, progress=False)


def test_a_row_that_is_not_utf8_is_rejected_and_the_rest_go_on(tmp_path, org):
    data = CSV.encode().replace(b"Kai", b"K\xe4i")
    csv_path, mapping_path = files(tmp_path, data, MAPPING)

    summary = import_files(paths=[csv_path], mapping=mapping_path, progress=False)

    assert summary.accepted == 1
    entry = QuarantinedRecord.objects.get(line_number=4)
    assert [r["message"] for r in entry.reasons] == ["not UTF-8 text (byte 0xe4 at position 5)"]
    assert bytes.fromhex(entry.raw_bytes_hex) == b"N3,K\xe4i,Ward,,unknown,no"


def test_a_csv_without_a_mapping_is_refused(tmp_path, org):
    csv_path, _ = files(tmp_path, CSV.encode(), MAPPING)
    with pytest.raises(InputUnreadable, match="a CSV file needs a column mapping"):
        import_files(paths=[csv_path], progress=False)

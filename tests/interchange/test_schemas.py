"""The schemas, the registry and docs/interchange.md say the same thing."""

import re
from pathlib import Path

import orjson
import pytest
from jsonschema import Draft202012Validator

from tests.interchange.canonical import all_records
from thinkchild.interchange.registry import record_type_get, record_types, schema_files
from thinkchild.interchange.validation import _fast_check, _validator, envelope_check, record_check

DOC = Path(__file__).resolve().parents[2] / "docs" / "interchange.md"
ENVELOPE = {"type", "version", "source_system", "source_id"}


def documented_fields() -> dict[str, list[str]]:
    """Each `### `type`` section's table, first column."""
    sections = re.split(r"^### `(\w+)`$", DOC.read_text(encoding="utf-8"), flags=re.M)
    fields = {}
    for name, body in zip(sections[1::2], sections[2::2], strict=True):
        table = body.split("\n\n")[2] if body.count("\n\n") >= 2 else ""
        fields[name] = re.findall(r"^\| `(\w+)` \|", table, flags=re.M)
    return fields


def test_every_record_type_has_its_schema_file_and_no_schema_is_orphaned():
    files = {p.name for p in schema_files()}
    expected = {f"{t.name}.v{t.version}.json" for t in record_types().values()}
    assert files == expected


@pytest.mark.parametrize("name", sorted(record_types()))
def test_each_schema_is_valid_json_schema(name):
    Draft202012Validator.check_schema(record_type_get(name).schema)


def test_the_document_lists_exactly_each_schemas_fields():
    documented = documented_fields()
    assert set(documented) == set(record_types())
    for name, record_type in record_types().items():
        properties = [p for p in record_type.schema["properties"] if p not in ENVELOPE]
        assert documented[name] == properties, name


def test_the_document_says_which_fields_are_required():
    text = DOC.read_text(encoding="utf-8")
    for name, record_type in record_types().items():
        for field in set(record_type.schema["required"]) - ENVELOPE:
            section = text.split(f"### `{name}`", 1)[1].split("### ", 1)[0]
            assert re.search(rf"^\| `{field}` \|[^|]+\| yes \|", section, flags=re.M), (name, field)


@pytest.mark.django_db
def test_the_documents_example_is_valid():
    example = DOC.read_text(encoding="utf-8").split("## Example", 1)[1].split("```json", 1)[1]
    lines = example.split("```", 1)[0].strip().splitlines()
    for line in lines:
        record = orjson.loads(line)
        record_type, reasons = envelope_check(record)
        assert reasons == []
        assert record_check(record_type, record) == []


WRONG_VALUES = [
    None,
    0,
    -1,
    1.5,
    True,
    "",
    "x" * 300,
    "2026-02-30",
    [],
    [{}],
    {},
    {"source_id": ""},
    # Where regular-expression dialects differ: Python's `$` also matches before a final newline
    # and its `\w` takes any letter; ECMA-262's, which the fast check follows, do neither.
    "demo\n",
    "é",
    # Text that is not valid Unicode: the fast check declines rather than fails.
    "\ud800",
]


@pytest.mark.django_db
@pytest.mark.parametrize("record", all_records(), ids=lambda r: r["type"])
def test_the_fast_check_is_never_looser_than_jsonschema(record):
    name = record["type"]
    fast, full = _fast_check(name, 1), _validator(name, 1)
    assert fast(record) and full.is_valid(record)
    for field in record_type_get(name).schema["properties"]:
        for value in WRONG_VALUES:
            variant = {**record, field: value}
            if not full.is_valid(variant):
                assert not fast(variant), (field, value)
        variant = {k: v for k, v in record.items() if k != field}
        if not full.is_valid(variant):
            assert not fast(variant), ("without", field)

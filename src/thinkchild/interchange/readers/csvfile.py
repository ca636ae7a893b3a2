"""CSV with a column-mapping file: each row becomes one canonical record.

The mapping is checked against the header before any row is read, so a mapping that names a
missing column stops the import with a clear message instead of rejecting every row.
"""

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from thinkchild.interchange.records import Line, Reason
from thinkchild.interchange.registry import record_type_get

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


class MappingError(Exception):
    """The mapping file or the CSV header cannot be used: nothing is imported."""


@dataclass(frozen=True)
class Mapping:
    record_type: str
    columns: dict[str, str]
    source_system: str = ""
    date_format: str = "%Y-%m-%d"
    datetime_format: str = ""
    version: int = 1
    properties: dict = field(default_factory=dict)


def mapping_load(path: str | Path) -> Mapping:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise MappingError(f"mapping file {path} not found") from error
    except (OSError, UnicodeDecodeError) as error:
        raise MappingError(f"cannot read mapping file {path}: {error}") from error
    except json.JSONDecodeError as error:
        raise MappingError(f"mapping file {path} is not valid JSON: {error}") from error
    return mapping_from_dict(data, name=str(path))


def mapping_from_dict(data: dict, *, name: str = "mapping") -> Mapping:
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise MappingError(f'{name} must be an object with "record_type" and "columns"')
    record_type = record_type_get(str(data.get("record_type", "")))
    if record_type is None:
        raise MappingError(f"{name}: unknown record type {data.get('record_type')!r}")
    properties = record_type.schema.get("properties", {})
    unknown = [f for f in data["columns"] if f not in properties]
    if unknown:
        raise MappingError(
            f"{name}: {', '.join(unknown)} not a field of {record_type.name} records"
        )
    return Mapping(
        record_type=record_type.name,
        columns={str(k): str(v) for k, v in data["columns"].items()},
        source_system=str(data.get("source_system", "")),
        date_format=str(data.get("date_format", "%Y-%m-%d")),
        datetime_format=str(data.get("datetime_format", "")),
        version=record_type.version,
        properties=properties,
    )


def _convert(value: str, prop: dict, mapping: Mapping):
    """A cell as the schema wants it; left as text when it does not fit, so the schema names it."""
    kind = prop.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    try:
        if "integer" in kinds:
            return int(value)
        if "boolean" in kinds:
            if value.lower() in _TRUE:
                return True
            if value.lower() in _FALSE:
                return False
            return value
        if prop.get("format") == "date":
            return dt.datetime.strptime(value, mapping.date_format).date().isoformat()
        if prop.get("format") == "date-time" and mapping.datetime_format:
            return dt.datetime.strptime(value, mapping.datetime_format).isoformat()
    except ValueError:
        return value
    return value


def _row_record(row: list[str], index: dict[str, int], mapping: Mapping, default_system: str):
    record: dict = {
        "type": mapping.record_type,
        "version": mapping.version,
    }
    system = mapping.source_system or default_system
    if system:
        record["source_system"] = system
    for name, column in mapping.columns.items():
        i = index[column]
        cell = row[i].strip() if i < len(row) else ""
        if cell:
            record[name] = _convert(cell, mapping.properties.get(name, {}), mapping)
    return record


def _non_utf8(text: str) -> Reason | None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        bad = ord(text[error.start]) - 0xDC00
        offset = len(text[: error.start].encode("utf-8", errors="surrogateescape"))
        return Reason("", f"not UTF-8 text (byte 0x{bad:02x} at position {offset + 1})")
    return None


def csv_lines(
    stream: BinaryIO,
    mapping: Mapping,
    *,
    name: str,
    default_system: str = "",
    on_bytes: Callable[[int], None] = lambda n: None,
) -> Iterator[Line]:
    consumed: list[str] = []

    def physical() -> Iterator[str]:
        for raw in stream:
            on_bytes(len(raw))
            # surrogateescape keeps a bad byte as a marker: one bad row is rejected, not the file.
            text = raw.decode("utf-8", errors="surrogateescape")
            consumed.append(text)
            yield text

    reader = csv.reader(physical())
    try:
        header = next(reader)
    except StopIteration:
        raise MappingError(f"{name} is empty: it has no header row") from None
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    index = {column.strip(): i for i, column in enumerate(header)}
    missing = [c for c in mapping.columns.values() if c not in index]
    if missing:
        raise MappingError(
            f"the mapping names column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(c) for c in missing)}, not in {name} "
            f"(its columns: {', '.join(repr(c) for c in index)})"
        )
    consumed.clear()
    start = reader.line_num + 1
    for row in reader:
        raw_text = "".join(consumed).rstrip("\r\n")
        consumed.clear()
        number, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        problem = _non_utf8(raw_text)
        if problem:
            raw_bytes = raw_text.encode("utf-8", errors="surrogateescape")
            yield Line(
                number=number,
                raw=raw_bytes.decode("utf-8", errors="replace"),
                raw_bytes=raw_bytes,
                reasons=[problem],
                not_utf8=True,
            )
            continue
        yield Line(
            number=number,
            raw=raw_text,
            raw_bytes=raw_text.encode("utf-8"),
            record=_row_record(row, index, mapping, default_system),
        )

"""Is this a record we can write? The envelope, then the shape (JSON Schema), then the meaning.

Every problem found is reported, each with the field at fault, so one trip through the quarantine
is enough to fix a record.
"""

import datetime as dt
import re
from functools import cache

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker

from thinkchild.interchange.records import Reason
from thinkchild.interchange.registry import RecordType, record_type_get

_formats = FormatChecker(formats=())
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@_formats.checks("date", raises=ValueError)
def _is_date(value) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.fullmatch(value):
        raise ValueError("not YYYY-MM-DD")
    dt.date.fromisoformat(value)
    return True


@_formats.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("no offset")
    return True


@cache
def _validator(name: str, version: int) -> Draft202012Validator:
    record_type = record_type_get(name)
    return Draft202012Validator(record_type.schema, format_checker=_formats)


def _format_test(name: str):
    def test(value: str) -> bool:
        return _formats.conforms(value, name)

    return test


@cache
def _fast_check(name: str, version: int):
    """A yes/no answer for the common case, a valid record: jsonschema-rs (Rust) in about 3 µs
    an incident, where jsonschema takes about 160 µs. Only the records it refuses go through
    jsonschema, which names every problem; the same date formats decide in both. It may be
    stricter than jsonschema (its patterns follow ECMA-262: `$` is the end of the text, `\\w`
    is ASCII), never looser (tests/interchange/test_schemas.py)."""
    validator = jsonschema_rs.validator_for(
        record_type_get(name).schema,
        formats={"date": _format_test("date"), "date-time": _format_test("date-time")},
        validate_formats=True,
        # A format we give no test for fails here, at start-up, not silently per record.
        ignore_unknown_formats=False,
        offline=True,
    )

    def check(record) -> bool:
        try:
            return validator.is_valid(record)
        except ValueError:
            # Text Rust cannot hold (a lone surrogate): jsonschema decides, as for any refused.
            return False

    return check


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
}


def _field(error) -> str:
    return ".".join(str(p) for p in error.absolute_path)


def _schema_reason(error, type_name: str) -> Reason:
    where = _field(error)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return Reason(f"{where}.{missing}" if where else missing, "is required")
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        names = ", ".join(extra)
        return Reason(where or names, f"{names}: not a field of {type_name} records")
    if error.validator == "enum":
        options = ", ".join(str(o) for o in error.validator_value)
        return Reason(where, f"{error.instance!r} is not one of {options}")
    if error.validator == "format":
        wanted = {"date": "a date (YYYY-MM-DD)", "date-time": "a date and time with an offset"}
        return Reason(where, f"{error.instance!r} is not {wanted.get(error.validator_value)}")
    if error.validator == "type":
        kinds = (
            error.validator_value
            if isinstance(error.validator_value, list)
            else [error.validator_value]
        )
        wanted = " or ".join(_TYPE_WORDS[k] for k in kinds if k != "null")
        return Reason(where, f"{error.instance!r} is not {wanted}")
    if error.validator == "anyOf" and "x-refers-to" in error.schema:
        return Reason(
            where,
            f"{error.instance!r} is not a reference: give a source_id, or an object "
            '{"source_system": ..., "source_id": ...}',
        )
    return Reason(where, error.message)


def envelope_check(
    record: dict, *, default_system: str = ""
) -> tuple[RecordType | None, list[Reason]]:
    """The four fields every record carries. Fills in a missing source_system when given one."""
    reasons: list[Reason] = []
    name = record.get("type")
    record_type = record_type_get(name) if isinstance(name, str) else None
    if name in (None, ""):
        reasons.append(Reason("type", "type is missing"))
    elif record_type is None:
        reasons.append(Reason("type", f"unknown record type {name!r}"))
    version = record.get("version")
    if version is None:
        reasons.append(Reason("version", "version is missing"))
    elif record_type and version != record_type.version:
        reasons.append(
            Reason(
                "version",
                f"unsupported version {version!r} of {record_type.name} records "
                f"(this installation reads version {record_type.version})",
            )
        )
    if record.get("source_system") in (None, "") and default_system:
        record["source_system"] = default_system
    for key in ("source_system", "source_id"):
        if record.get(key) in (None, ""):
            reasons.append(Reason(key, f"{key} is missing"))
    return (record_type if not reasons else None), reasons


def record_check(record_type: RecordType, record: dict) -> list[Reason]:
    """The shape (JSON Schema, Draft 2020-12), then the type's own checks of meaning."""
    if _fast_check(record_type.name, record_type.version)(record):
        return list(record_type.check(record))
    validator = _validator(record_type.name, record_type.version)
    reasons = [
        _schema_reason(error, record_type.name)
        for error in sorted(validator.iter_errors(record), key=lambda e: list(e.absolute_path))
    ]
    if reasons:
        return reasons
    return list(record_type.check(record))

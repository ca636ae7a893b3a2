"""A fast yes/no check of a record against its JSON Schema, for the common case: a valid record.

jsonschema takes about 160 µs a record, which alone would cap an import below the 10,000 records a
second the issue asks for. This compiles the small subset of JSON Schema our schemas use into
closures (a few µs). It may be stricter than jsonschema, never looser: when it says no, the record
goes through jsonschema, which names every problem (validation.record_check). A schema keyword
outside the subset fails at compile time, so a schema cannot silently outgrow it.
"""

import re
from collections.abc import Callable

Check = Callable[[object], bool]

_IGNORED = {"description", "title", "$schema", "$id", "$defs", "x-refers-to"}
_TYPES: dict[str, Callable[[object], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


def shape_compile(schema: dict, formats: dict[str, Callable[[str], bool]], root=None) -> Check:
    root = root or schema
    checks: list[Check] = []
    for keyword, value in schema.items():
        if keyword in _IGNORED:
            continue
        checks.append(_keyword(keyword, value, schema, formats, root))
    checks = [c for c in checks if c is not None]

    def check(v) -> bool:
        # A plain loop rather than all(): it runs for every field of every record.
        for c in checks:  # noqa: SIM110
            if not c(v):
                return False
        return True

    return check


def _keyword(keyword, value, schema, formats, root) -> Check | None:  # noqa: C901 (a table)
    if keyword == "type":
        kinds = [_TYPES[k] for k in (value if isinstance(value, list) else [value])]
        return lambda v: any(k(v) for k in kinds)
    if keyword == "const":
        return lambda v: v == value and type(v) is type(value)
    if keyword == "enum":
        allowed = {(type(o), o) for o in value}
        return lambda v: (type(v), v) in allowed
    if keyword == "pattern":
        search = re.compile(value).search
        return lambda v: not isinstance(v, str) or search(v) is not None
    if keyword == "minLength":
        return lambda v: not isinstance(v, str) or len(v) >= value
    if keyword == "maxLength":
        return lambda v: not isinstance(v, str) or len(v) <= value
    if keyword == "minimum":
        return lambda v: not _TYPES["number"](v) or v >= value
    if keyword == "maximum":
        return lambda v: not _TYPES["number"](v) or v <= value
    if keyword == "format":
        test = formats[value]
        return lambda v: not isinstance(v, str) or test(v)
    if keyword == "required":
        return lambda v: not isinstance(v, dict) or all(k in v for k in value)
    if keyword == "properties":
        props = {k: shape_compile(s, formats, root) for k, s in value.items()}

        def properties(v) -> bool:
            if not isinstance(v, dict):
                return True
            for k, item in v.items():
                check = props.get(k)
                if check is not None and not check(item):
                    return False
            return True

        return properties
    if keyword == "additionalProperties":
        if value is not False:
            raise ValueError("only additionalProperties: false is supported")
        known = set(schema.get("properties", {}))
        return lambda v: not isinstance(v, dict) or known.issuperset(v)
    if keyword == "items":
        item_check = shape_compile(value, formats, root)
        return lambda v: not isinstance(v, list) or all(item_check(i) for i in v)
    if keyword == "anyOf":
        options = [shape_compile(s, formats, root) for s in value]
        return lambda v: any(o(v) for o in options)
    if keyword == "$ref":
        if not value.startswith("#/$defs/"):
            raise ValueError(f"only local $defs references are supported, not {value}")
        return shape_compile(root["$defs"][value.removeprefix("#/$defs/")], formats, root)
    raise ValueError(f"JSON Schema keyword {keyword!r} is not supported by the fast check")

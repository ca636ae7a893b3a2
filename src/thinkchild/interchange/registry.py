"""The record types of the canonical format. Each app registers its own in `<app>/interchange.py`.

InterchangeConfig.ready() imports every installed app's `interchange` module, so an app adds a
record type by writing that module and nothing else.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"


@dataclass(frozen=True)
class Reference:
    """A field that points at another record: `path` is "area" or "participants[].person"."""

    path: str
    record_type: str


@dataclass(frozen=True)
class RecordType:
    name: str
    version: int
    # upsert_batch(items, ctx) -> list[Outcome]: writes the accepted records of one batch.
    upsert_batch: Callable
    # export_rows(ctx) -> iterable of (object_id, record dict without the four envelope fields).
    export_rows: Callable
    # check(record) -> list[Reason]: semantic checks that need no database (dates, postcodes).
    check: Callable[[dict], list] = field(default=lambda record: [])
    # Every record but the force itself belongs to the installation's force.
    needs_force: bool = True
    # PostgreSQL: how the type writes a batch's new records with SQL (interchange.staging
    # .StagedWriter, docs/decisions/0012); None to write them all with upsert_batch.
    staged: object | None = None
    # finish() -> None: after an import (its files, an API call, a retry), work out what follows
    # from the records of this type written together (missing.services.settle); None when
    # nothing does.
    finish: Callable[[], object] | None = None

    @property
    def schema(self) -> dict:
        return schema_load(self.name, self.version)

    @property
    def references(self) -> tuple[Reference, ...]:
        return schema_references(self.name, self.version)

    @property
    def depends_on(self) -> frozenset[str]:
        return frozenset(r.record_type for r in self.references if r.record_type != self.name)


_types: dict[str, RecordType] = {}


def register_record_type(record_type: RecordType) -> RecordType:
    _types[record_type.name] = record_type
    return record_type


def record_type_get(name: str) -> RecordType | None:
    return _types.get(name)


def record_types() -> dict[str, RecordType]:
    return dict(_types)


def record_types_finish() -> None:
    """Run each record type's finish(), once, in dependency order (after an import)."""
    for name in record_type_names_in_order():
        if _types[name].finish is not None:
            _types[name].finish()


def record_types_referenced() -> frozenset[str]:
    """The types some registered type refers to: the only keys worth remembering once written."""
    return frozenset(r.record_type for t in _types.values() for r in t.references)


def record_type_names_in_order(names: Iterable[str] | None = None) -> list[str]:
    """Type names with every type after the types it refers to (a stable topological order)."""
    wanted = set(_types if names is None else names)
    ordered: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen or name not in _types:
            return
        seen.add(name)
        for dep in sorted(_types[name].depends_on):
            visit(dep)
        ordered.append(name)

    for name in sorted(_types):
        visit(name)
    return [n for n in ordered if n in wanted]


@cache
def schema_load(name: str, version: int) -> dict:
    """The JSON Schema of one record type and version, from interchange/schemas/."""
    return json.loads((SCHEMA_DIR / f"{name}.v{version}.json").read_text(encoding="utf-8"))


@cache
def schema_references(name: str, version: int) -> tuple[Reference, ...]:
    """The fields marked "x-refers-to" in the schema: the schema is the one place they are named."""
    found = []
    for field_name, prop in schema_load(name, version).get("properties", {}).items():
        if "x-refers-to" in prop:
            found.append(Reference(field_name, prop["x-refers-to"]))
        for sub, item_prop in prop.get("items", {}).get("properties", {}).items():
            if "x-refers-to" in item_prop:
                found.append(Reference(f"{field_name}[].{sub}", item_prop["x-refers-to"]))
    return tuple(found)


def schema_files() -> Iterator[Path]:
    return iter(sorted(SCHEMA_DIR.glob("*.json")))

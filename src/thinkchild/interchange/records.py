"""What an import passes around: a line as read, a record ready to write, what came of it."""

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple
from uuid import UUID

import orjson

if TYPE_CHECKING:
    from thinkchild.access.log import Subject
    from thinkchild.interchange.models import QuarantinedRecord
    from thinkchild.interchange.registry import RecordType


class Reason(NamedTuple):
    """Why a record was not imported: the field at fault ("" for the whole line) and a sentence."""

    field: str
    message: str

    def as_dict(self) -> dict:
        return {"field": self.field, "message": self.message}


class Key(NamedTuple):
    record_type: str
    source_system: str
    source_id: str

    def __str__(self) -> str:
        return f"{self.record_type} {self.source_system}/{self.source_id}"


@dataclass
class Line:
    """One line (or CSV row) as read. `record` is None when it could not be parsed."""

    number: int
    raw: str
    raw_bytes: bytes = b""
    record: dict | None = None
    reasons: list[Reason] = field(default_factory=list)
    # Set when the line comes back out of the quarantine (a held retry or an edit).
    entry: "QuarantinedRecord | None" = None
    # True when the bytes were not UTF-8: the quarantine keeps them in hex as well.
    not_utf8: bool = False

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.raw_bytes or self.raw.encode("utf-8")).hexdigest()


class RawLine(NamedTuple):
    """A line of a JSON Lines file as read, parsed only when its batch is written (in an import
    worker, when there are workers: sending bytes costs less than sending a parsed record)."""

    number: int
    raw_bytes: bytes
    # False for a last line with no newline, which is how a truncated file ends.
    complete: bool = True


class Resolved(NamedTuple):
    object_id: UUID
    first_seen_run_id: UUID | None


@dataclass
class Item:
    """A record that passed the shape and semantic checks, on its way to the database."""

    line: Line
    type: "RecordType"
    record: dict
    key: Key
    digest: str
    existing_id: UUID | None = None
    refs: dict[Key, Resolved] = field(default_factory=dict)
    # (field path, key) of each reference, worked out once (batch.Batch._ref_keys).
    ref_keys: list[tuple[str, Key]] | None = None

    def ref_key(self, value: Any, record_type: str) -> Key:
        return ref_key(value, record_type, self.key.source_system)

    def ref_id(self, name: str, record_type: str) -> UUID | None:
        """The Think Child id of the record that field `name` refers to (None when absent)."""
        value = self.record.get(name)
        if value in (None, ""):
            return None
        return self.refs[self.ref_key(value, record_type)].object_id


@dataclass
class Outcome:
    item: Item
    object_id: UUID | None = None
    created: bool = False
    reasons: list[Reason] = field(default_factory=list)
    # Whom the processing-log entry is about (a person, an incident); empty for non-personal data.
    subjects: list["Subject"] = field(default_factory=list)


def ref_key(value: Any, record_type: str, default_system: str) -> Key:
    """A reference is {"source_system", "source_id"}, or a plain id in the referrer's system."""
    if isinstance(value, dict):
        return Key(
            record_type, str(value.get("source_system", default_system)), str(value["source_id"])
        )
    return Key(record_type, default_system, str(value))


def canonical_json(record: dict) -> bytes:
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


def record_digest(record: dict) -> str:
    return hashlib.sha256(canonical_json(record)).hexdigest()

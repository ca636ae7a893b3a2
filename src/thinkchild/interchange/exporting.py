"""Writing the canonical format: every record type in dependency order, so the file imports
into an empty installation in one pass. Each exported person, incident and user is logged as a
DISCLOSURE to the named recipient (s.62(3))."""

from collections.abc import Iterable
from typing import BinaryIO
from uuid import UUID

import orjson

from thinkchild.access.log import Subject, processing_log_record_many
from thinkchild.access.models import Operation
from thinkchild.interchange.models import SourceRecord
from thinkchild.interchange.registry import record_type_get, record_type_names_in_order

# Records exported without a source key are Think Child's own.
OWN_SYSTEM = "thinkchild"
# The types whose export discloses personal data, and the kind of subject the log names.
DISCLOSED = {"person": "person", "incident": "incident", "user": "user"}
_LOG_CHUNK = 2000


class ExportContext:
    """Turns Think Child ids back into source keys, loading each type's key map once."""

    def __init__(self):
        self._keys: dict[str, dict[UUID, tuple[str, str]]] = {}

    def key(self, record_type: str, object_id: UUID) -> tuple[str, str]:
        if record_type not in self._keys:
            self._keys[record_type] = {
                object_id: (system, source_id)
                for object_id, system, source_id in SourceRecord.objects.filter(
                    record_type=record_type
                ).values_list("object_id", "source_system", "source_id")
            }
        return self._keys[record_type].get(object_id) or (OWN_SYSTEM, str(object_id))

    def ref(self, record_type: str, object_id: UUID | None) -> dict | None:
        if object_id is None:
            return None
        system, source_id = self.key(record_type, object_id)
        return {"source_system": system, "source_id": source_id}


def _log(subjects: list[Subject], *, actor, recipient: str, justification: str) -> None:
    processing_log_record_many(
        operation=Operation.DISCLOSURE,
        actor=actor,
        subjects=subjects,
        justification=justification,
        recipient=recipient,
    )
    subjects.clear()


def export_records(
    *,
    out: BinaryIO,
    actor=None,
    recipient: str,
    justification: str = "",
    types: Iterable[str] | None = None,
) -> dict[str, int]:
    """Write the records of `types` (all by default) to `out`; returns how many of each."""
    if not recipient.strip():
        raise ValueError("An export is a disclosure: name its recipient.")
    justification = justification.strip() or f"Export in the canonical format to {recipient}"
    ctx = ExportContext()
    counts: dict[str, int] = {}
    subjects: list[Subject] = []
    for name in record_type_names_in_order(types):
        record_type = record_type_get(name)
        counts[name] = 0
        for object_id, fields in record_type.export_rows(ctx):
            system, source_id = ctx.key(name, object_id)
            record = {
                "type": name,
                "version": record_type.version,
                "source_system": system,
                "source_id": source_id,
            }
            record.update((k, v) for k, v in fields.items() if v is not None)
            out.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
            counts[name] += 1
            if name in DISCLOSED:
                subjects.append(Subject(type=DISCLOSED[name], id=object_id))
                if len(subjects) >= _LOG_CHUNK:
                    _log(subjects, actor=actor, recipient=recipient, justification=justification)
    if subjects:
        _log(subjects, actor=actor, recipient=recipient, justification=justification)
    return counts

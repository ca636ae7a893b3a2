"""Canonical records written one line at a time, so a million incidents never sit in memory."""

from pathlib import Path

import orjson

SOURCE_SYSTEM = "demo"
FORMAT_VERSION = 1


class RecordWriter:
    """One JSON Lines file. Keys keep insertion order, so the bytes depend on the seed only."""

    def __init__(self, path: Path):
        self.path = path
        self.count = 0
        self._file = path.open("wb", buffering=1 << 20)

    def write(self, record_type: str, source_id: str, fields: dict) -> None:
        record = {
            "type": record_type,
            "version": FORMAT_VERSION,
            "source_system": SOURCE_SYSTEM,
            "source_id": source_id,
        }
        record.update(fields)
        self._file.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
        self.count += 1

    def close(self) -> None:
        self._file.close()

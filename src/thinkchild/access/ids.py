"""Record ids: UUID version 7 (RFC 9562), which start with the time they were made.

A random (version 4) id puts every new row at a random place in every index that holds it, so once
the indexes outgrow memory each insert reads and rewrites a different page: a 3-million-row load
ran at a third of the speed of the same load with time-ordered ids, and fell further as the tables
grew (docs/decisions/0008). New version 7 ids go to the end of the index instead. They still cannot
be guessed, and they reveal only when a record was made, which its own page shows anyway.
"""

from uuid import UUID

from uuid_utils.compat import uuid7


def record_id() -> UUID:
    """A new record id (a standard library UUID, as Django's UUIDField expects)."""
    return uuid7()

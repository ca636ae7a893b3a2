"""Every write to people's records. Each runs in a transaction and logs itself (DPA 2018 s.62).

A new fact about a person (the person, an alias, a pregnancy, an address, a relationship, a school
enrolment) is a COLLECTION; a change to what we hold is an ALTERATION; a lawful erasure is an
ERASURE. The log entry is written in the same transaction as the change, so neither exists alone.
"""

from thinkchild.people.services.erasure import ErasureRefused, person_erase
from thinkchild.people.services.recording import (
    EARLIEST_BIRTH,
    MAX_ESTIMATED_AGE,
    enrolment_create,
    location_create,
    person_add_alias,
    person_create,
    person_move_address,
    person_record_pregnancy,
    person_subject,
    person_update,
    relationship_create,
)

__all__ = [
    "EARLIEST_BIRTH",
    "MAX_ESTIMATED_AGE",
    "ErasureRefused",
    "enrolment_create",
    "location_create",
    "person_add_alias",
    "person_create",
    "person_erase",
    "person_move_address",
    "person_record_pregnancy",
    "person_subject",
    "person_update",
    "relationship_create",
]

"""Each role's reach: the matrix in docs/security.md, as data.

`REACH[role]` says how far a role sees without asking, and whether it may open a record outside that
reach by giving a reason. docs/security.md is generated from this table (tests keep the two equal),
so the document and the code cannot drift apart.
"""

from dataclasses import dataclass
from enum import StrEnum

from thinkchild.org.models import Role


class Scope(StrEnum):
    NONE = "none"  # never sees personal records
    LOCAL = "local"  # own area, own team, and what is allocated to them
    FORCE = "force"  # every record in the force


class Action(StrEnum):
    SEARCH = "search"
    VIEW = "view"
    RECORD = "record"  # create and alter
    EXPORT = "export"
    IMPORT = "import"
    VIEW_PROCESSING_LOG = "view_processing_log"
    VIEW_AGGREGATES = "view_aggregates"
    MANAGE_USERS = "manage_users"


class RecordKind(StrEnum):
    PERSON = "person"
    INCIDENT = "incident"
    INVESTIGATION = "investigation"
    MISSING_EPISODE = "missing_episode"
    PROCESSING_LOG = "processing_log"
    QUARANTINE = "quarantine"
    AGGREGATES = "aggregates"
    USERS = "users"


@dataclass(frozen=True)
class Reach:
    scope: Scope
    # May open a record outside scope after giving a reason (logged with that reason).
    beyond_scope_with_reason: bool
    actions: frozenset[tuple[RecordKind, Action]]


_READ_WRITE = {
    (RecordKind.PERSON, Action.SEARCH),
    (RecordKind.PERSON, Action.VIEW),
    (RecordKind.PERSON, Action.RECORD),
    (RecordKind.INCIDENT, Action.SEARCH),
    (RecordKind.INCIDENT, Action.VIEW),
    (RecordKind.INCIDENT, Action.RECORD),
    (RecordKind.INVESTIGATION, Action.SEARCH),
    (RecordKind.INVESTIGATION, Action.VIEW),
    (RecordKind.INVESTIGATION, Action.RECORD),
    (RecordKind.MISSING_EPISODE, Action.SEARCH),
    (RecordKind.MISSING_EPISODE, Action.VIEW),
    (RecordKind.MISSING_EPISODE, Action.RECORD),
}
_READ_ONLY = {
    (RecordKind.PERSON, Action.SEARCH),
    (RecordKind.PERSON, Action.VIEW),
    (RecordKind.INCIDENT, Action.SEARCH),
    (RecordKind.INCIDENT, Action.VIEW),
    (RecordKind.INVESTIGATION, Action.SEARCH),
    (RecordKind.INVESTIGATION, Action.VIEW),
    (RecordKind.MISSING_EPISODE, Action.SEARCH),
    (RecordKind.MISSING_EPISODE, Action.VIEW),
}
_AGGREGATES = {(RecordKind.AGGREGATES, Action.VIEW_AGGREGATES)}


def _reach(scope: Scope, beyond: bool, *groups: set) -> Reach:
    actions: set = set()
    for group in groups:
        actions |= group
    return Reach(scope=scope, beyond_scope_with_reason=beyond, actions=frozenset(actions))


REACH: dict[str, Reach] = {
    Role.OFFICER: _reach(Scope.LOCAL, True, _READ_WRITE),
    Role.CONTROL_ROOM: _reach(Scope.FORCE, False, _READ_WRITE),
    Role.SUPERVISOR: _reach(Scope.LOCAL, True, _READ_WRITE, _AGGREGATES),
    Role.SPECIALIST: _reach(Scope.LOCAL, True, _READ_WRITE),
    Role.MASH: _reach(Scope.FORCE, False, _READ_WRITE),
    Role.CUSTODY: _reach(Scope.LOCAL, True, _READ_WRITE),
    Role.DETECTIVE_INSPECTOR: _reach(Scope.LOCAL, True, _READ_WRITE, _AGGREGATES),
    Role.AUDITOR: _reach(Scope.LOCAL, True, _READ_ONLY, _AGGREGATES),
    Role.ANALYST: _reach(Scope.NONE, False, _AGGREGATES),
    Role.PPU_LEAD: _reach(
        Scope.FORCE,
        False,
        _READ_WRITE,
        _AGGREGATES,
        {
            (RecordKind.PROCESSING_LOG, Action.VIEW_PROCESSING_LOG),
            (RecordKind.PERSON, Action.EXPORT),
            (RecordKind.INCIDENT, Action.EXPORT),
            (RecordKind.QUARANTINE, Action.VIEW),
            (RecordKind.QUARANTINE, Action.RECORD),
        },
    ),
    # Manages the system, reads no child's record (issue #2).
    # Quarantined lines hold children's data as received, so the quarantine is the PPU lead's.
    Role.SYSTEM_ADMIN: _reach(
        Scope.NONE,
        False,
        {
            (RecordKind.USERS, Action.VIEW),
            (RecordKind.USERS, Action.MANAGE_USERS),
            (RecordKind.AGGREGATES, Action.VIEW_AGGREGATES),
        },
    ),
    # Source systems exchanging the canonical format through the API.
    Role.SYSTEM_ACCOUNT: _reach(
        Scope.FORCE,
        False,
        _READ_WRITE,
        {
            (RecordKind.PERSON, Action.IMPORT),
            (RecordKind.INCIDENT, Action.IMPORT),
            (RecordKind.PERSON, Action.EXPORT),
            (RecordKind.INCIDENT, Action.EXPORT),
        },
    ),
}


def reach_for(role: str) -> Reach:
    return REACH.get(role, _reach(Scope.NONE, False))


def role_can(role: str, kind: RecordKind, action: Action) -> bool:
    return (kind, action) in reach_for(role).actions

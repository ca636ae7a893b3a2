"""Which kind of team an investigation belongs with, and why, in words an officer can check.

The inspection found child sexual exploitation handled by response officers with no supervision
cadence at all (HMICFRS, Lancashire, 2022). The force's answer, encoded here: CSE between an adult
and a child goes to the specialist team for its setting; cases with child victims and child
suspects stay with response under their sergeant. The first rule that applies wins.
"""

from collections.abc import Callable
from dataclasses import dataclass

from thinkchild.investigations.models import InvestigationType
from thinkchild.org.models import TeamKind


@dataclass(frozen=True)
class Parties:
    """Who is involved, as the rules see them."""

    type: str
    child_victim: bool
    adult_suspect: bool
    child_suspect: bool


@dataclass(frozen=True)
class AllocationRule:
    team_kind: str
    explanation: str
    applies: Callable[[Parties], bool]


RULES: tuple[AllocationRule, ...] = (
    AllocationRule(
        TeamKind.CSE,
        "Child sexual exploitation of a child by an adult, in person, goes to the CSE team.",
        lambda p: p.type == InvestigationType.CSE_IN_PERSON and p.child_victim and p.adult_suspect,
    ),
    AllocationRule(
        TeamKind.ONLINE,
        "Online child sexual exploitation of a child by an adult goes to the online team.",
        lambda p: p.type == InvestigationType.CSE_ONLINE and p.child_victim and p.adult_suspect,
    ),
    AllocationRule(
        TeamKind.RESPONSE,
        "Child victims and child suspects only: the case stays with response, under their "
        "sergeant.",
        lambda p: p.child_victim and p.child_suspect and not p.adult_suspect,
    ),
    AllocationRule(
        TeamKind.CHILD_PROTECTION,
        "Abuse or neglect of a child by an adult goes to the child protection team.",
        lambda p: (
            p.type in (InvestigationType.CHILD_ABUSE, InvestigationType.NEGLECT) and p.child_victim
        ),
    ),
)
DEFAULT = AllocationRule(TeamKind.RESPONSE, "No specialist rule applies: response.", lambda p: True)


def allocation_advise(parties: Parties) -> AllocationRule:
    """The rule that decides where this investigation belongs (the first that applies)."""
    return next((rule for rule in RULES if rule.applies(parties)), DEFAULT)

"""Which kind of team an investigation belongs with, and why, in words an officer can check.

The inspection found child sexual exploitation handled by response officers with no supervision
cadence at all (HMICFRS, Lancashire, 2022). The defaults encode the issue's rules: CSE between an
adult and a child goes to the specialist team for its setting; cases with child victims and child
suspects stay with response under their sergeant. Which kind of team each rule sends cases to is
force policy (a parameter the PPU lead changes from a date); the first rule that applies wins.
"""

from collections.abc import Callable
from dataclasses import dataclass

from thinkchild.investigations.models import InvestigationType
from thinkchild.org.models import TeamKind
from thinkchild.standards.registry import Parameter


@dataclass(frozen=True)
class Parties:
    """Who is involved, as the rules see them."""

    type: str
    child_victim: bool
    adult_suspect: bool
    child_suspect: bool


@dataclass(frozen=True)
class AllocationRule:
    parameter: Parameter  # the kind of team it sends cases to
    situation: str  # "Child sexual exploitation of a child by an adult, in person"
    applies: Callable[[Parties], bool]


def _rule(key: str, situation: str, default: str, applies) -> AllocationRule:
    parameter = Parameter(
        key=f"investigations.allocation.{key}",
        title=f"Allocation: {situation[0].lower()}{situation[1:]} goes to",
        default=default,
        choices=tuple(TeamKind.choices),
    )
    return AllocationRule(parameter, situation, applies)


RULES: tuple[AllocationRule, ...] = (
    _rule(
        "cse_in_person",
        "Child sexual exploitation of a child by an adult, in person",
        TeamKind.CSE,
        lambda p: p.type == InvestigationType.CSE_IN_PERSON and p.child_victim and p.adult_suspect,
    ),
    _rule(
        "cse_online",
        "Online child sexual exploitation of a child by an adult",
        TeamKind.ONLINE,
        lambda p: p.type == InvestigationType.CSE_ONLINE and p.child_victim and p.adult_suspect,
    ),
    _rule(
        "child_on_child",
        "A case with child victims and child suspects only",
        TeamKind.RESPONSE,
        lambda p: p.child_victim and p.child_suspect and not p.adult_suspect,
    ),
    _rule(
        "abuse_by_adult",
        "Abuse or neglect of a child by an adult",
        TeamKind.CHILD_PROTECTION,
        lambda p: (
            p.type in (InvestigationType.CHILD_ABUSE, InvestigationType.NEGLECT) and p.child_victim
        ),
    ),
)
DEFAULT = _rule("otherwise", "Any other investigation", TeamKind.RESPONSE, lambda p: True)
# Where each rule sends cases is force policy: registered with the engine in AppConfig.ready().
PARAMETERS = tuple(rule.parameter for rule in (*RULES, DEFAULT))


@dataclass(frozen=True)
class Advice:
    team_kind: str
    explanation: str


def allocation_advise(parties: Parties, policy) -> Advice:
    """Where this investigation belongs and why (policy(key) gives the force's current choice)."""
    rule = next((rule for rule in RULES if rule.applies(parties)), DEFAULT)
    kind = policy(rule.parameter.key)
    label = TeamKind(kind).label.lower()
    return Advice(kind, f"{rule.situation} goes to the {label} team (force policy).")

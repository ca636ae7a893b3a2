"""The standards registry: every expectation of the force, as a named object its app registers.

A standard reads like the rule it encodes (style.md §3): a stable id, a title, a docstring that
quotes its source, the force policy parameters it reads, and `expectations()`, which says what
obligations a subject should have right now. The engine (standards.services) compares that with
what is stored and opens, moves, meets or cancels obligations to match, so refreshing twice
changes nothing.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID


@dataclass(frozen=True)
class Parameter:
    """A force policy parameter: a default in code, changed by the PPU lead from a date."""

    key: str  # "investigations.review_cadence_days"
    title: str
    default: Any
    unit: str = ""  # "days", "hours", "working days"
    minimum: float | None = None
    maximum: float | None = None
    # For a parameter with one value per option (a cadence per team kind): the options' labels.
    options: tuple[tuple[str, str], ...] = ()
    # For a parameter whose value is one of a list (the kind of team a rule sends cases to).
    choices: tuple[tuple[str, str], ...] = ()

    def label_of(self, value) -> str:
        return dict(self.choices).get(value, str(value))

    def problems(self, value) -> list[str]:
        """Why `value` cannot be this parameter's value (empty when it can)."""
        if self.choices:
            if value in dict(self.choices):
                return []
            return [f"choose one of: {', '.join(label for _, label in self.choices)}"]
        if self.options:
            if not isinstance(value, dict):
                return ["give a value for each option"]
            missing = [label for key, label in self.options if key not in value]
            if missing:
                return [f"give a value for {', '.join(missing)}"]
            found = []
            for key, label in self.options:
                found += [f"{label}: {p}" for p in self._number_problems(value[key])]
            return found
        return self._number_problems(value)

    def _number_problems(self, value) -> list[str]:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return ["must be a number"]
        if self.minimum is not None and value < self.minimum:
            return [f"must be at least {self.minimum:g} {self.unit}".rstrip()]
        if self.maximum is not None and value > self.maximum:
            return [f"must be at most {self.maximum:g} {self.unit}".rstrip()]
        return []


@dataclass(frozen=True)
class Expectation:
    """One obligation a subject should have, as a standard works it out."""

    key: str  # tells apart a standard's obligations on one subject ("review-3", "action-<id>")
    title: str
    opened_at: datetime
    due_at: datetime
    met_at: datetime | None = None
    owner_team_id: UUID | None = None
    owner_id: UUID | None = None
    child_ids: tuple[UUID, ...] = ()
    cancelled_reason: str = ""  # not applicable, and why


# Reads a policy parameter as it stood at a moment: policy(key, at) -> value.
PolicyReader = Callable[[str, datetime], Any]


class Standard(ABC):
    """Subclass, set the class attributes, write the docstring (the source, quoted) and
    `expectations()`; register it with `register_standard` in the owning app's ready()."""

    id: ClassVar[str]
    title: ClassVar[str]
    source: ClassVar[str]  # statute, guidance or force policy, with the reference
    subject_type: ClassVar[str]  # "investigation"
    parameters: ClassVar[tuple[Parameter, ...]] = ()

    @abstractmethod
    def expectations(self, subject, policy: PolicyReader) -> Iterable[Expectation]:
        """Every obligation `subject` should have now (see services.obligations_refresh)."""


@dataclass(frozen=True)
class SubjectType:
    """What obligations can be about: how to load one, name it, and list them all."""

    name: str  # "investigation"
    label: str
    load: Callable[[UUID], Any]  # the subject, or None when it no longer exists
    all_ids: Callable[[], Iterator[UUID]]
    describe: Callable[[Any], str] = str
    # The subject's page, from its id alone: a queue of 50 rows must not load 50 subjects.
    url: Callable[[UUID], str] = field(default=lambda subject_id: "")


_standards: dict[str, Standard] = {}
_subject_types: dict[str, SubjectType] = {}
_parameters: dict[str, Parameter] = {}


def register_subject_type(subject_type: SubjectType) -> None:
    _subject_types[subject_type.name] = subject_type


def register_standard(standard: Standard) -> None:
    if not (standard.__doc__ or "").strip():
        raise ValueError(f"{standard.id}: a standard quotes its source in its docstring.")
    if standard.id in _standards and type(_standards[standard.id]) is not type(standard):
        raise ValueError(f"{standard.id} is registered twice.")
    _standards[standard.id] = standard
    for parameter in standard.parameters:
        _parameters[parameter.key] = parameter


def register_parameter(parameter: Parameter) -> None:
    """A parameter the engine itself reads (escalation times), not tied to one standard."""
    _parameters[parameter.key] = parameter


def standards() -> dict[str, Standard]:
    return dict(sorted(_standards.items()))


def standards_for(subject_type: str) -> list[Standard]:
    return [s for s in standards().values() if s.subject_type == subject_type]


def subject_types() -> dict[str, SubjectType]:
    return dict(_subject_types)


def parameters() -> dict[str, Parameter]:
    return dict(sorted(_parameters.items()))


def parameter_get(key: str) -> Parameter:
    try:
        return _parameters[key]
    except KeyError:
        raise KeyError(f"no policy parameter {key!r}") from None

"""Listeners for changes to what makes a person a child (date of birth, estimated age, "appears
under 18", a pregnancy). The incidents app registers one that refreshes the child marker of the
person's incidents, so people never imports the apps above it (architecture §5).
"""

from collections.abc import Callable, Iterable
from uuid import UUID

# Fields whose change can change a child marker.
CHILD_MARKER_FIELDS = frozenset(
    {"date_of_birth", "estimated_age", "estimated_age_on", "appears_under_18"}
)

PersonChangeListener = Callable[..., object]
_listeners: dict[str, PersonChangeListener] = {}


def register_person_change_listener(name: str, listener: PersonChangeListener) -> None:
    """`listener(person_ids=[...])` runs inside the transaction of the change."""
    _listeners[name] = listener


def person_changes_notify(*, person_ids: Iterable[UUID]) -> None:
    ids = list(person_ids)
    for listener in _listeners.values():
        listener(person_ids=ids)

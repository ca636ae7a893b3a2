"""The child marker (architecture §2.1): derived from the people in an incident, never typed.

An incident involves a child when any participant was under 18 at the incident's time, was judged
to appear under 18, or was pregnant then (an unborn child). HMICFRS found children "not recognised
at first contact"; the marker is how control room and supervisors see them.
"""

from datetime import date

from thinkchild.incidents.models import ChildMarkerReason
from thinkchild.people.age import age_on


def pregnant_on(pregnancies, day: date) -> bool:
    for p in pregnancies:
        ended = p.ended_on or p.due_date
        if p.known_from <= day and (ended is None or day <= ended):
            return True
    return False


def child_marker_reasons(persons, day: date) -> list[str]:
    """The reasons, in a stable order, for `persons` (with pregnancies prefetched) on `day`."""
    reasons: set[str] = set()
    for person in persons:
        age = age_on(person, day)
        if age is not None and 0 <= age < 18:
            reasons.add(ChildMarkerReason.UNDER_18)
        if person.appears_under_18:
            reasons.add(ChildMarkerReason.APPEARS_UNDER_18)
        if pregnant_on(person.pregnancies.all(), day):
            reasons.add(ChildMarkerReason.UNBORN_CHILD)
    return [r.value for r in ChildMarkerReason if r in reasons]

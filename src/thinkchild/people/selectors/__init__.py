"""Every read of people's records: scoped by access.scope and logged (DPA 2018 s.62).

Views, the API and other apps import from here; the modules hold one subject each.
"""

from thinkchild.people.selectors.common import annotate_person, visible_people_q
from thinkchild.people.selectors.household import Household, HouseholdMember, person_household
from thinkchild.people.selectors.person import (
    person_chronology_entries,
    person_get,
    person_record,
)
from thinkchild.people.selectors.search import PersonQuery, PersonSearchPage, person_search
from thinkchild.people.selectors.timeline import (
    Chronology,
    ChronologyItem,
    ChronologyKind,
    person_chronology,
)

__all__ = [
    "Chronology",
    "ChronologyItem",
    "ChronologyKind",
    "Household",
    "HouseholdMember",
    "PersonQuery",
    "PersonSearchPage",
    "annotate_person",
    "person_chronology",
    "person_chronology_entries",
    "person_get",
    "person_household",
    "person_record",
    "person_search",
    "visible_people_q",
]

"""A person's age on a given day, from the date of birth or, failing that, an estimated age."""

from datetime import date


def years_between(earlier: date, later: date) -> int:
    return later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))


def age_on(person, day: date) -> int | None:
    if person.date_of_birth:
        return years_between(person.date_of_birth, day)
    if person.estimated_age is not None and person.estimated_age_on:
        return person.estimated_age + years_between(person.estimated_age_on, day)
    return None

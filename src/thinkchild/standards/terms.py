"""School terms per local authority, as the calendars count school days."""

from thinkchild.standards.calendars import DEFAULT_TERM_CALENDAR, TermCalendar
from thinkchild.standards.models import SchoolClosure, SchoolTerm


def term_calendar_for(*, local_authority) -> TermCalendar:
    """The authority's own terms and closures, or the default calendar if it has given none."""
    if local_authority is None:
        return DEFAULT_TERM_CALENDAR
    terms = list(
        SchoolTerm.objects.filter(local_authority=local_authority).values_list(
            "first_day", "last_day"
        )
    )
    if not terms:
        return DEFAULT_TERM_CALENDAR
    closures = SchoolClosure.objects.filter(local_authority=local_authority).values_list(
        "day", flat=True
    )
    return TermCalendar(name=local_authority.name, terms=terms, closures=frozenset(closures))

"""Due-time calendars for the standards engine: elapsed hours, working and school days, clock times.

Every rule is computed in Europe/London (architecture.md §7: store UTC, compute rules in London).
Inputs must be timezone-aware; every result is an aware datetime in Europe/London, which
Django stores as UTC whatever zone it is given. One Python quirk (PEP 495): in the repeated
hour after the clocks go back, `==` against a datetime in another zone is always False, though
`<` and `<=` are right; compare with `<=`, or convert both to UTC, never with `==`.

Sources: domain-rules.md §12.2 ("a working-day calendar that includes England and Wales bank
holidays, plus a school-term calendar that each force can configure"); bank holidays are those of
the Banking and Financial Dealings Act 1971, Schedule 1, as published by the `holidays` package.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
END_OF_DAY = time.max  # 23:59:59.999999: anything done on the due day counts as on time.
DayKind = Literal["school", "working", "calendar"]


class TermDatesMissingError(ValueError):
    """The term calendar has no school day left to count on; the local authority must add terms."""


@dataclass(frozen=True)
class TermCalendar:
    """A local authority's school terms: inclusive (first_day, last_day) ranges, plus closure days.

    A school day is a Monday-to-Friday inside a term that is neither a bank holiday nor a closure
    day (INSET days, polling days, a snow closure). Lists are accepted and stored as a sorted tuple
    and a frozenset, so the calendar is hashable and lookups on it can be cached.
    """

    name: str
    terms: tuple[tuple[date, date], ...]
    closures: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        terms = tuple(sorted((first, last) for first, last in self.terms))
        for first, last in terms:
            if last < first:
                raise ValueError(f"{self.name}: a term cannot end ({last}) before it starts")
        for (_, previous_last), (next_first, _) in zip(terms, terms[1:], strict=False):
            if next_first <= previous_last:
                raise ValueError(f"{self.name}: terms overlap around {next_first}")
        object.__setattr__(self, "terms", terms)
        object.__setattr__(self, "closures", frozenset(self.closures))

    @property
    def last_day(self) -> date | None:
        return self.terms[-1][1] if self.terms else None


def _terms(*pairs: tuple[str, str]) -> tuple[tuple[date, date], ...]:
    return tuple((date.fromisoformat(first), date.fromisoformat(last)) for first, last in pairs)


# An APPROXIMATION of a typical English local authority's pattern (six terms: autumn, spring and
# summer, each split by a half term; Easter holidays around Easter). Real dates differ by authority
# and by school, and INSET days are school-specific, so there are no default closures: a local
# authority's own TermCalendar overrides this one.
DEFAULT_TERM_CALENDAR = TermCalendar(
    name="England, approximate default (2024/25 to 2027/28)",
    terms=_terms(
        ("2024-09-03", "2024-10-25"),
        ("2024-11-04", "2024-12-20"),
        ("2025-01-06", "2025-02-14"),
        ("2025-02-24", "2025-04-04"),
        ("2025-04-22", "2025-05-23"),
        ("2025-06-02", "2025-07-22"),
        ("2025-09-03", "2025-10-24"),
        ("2025-11-03", "2025-12-19"),
        ("2026-01-05", "2026-02-13"),
        ("2026-02-23", "2026-03-27"),
        ("2026-04-13", "2026-05-22"),
        ("2026-06-01", "2026-07-22"),
        ("2026-09-03", "2026-10-23"),
        ("2026-11-02", "2026-12-18"),
        ("2027-01-04", "2027-02-12"),
        ("2027-02-22", "2027-03-25"),
        ("2027-04-12", "2027-05-28"),
        ("2027-06-07", "2027-07-21"),
        ("2027-09-02", "2027-10-22"),
        ("2027-11-01", "2027-12-17"),
        ("2028-01-04", "2028-02-11"),
        ("2028-02-21", "2028-04-07"),
        ("2028-04-24", "2028-05-26"),
        ("2028-06-05", "2028-07-21"),
    ),  # fmt: skip
)


def _london(moment: datetime, *, name: str) -> datetime:
    """Refuse naive datetimes: guessing their zone would move deadlines by an hour twice a year."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got the naive {moment.isoformat()}")
    return moment.astimezone(LONDON)


def _at(day: date, moment: time) -> datetime:
    # A wall time the clocks skip (01:30 on spring-forward day) resolves as zoneinfo does with
    # fold=0, then normalises through UTC; no standard uses a time between 01:00 and 02:00.
    return datetime.combine(day, moment, tzinfo=LONDON).astimezone(UTC).astimezone(LONDON)


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays of England and Wales in `year`, substitute days included.

    England and Wales share one list in the 1971 Act, and `holidays` gives identical ENG and WLS
    sets for every year we checked (2020 to 2030). We take the union, so a day the package ever
    gives to Wales alone is still no working day for a force whose partners include Welsh ones.
    """
    england = holidays.country_holidays("GB", subdiv="ENG", years=year)
    wales = holidays.country_holidays("GB", subdiv="WLS", years=year)
    return frozenset(england) | frozenset(wales)


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def is_school_day(day: date, calendar: TermCalendar = DEFAULT_TERM_CALENDAR) -> bool:
    """A working day inside one of the calendar's terms that is not one of its closure days."""
    if not is_working_day(day) or day in calendar.closures:
        return False
    return any(first <= day <= last for first, last in calendar.terms)


def _is_day(day: date, *, days: DayKind, calendar: TermCalendar) -> bool:
    if days == "school":
        return is_school_day(day, calendar)
    if days == "working":
        return is_working_day(day)
    return True


def _next_day(after: date, *, days: DayKind, calendar: TermCalendar) -> date:
    day = after + timedelta(days=1)
    while not _is_day(day, days=days, calendar=calendar):
        if days == "school" and (calendar.last_day is None or day > calendar.last_day):
            raise TermDatesMissingError(
                f"{calendar.name} has no school day after {after}; add the next terms"
            )
        day += timedelta(days=1)
    return day


def next_working_day(after: date) -> date:
    """The first working day strictly after `after`."""
    return _next_day(after, days="working", calendar=DEFAULT_TERM_CALENDAR)


def next_school_day(after: date, calendar: TermCalendar = DEFAULT_TERM_CALENDAR) -> date:
    """The first school day strictly after `after`; raises TermDatesMissingError past the terms."""
    return _next_day(after, days="school", calendar=calendar)


def due_after_hours(*, start: datetime, hours: float) -> datetime:
    """Due `hours` of real elapsed time after `start` (for example s.46(6) CA 1989: 72 hours).

    Elapsed means elapsed: 24 hours from 12:00 on the Saturday before the clocks go forward is
    13:00 BST on Sunday, and before they go back it is 11:00 GMT. The sum is done in UTC because
    Python adds a timedelta to an aware datetime in wall-clock time, which would be an hour out.
    """
    if hours <= 0:
        raise ValueError(f"hours must be more than 0, got {hours}")
    moment = _london(start, name="start")
    return (moment.astimezone(UTC) + timedelta(hours=hours)).astimezone(LONDON)


def due_after_days(*, start: datetime, days: int, end_of_day: time = END_OF_DAY) -> datetime:
    """Due at `end_of_day` on the calendar day `days` after the day of `start` (London time).

    "Within 7 days" and "every 28 days" are counted in days, not hours: a review due 28 days after
    one held at 16:00 may be held at any time that day, and a change of clocks moves nothing.
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    return _at(_london(start, name="start").date() + timedelta(days=days), end_of_day)


def start_of(day: date) -> datetime:
    """Midnight at the start of a London day: where a day's entries sit and its range begins."""
    return _at(day, time.min)


def end_of(day: date, end_of_day: time = END_OF_DAY) -> datetime:
    """The end of a London day: when something due "by" that date falls due."""
    return _at(day, end_of_day)


def due_after_working_days(
    *, start: datetime, days: int, end_of_day: time = END_OF_DAY
) -> datetime:
    """Due at `end_of_day` on the `days`-th working day after the day of `start` (London time).

    Rule: "within N working days" does not count the day the clock starts, whatever the hour or
    kind of day, so it never depends on the time of receipt. Within 1 working day of 16:00 on a
    Friday is the end of Monday, or of Tuesday if Monday is a bank holiday; of 08:00 on a Monday it
    is the end of Tuesday; of a Saturday it is the end of Monday. Used by Working Together
    ("within one working day of a referral"), DVDS (10 working days) and ICPC (15 working days).
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    day = _london(start, name="start").date()
    for _ in range(days):
        day = next_working_day(day)
    return _at(day, end_of_day)


def due_before_time_on_next(
    *,
    start: datetime,
    at: time = time(9, 0),
    days: DayKind = "school",
    calendar: TermCalendar | None = None,
) -> datetime:
    """Due at the first `at` on a qualifying day that is strictly later than `start`.

    Operation Encompass: the key adult is told "before the start of the next school day" (default
    09:00; domain-rules.md §12.2, s.49A DA 2021 and Home Office guidance of November 2025). So an
    incident at 02:00 on a school Tuesday is due 09:00 that Tuesday, one at 09:00 or 10:00 is due
    09:00 on Wednesday, and one on a Friday evening before half term is due 09:00 on the first day
    back. `days` picks the qualifying days: "school" (term days of `calendar`, default
    DEFAULT_TERM_CALENDAR), "working" or "calendar" (every day), for forces whose policy is to
    notify through weekends and holidays.
    """
    if calendar is not None and days != "school":
        raise ValueError(f'a term calendar only applies to days="school", not days="{days}"')
    terms = calendar or DEFAULT_TERM_CALENDAR
    moment = _london(start, name="start")
    today = moment.date()
    if _is_day(today, days=days, calendar=terms) and moment < _at(today, at):
        return _at(today, at)
    return _at(_next_day(today, days=days, calendar=terms), at)


def _count_days(start: datetime, end: datetime, *, days: DayKind, calendar: TermCalendar) -> int:
    first = _london(start, name="start").date()
    last = _london(end, name="end").date()
    if last < first:
        raise ValueError(f"end ({end.isoformat()}) is before start ({start.isoformat()})")
    span = (first + timedelta(days=n) for n in range(1, (last - first).days + 1))
    return sum(1 for day in span if _is_day(day, days=days, calendar=calendar))


def working_days_between(*, start: datetime, end: datetime) -> int:
    """Working days after the day of `start`, up to and including the day of `end` (London dates).

    Counts the way due_after_working_days does, so a record met on its due day is N working days
    after its start, and one met on the next working day is N + 1: how late, in working days.
    """
    return _count_days(start, end, days="working", calendar=DEFAULT_TERM_CALENDAR)


def school_days_between(
    *, start: datetime, end: datetime, calendar: TermCalendar = DEFAULT_TERM_CALENDAR
) -> int:
    """School days after the day of `start`, up to and including the day of `end` (London dates)."""
    return _count_days(start, end, days="school", calendar=calendar)

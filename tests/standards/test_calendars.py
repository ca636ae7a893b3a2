"""Due times across weekends, bank holidays, school holidays and the change of clocks.

Expected values are ISO strings with their UTC offset, so each assertion checks the London wall
time and the instant at once (GMT is +00:00, BST is +01:00).
"""

from datetime import UTC, date, datetime, time

import pytest

from thinkchild.standards.calendars import (
    DEFAULT_TERM_CALENDAR,
    LONDON,
    TermCalendar,
    TermDatesMissingError,
    bank_holidays,
    due_after_days,
    due_after_hours,
    due_after_working_days,
    due_before_time_on_next,
    end_of,
    is_school_day,
    is_working_day,
    next_school_day,
    school_days_between,
    working_days_between,
)


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


# Elapsed hours


def test_24_hours_before_the_clocks_go_forward_ends_at_13_00_bst():
    due = due_after_hours(start=london(2026, 3, 28, 12), hours=24)
    assert due.isoformat() == "2026-03-29T13:00:00+01:00"


def test_24_hours_before_the_clocks_go_back_ends_at_11_00_gmt():
    due = due_after_hours(start=london(2026, 10, 24, 12), hours=24)
    assert due.isoformat() == "2026-10-25T11:00:00+00:00"


def test_one_hour_across_the_skipped_hour_reads_02_30_bst():
    due = due_after_hours(start=london(2026, 3, 29, 0, 30), hours=1)
    assert due.isoformat() == "2026-03-29T02:30:00+01:00"


def test_two_hours_across_the_repeated_hour_lands_on_the_second_01_30():
    due = due_after_hours(start=london(2026, 10, 25, 0, 30), hours=2)
    assert due.isoformat() == "2026-10-25T01:30:00+00:00"
    assert due.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_police_protection_72_hours_from_a_utc_start_is_given_in_london_time():
    due = due_after_hours(start=datetime(2026, 7, 1, 11, 0, tzinfo=UTC), hours=72)
    assert due.isoformat() == "2026-07-04T12:00:00+01:00"


def test_zero_hours_is_refused():
    with pytest.raises(ValueError, match="hours must be more than 0"):
        due_after_hours(start=london(2026, 7, 1), hours=0)


# Working days


def test_bank_holidays_of_england_and_wales_in_2027_include_both_christmas_substitutes():
    assert bank_holidays(2027) == {
        date(2027, 1, 1),
        date(2027, 3, 26),  # Good Friday
        date(2027, 3, 29),  # Easter Monday
        date(2027, 5, 3),
        date(2027, 5, 31),
        date(2027, 8, 30),
        date(2027, 12, 25),  # Saturday
        date(2027, 12, 26),  # Sunday
        date(2027, 12, 27),  # Christmas Day substitute
        date(2027, 12, 28),  # Boxing Day substitute
    }


def test_weekends_and_bank_holidays_are_not_working_days():
    assert is_working_day(date(2026, 3, 6))  # Friday
    assert not is_working_day(date(2026, 3, 7))  # Saturday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day substitute


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # Friday 16:00 -> end of Monday.
        (london(2026, 3, 6, 16), "2026-03-09T23:59:59.999999+00:00"),
        # Saturday -> end of Monday; the weekend day the clock starts on does not count.
        (london(2026, 3, 7, 9), "2026-03-09T23:59:59.999999+00:00"),
        # Monday 08:00 -> end of Tuesday; the day of receipt never counts.
        (london(2026, 3, 9, 8), "2026-03-10T23:59:59.999999+00:00"),
        # Friday before the spring bank holiday -> end of Tuesday.
        (london(2026, 5, 22, 16), "2026-05-26T23:59:59.999999+01:00"),
        # Maundy Thursday -> past Good Friday and Easter Monday to Tuesday.
        (london(2026, 4, 2, 10), "2026-04-07T23:59:59.999999+01:00"),
        # Christmas Eve 2026 (Boxing Day on Saturday, substitute Monday 28th) -> Tuesday 29th.
        (london(2026, 12, 24, 10), "2026-12-29T23:59:59.999999+00:00"),
        # Christmas Eve 2027 (both substitutes, Monday and Tuesday) -> Wednesday 29th.
        (london(2027, 12, 24, 16), "2027-12-29T23:59:59.999999+00:00"),
        # New Year's Eve 2027 (1 January 2028 a Saturday, substitute Monday 3rd) -> Tuesday 4th.
        (london(2027, 12, 31, 16), "2028-01-04T23:59:59.999999+00:00"),
        # Friday in GMT -> Monday in BST, over the spring-forward Sunday.
        (london(2026, 3, 27, 16), "2026-03-30T23:59:59.999999+01:00"),
        # Friday in BST -> Monday in GMT, over the fall-back Sunday.
        (london(2026, 10, 23, 16), "2026-10-26T23:59:59.999999+00:00"),
    ],
)
def test_within_one_working_day(start, expected):
    assert due_after_working_days(start=start, days=1).isoformat() == expected


def test_dvds_ten_working_days_skip_the_easter_bank_holidays():
    due = due_after_working_days(start=london(2026, 3, 30, 10), days=10)
    assert due.isoformat() == "2026-04-15T23:59:59.999999+01:00"


def test_a_force_may_end_the_working_day_at_17_00():
    due = due_after_working_days(start=london(2026, 3, 6, 16), days=1, end_of_day=time(17))
    assert due.isoformat() == "2026-03-09T17:00:00+00:00"


def test_zero_working_days_is_refused():
    with pytest.raises(ValueError, match="days must be at least 1"):
        due_after_working_days(start=london(2026, 3, 6), days=0)


def test_a_record_met_on_its_due_day_took_exactly_its_working_days():
    start = london(2026, 12, 24, 10)
    due = due_after_working_days(start=start, days=1)
    assert working_days_between(start=start, end=due) == 1
    assert working_days_between(start=start, end=london(2026, 12, 30, 9)) == 2


def test_working_days_over_christmas_and_new_year_2026():
    # 22, 23, 24, 29, 30, 31 December and 4 January; 25 and 28 December and 1 January are holidays.
    count = working_days_between(start=london(2026, 12, 21, 9), end=london(2027, 1, 4, 9))
    assert count == 7


def test_working_days_within_one_day_is_zero_and_backwards_is_refused():
    assert working_days_between(start=london(2026, 3, 9, 8), end=london(2026, 3, 9, 17)) == 0
    with pytest.raises(ValueError, match="before start"):
        working_days_between(start=london(2026, 3, 9), end=london(2026, 3, 6))


# School days


def test_half_term_holidays_and_bank_holidays_in_term_are_not_school_days():
    assert is_school_day(date(2026, 2, 13))  # last day before February half term
    assert not is_school_day(date(2026, 2, 16))  # half term
    assert not is_school_day(date(2026, 5, 4))  # May Day, inside the summer term
    assert not is_school_day(date(2026, 7, 23))  # summer holidays
    assert next_school_day(date(2026, 2, 13)) == date(2026, 2, 23)


def test_the_default_school_years_are_close_to_195_sessions():
    # 190 pupil days plus 5 INSET days; the default has no INSET closures of its own.
    for year in range(2024, 2028):
        start, end = london(year, 8, 31, 12), london(year + 1, 8, 31, 12)
        assert 190 <= school_days_between(start=start, end=end) <= 195


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # 02:00 on a school Tuesday: before school starts, so 09:00 that day.
        (london(2026, 3, 3, 2), "2026-03-03T09:00:00+00:00"),
        # 09:00 and 10:00 on the Tuesday: school has started, so 09:00 on Wednesday.
        (london(2026, 3, 3, 9), "2026-03-04T09:00:00+00:00"),
        (london(2026, 3, 3, 10), "2026-03-04T09:00:00+00:00"),
        # Friday evening -> Monday.
        (london(2026, 3, 6, 20), "2026-03-09T09:00:00+00:00"),
        # Friday before February half term, and a night within it -> first day back.
        (london(2026, 2, 13, 18), "2026-02-23T09:00:00+00:00"),
        (london(2026, 2, 18, 2), "2026-02-23T09:00:00+00:00"),
        # Last day of spring term in GMT -> first day of summer term in BST.
        (london(2026, 3, 27, 20), "2026-04-13T09:00:00+01:00"),
        # Summer holidays -> the first day of the autumn term.
        (london(2026, 7, 23, 1), "2026-09-03T09:00:00+01:00"),
        # Last day of the autumn term -> 4 January 2027, after the Christmas holidays.
        (london(2026, 12, 18, 22), "2027-01-04T09:00:00+00:00"),
    ],
)
def test_operation_encompass_before_9_on_the_next_school_day(start, expected):
    assert due_before_time_on_next(start=start).isoformat() == expected


def test_the_fall_back_weekend_with_working_days_is_due_monday_in_gmt():
    due = due_before_time_on_next(start=london(2026, 10, 24, 22), days="working")
    assert due.isoformat() == "2026-10-26T09:00:00+00:00"


def test_every_day_counts_when_the_force_notifies_through_weekends():
    due = due_before_time_on_next(start=london(2026, 10, 24, 22), days="calendar")
    assert due.isoformat() == "2026-10-25T09:00:00+00:00"


def test_working_days_skip_a_bank_holiday_monday():
    due = due_before_time_on_next(start=london(2026, 5, 25, 2), days="working", at=time(8, 30))
    assert due.isoformat() == "2026-05-26T08:30:00+01:00"


def test_a_local_authority_calendar_with_inset_days_overrides_the_default():
    autumn = TermCalendar(
        name="Lancashire test",
        terms=[(date(2026, 9, 1), date(2026, 10, 23))],
        closures=[date(2026, 9, 1), date(2026, 9, 2)],  # INSET days
    )
    # Monday 31 August is the late summer bank holiday; the term opens to pupils on Thursday.
    due = due_before_time_on_next(start=london(2026, 8, 31, 20), calendar=autumn)
    assert due.isoformat() == "2026-09-03T09:00:00+01:00"
    first_week = school_days_between(
        start=london(2026, 8, 31), end=london(2026, 9, 4), calendar=autumn
    )
    assert first_week == 2


def test_past_the_last_term_the_missing_term_dates_are_named():
    with pytest.raises(TermDatesMissingError, match="add the next terms"):
        due_before_time_on_next(start=london(2028, 7, 22, 10))
    with pytest.raises(TermDatesMissingError):
        next_school_day(date(2026, 1, 1), TermCalendar(name="empty", terms=[]))


def test_a_term_calendar_with_working_or_calendar_days_is_refused():
    with pytest.raises(ValueError, match="only applies to"):
        due_before_time_on_next(
            start=london(2026, 3, 3), days="working", calendar=DEFAULT_TERM_CALENDAR
        )


def test_terms_that_end_before_they_start_or_overlap_are_refused():
    with pytest.raises(ValueError, match="cannot end"):
        TermCalendar(name="bad", terms=[(date(2026, 9, 3), date(2026, 9, 1))])
    with pytest.raises(ValueError, match="overlap"):
        TermCalendar(
            name="bad",
            terms=[
                (date(2026, 9, 3), date(2026, 10, 23)),
                (date(2026, 10, 20), date(2026, 12, 18)),
            ],
        )


# Naive datetimes


@pytest.mark.parametrize(
    "due",
    [
        lambda moment: due_after_hours(start=moment, hours=1),
        lambda moment: due_after_working_days(start=moment, days=1),
        lambda moment: due_before_time_on_next(start=moment),
        lambda moment: working_days_between(start=moment, end=moment),
        lambda moment: school_days_between(start=london(2026, 3, 2), end=moment),
    ],
)
def test_a_naive_datetime_is_refused(due):
    with pytest.raises(ValueError, match="must be timezone-aware"):
        due(datetime(2026, 3, 29, 1, 30))


def test_days_are_counted_to_the_end_of_the_day_across_the_clock_change():
    start = datetime(2026, 10, 20, 16, 0, tzinfo=LONDON)
    due = due_after_days(start=start, days=7)
    assert due.isoformat() == "2026-10-27T23:59:59.999999+00:00"  # GMT after 25 October
    assert end_of(date(2026, 6, 1)).isoformat() == "2026-06-01T23:59:59.999999+01:00"

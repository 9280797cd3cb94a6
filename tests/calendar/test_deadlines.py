"""The deadline engine as a table of the hard cases, and as properties (R-01 to R-04)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.calendar.deadlines import WorkingCalendar, hours_after

LONDON = WorkingCalendar.of("Europe/London", "ENG")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.mark.parametrize(
    ("received", "n", "due"),
    [
        # An ordinary Monday: five working days later is the next Monday, end of day (GMT).
        ("2026-11-23T10:00:00+00:00", 5, "2026-11-30T23:59:59.999+00:00"),
        # X's own date never counts, even at one minute past midnight.
        ("2026-11-23T00:01:00+00:00", 1, "2026-11-24T23:59:59.999+00:00"),
        # Late on a Friday: the weekend does not count.
        ("2026-11-27T23:30:00+00:00", 1, "2026-11-30T23:59:59.999+00:00"),
        ("2026-11-27T23:30:00+00:00", 5, "2026-12-04T23:59:59.999+00:00"),
        # Received on a Saturday: counting starts from Monday.
        ("2026-11-28T12:00:00+00:00", 1, "2026-11-30T23:59:59.999+00:00"),
        # Good Friday 2026-04-03 and Easter Monday 2026-04-06 (BST: 23:59:59.999 local is 22:59:59.999Z).
        ("2026-04-02T09:00:00+01:00", 1, "2026-04-07T22:59:59.999+00:00"),
        ("2026-04-02T09:00:00+01:00", 5, "2026-04-13T22:59:59.999+00:00"),
        # Christmas 2026: Friday 25th, Saturday 26th, Boxing Day observed Monday 28th.
        ("2026-12-24T15:00:00+00:00", 1, "2026-12-29T23:59:59.999+00:00"),
        # Christmas 2027 (observed Mon 27th, Tue 28th) and New Year 2028 (observed Mon 3 Jan) fall out:
        # Fri 24, Wed 29, Thu 30, Fri 31, Tue 4 January.
        ("2027-12-23T15:00:00+00:00", 5, "2028-01-04T23:59:59.999+00:00"),
        # New Year 2028 falls on a Saturday: substitute Monday 3 January.
        ("2027-12-31T10:00:00+00:00", 1, "2028-01-04T23:59:59.999+00:00"),
        # The UTC date is Sunday but the local date (BST) is already Monday 00:30: Monday is X's date.
        ("2026-06-14T23:30:00+00:00", 1, "2026-06-16T22:59:59.999+00:00"),
        # Clocks go forward on Sunday 2026-03-29: received Friday in GMT, due Monday in BST.
        ("2026-03-27T16:00:00+00:00", 1, "2026-03-30T22:59:59.999+00:00"),
        # Clocks go back on Sunday 2026-10-25: received Friday in BST, due Monday in GMT.
        ("2026-10-23T16:00:00+01:00", 1, "2026-10-26T23:59:59.999+00:00"),
        # A one-off bank holiday: the state funeral on Monday 2022-09-19.
        ("2022-09-16T12:00:00+01:00", 1, "2022-09-20T22:59:59.999+00:00"),
        # The coronation bank holiday on Monday 2023-05-08 (after the May Day of 2023-05-01).
        ("2023-05-05T12:00:00+01:00", 1, "2023-05-09T22:59:59.999+00:00"),
    ],
)
def test_r03_working_day_deadlines(received, n, due):
    assert LONDON.working_days_after(utc(received), n) == utc(due)


def test_r02_scotland_keeps_its_own_bank_holidays():
    scotland = WorkingCalendar.of("Europe/London", "SCT")
    # 2 January is a bank holiday in Scotland, not in England (2026-01-02 is a Friday).
    assert LONDON.is_working_day(datetime(2026, 1, 2).date())
    assert not scotland.is_working_day(datetime(2026, 1, 2).date())


@pytest.mark.parametrize(
    ("called", "hours", "due"),
    [
        ("2026-11-23T10:00:00+00:00", 24, "2026-11-24T10:00:00+00:00"),
        # Across the spring change: 24 elapsed hours end at 11:00 local the next day.
        ("2026-03-28T10:00:00+00:00", 24, "2026-03-29T10:00:00+00:00"),
        # Across the autumn change: 24 elapsed hours end at 09:00 local the next day.
        ("2026-10-24T10:00:00+01:00", 24, "2026-10-25T09:00:00+00:00"),
        # Weekends and bank holidays count: hours are clock hours.
        ("2026-12-24T17:00:00+00:00", 24, "2026-12-25T17:00:00+00:00"),
    ],
)
def test_r04_hour_deadlines_are_elapsed_clock_hours(called, hours, due):
    assert hours_after(utc(called), hours) == utc(due)


def test_r01_naive_instants_are_refused():
    with pytest.raises(ValueError):
        LONDON.working_days_after(datetime(2026, 11, 23, 10, 0), 5)
    with pytest.raises(ValueError):
        hours_after(datetime(2026, 11, 23, 10, 0), 24)


def test_r03_zero_working_days_is_the_end_of_x_own_day():
    assert LONDON.working_days_after(utc("2026-11-23T10:00:00+00:00"), 0) == utc("2026-11-23T23:59:59.999+00:00")


instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(timezone.utc)
)


@settings(max_examples=300, deadline=None)
@given(x=instants, n=st.integers(min_value=1, max_value=30))
def test_r03_due_is_always_the_end_of_a_working_day_after_x(x, n):
    due = LONDON.working_days_after(x, n)
    assert LONDON.is_end_of_working_day(due)
    assert due > x
    assert LONDON.local_date(due) > LONDON.local_date(x)


@settings(max_examples=300, deadline=None)
@given(x=instants, later_by=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)), n=st.integers(1, 15))
def test_r03_due_is_monotonic_in_x(x, later_by, n):
    assert LONDON.working_days_after(x, n) <= LONDON.working_days_after(x + later_by, n)


@settings(max_examples=200, deadline=None)
@given(x=instants, n=st.integers(min_value=1, max_value=20))
def test_r03_one_more_working_day_is_always_later(x, n):
    assert LONDON.working_days_after(x, n) < LONDON.working_days_after(x, n + 1)

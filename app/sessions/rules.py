"""Pure checks on a proposed session interval (R-20, R-23, R-24): weekly local-time
windows, the school day, age. No database, no HTTP; the zone and calendar come in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from app.calendar.deadlines import WorkingCalendar


def parse_hhmm(text: str) -> time:
    """"HH:MM" as a time of day; "24:00" (a window that closes at midnight) is not one, see
    `minutes_of`."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def minutes_of(text: str) -> int:
    """"HH:MM" as minutes after local midnight; "24:00" is 1440, the end of the day."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def within_windows(windows: Iterable[Mapping[str, Any]], start: datetime, end: datetime, calendar: WorkingCalendar) -> bool:
    """True when [start, end) lies inside one window of the local weekday, on the same local
    day (an interval may end at midnight when a window closes at "24:00")."""
    local_start = start.astimezone(calendar.zone)
    local_end = end.astimezone(calendar.zone)
    begins = _seconds_into_day(local_start.time())
    if local_end.date() == local_start.date():
        ends = _seconds_into_day(local_end.time())
    elif local_end.date() == local_start.date() + timedelta(days=1) and local_end.time() == time(0, 0):
        ends = 24 * 3600
    else:
        return False
    for window in windows:
        if window["weekday"] != local_start.weekday():
            continue
        if minutes_of(window["opens"]) * 60 <= begins and ends <= minutes_of(window["closes"]) * 60:
            return True
    return False


def _seconds_into_day(moment: time) -> float:
    return moment.hour * 3600 + moment.minute * 60 + moment.second + moment.microsecond / 1_000_000


def age_on(date_of_birth: date, day: date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def overlaps_school_day(
    start: datetime,
    end: datetime,
    calendar: WorkingCalendar,
    school_day: tuple[time, time],
) -> bool:
    """True when the interval touches school hours on a school day (a working day; the
    service does not know term dates, so it treats every working day as a school day)."""
    local_start = start.astimezone(calendar.zone)
    local_end = end.astimezone(calendar.zone)
    if not calendar.is_working_day(local_start.date()):
        return False
    begins, ends = school_day
    return local_start.time() < ends and local_end.time() > begins

"""Pure checks on a proposed session interval (R-20, R-23, R-24): weekly local-time
windows, the school day, age. No database, no HTTP; the zone and calendar come in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import Any

from app.calendar.deadlines import WorkingCalendar


def parse_hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def within_windows(windows: Iterable[Mapping[str, Any]], start: datetime, end: datetime, calendar: WorkingCalendar) -> bool:
    """True when [start, end) lies inside one window of the local weekday (same local day)."""
    local_start = start.astimezone(calendar.zone)
    local_end = end.astimezone(calendar.zone)
    if local_end.date() != local_start.date() and local_end.timetz().replace(tzinfo=None) != time(0, 0):
        return False
    for window in windows:
        if window["weekday"] != local_start.weekday():
            continue
        opens, closes = parse_hhmm(window["opens"]), parse_hhmm(window["closes"])
        if local_start.time() >= opens and (local_end.date() == local_start.date() and local_end.time() <= closes):
            return True
    return False


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

"""Deadlines as SPEC defines them, as pure functions of an instant and a calendar.

* R-01: instants are UTC; the calendar rules run in a configured zone (Europe/London), so a
  clock change never moves a deadline.
* R-02: a working day is Monday to Friday and not a bank holiday of the configured UK
  nation, from the maintained `holidays` library (substitute days and one-off holidays
  included).
* R-03: "within N working days of X" ends at 23:59:59.999 local on the N-th working day
  after X's local date; X's own date never counts.
* R-04: "within N hours of X" is X plus N clock hours (elapsed time, not wall time).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays

END_OF_DAY = time(23, 59, 59, 999000)
MAX_WORKING_DAYS = 366


@lru_cache(maxsize=8)
def _bank_holidays(subdivision: str) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv=subdivision)


_lookup_lock = threading.Lock()  # the holiday table fills in years lazily on lookup


@dataclass(frozen=True)
class WorkingCalendar:
    """A zone and a UK nation's bank holidays (ENG, WLS, SCT or NIR)."""

    zone: ZoneInfo
    subdivision: str = "ENG"

    @classmethod
    def of(cls, zone: str, subdivision: str) -> WorkingCalendar:
        return cls(ZoneInfo(zone), subdivision)

    def is_bank_holiday(self, day: date) -> bool:
        with _lookup_lock:
            return day in _bank_holidays(self.subdivision)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and not self.is_bank_holiday(day)

    def local_date(self, instant: datetime) -> date:
        return _aware(instant).astimezone(self.zone).date()

    def end_of_day(self, day: date) -> datetime:
        """23:59:59.999 local on `day`, as a UTC instant."""
        return datetime.combine(day, END_OF_DAY, tzinfo=self.zone).astimezone(UTC)

    def nth_working_day_after(self, day: date, n: int) -> date:
        if not 0 <= n <= MAX_WORKING_DAYS:
            raise ValueError(f"working days must be between 0 and {MAX_WORKING_DAYS}")
        counted = 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_after(self, instant: datetime, n: int) -> datetime:
        """R-03: the end of the n-th working day after the local date of `instant`."""
        return self.end_of_day(self.nth_working_day_after(self.local_date(instant), n))

    def is_end_of_working_day(self, instant: datetime) -> bool:
        local = _aware(instant).astimezone(self.zone)
        return local.timetz().replace(tzinfo=None) == END_OF_DAY and self.is_working_day(local.date())


def hours_after(instant: datetime, hours: int) -> datetime:
    """R-04: `instant` plus that many elapsed hours, in UTC."""
    return _aware(instant).astimezone(UTC) + timedelta(hours=hours)


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("an instant needs a UTC offset")
    return instant


class CalendarSettings(Protocol):
    """What the calendar needs from the service's settings (TIMEZONE, HOLIDAY_SUBDIVISION)."""

    timezone: str
    holiday_subdivision: str


@lru_cache(maxsize=8)
def _calendar(zone: str, subdivision: str) -> WorkingCalendar:
    return WorkingCalendar.of(zone, subdivision)


def working_calendar(settings: CalendarSettings) -> WorkingCalendar:
    """The service's working calendar, as its settings configure it (R-01, R-02)."""
    return _calendar(settings.timezone, settings.holiday_subdivision)

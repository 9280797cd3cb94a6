"""The `from` and `to` filter of the lists under a child or an arrangement (R-62, R-83).

Both are local calendar days of the service's zone (`YYYY-MM-DD`, both included), as the
timetable and the court bundle take them, so "the sessions of March" is `from=2027-03-01&to=2027-03-31`
whatever the clock change. Each list says which time of its items the days apply to (a
session's start, a referral's creation). `to` before `from` is a 422 naming `to`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Query
from sqlalchemy import ColumnElement

from app.core.concurrency import Depends
from app.core.config import SettingsDep
from app.core.errors import invalid_field
from app.core.schemas import Day

# Days an instant can be made of and stored, in any zone (the cursors' bounds too).
_YEARS = (1900, 9000)


@dataclass(frozen=True)
class Period:
    """[start, end): the first instant of `from` and the first instant after `to`; either open."""

    start: datetime | None = None
    end: datetime | None = None

    def where(self, column: Any) -> list[ColumnElement[bool]]:
        """The conditions keeping rows whose `column` (an instant) falls in the period."""
        found: list[ColumnElement[bool]] = []
        if self.start is not None:
            found.append(column >= self.start)
        if self.end is not None:
            found.append(column < self.end)
        return found


def _day(field: str, day: date | None) -> date | None:
    if day is not None and not _YEARS[0] <= day.year <= _YEARS[1]:
        raise invalid_field(field, f"must be between the years {_YEARS[0]} and {_YEARS[1]}", location="query")
    return day


async def period(
    settings: SettingsDep,
    since: Annotated[Day | None, Query(alias="from", description="First local day (YYYY-MM-DD), included.", examples=["2027-03-01"])] = None,
    until: Annotated[Day | None, Query(alias="to", description="Last local day (YYYY-MM-DD), included; not before `from`.", examples=["2027-03-31"])] = None,
) -> Period:
    first, last = _day("from", since), _day("to", until)
    if first is not None and last is not None and last < first:
        raise invalid_field("to", f"must not be before from ({first.isoformat()})", location="query")
    zone = ZoneInfo(settings.timezone)
    return Period(
        start=datetime.combine(first, time.min, tzinfo=zone) if first is not None else None,
        end=datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone) if last is not None else None,
    )


PeriodDep = Annotated[Period, Depends(period)]

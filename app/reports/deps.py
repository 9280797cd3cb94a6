"""Route dependencies for the reports: who may read them (`policy`), which report, and the
months and areas asked for, each refused with a problem naming its parameter."""

from __future__ import annotations

import re
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Path, Query

from app.core import clock
from app.core.access import Gate
from app.core.concurrency import Depends
from app.core.config import SettingsDep
from app.core.errors import AppError, check_area, invalid_field
from app.reports.policy import REPORT_READERS
from app.reports.service import MAX_MONTHS, REPORTS, Month, Report, Window, months_between

ReportReader = Gate(*REPORT_READERS)

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
DEFAULT_MONTHS = 12


def valid_report(report: Annotated[str, Path(max_length=100, description="One of: " + ", ".join(REPORTS) + ".")]) -> Report:
    """The report by name, or 404 listing the known ones."""
    found = REPORTS.get(report)
    if found is None:
        known = ", ".join(REPORTS)
        raise AppError(404, "not-found", "Not found", f"No report named {report!r}; the reports are: {known}.", extra={"reports": list(REPORTS)})
    return found


def _month(name: str, value: str) -> Month:
    match = MONTH.match(value)
    if match is None:
        raise invalid_field(name, "must be a month, YYYY-MM (e.g. 2026-11)", location="query")
    return Month(int(match[1]), int(match[2]))


def report_window(
    settings: SettingsDep,
    from_: Annotated[str | None, Query(alias="from", max_length=7, description="First month, `YYYY-MM` (local); default 11 months before `to`.", examples=["2026-01"])] = None,
    to: Annotated[str | None, Query(max_length=7, description="Last month, `YYYY-MM` (local), included; default this month.", examples=["2026-12"])] = None,
    area: Annotated[str | None, Query(max_length=50, description="Only this area (one of the service's areas); default every area.")] = None,
) -> Window:
    zone = ZoneInfo(settings.timezone)
    last = _month("to", to) if to is not None else _this_month(zone)
    if from_ is not None:
        first = _month("from", from_)
    else:
        back = last.year * 12 + last.month - 1 - (DEFAULT_MONTHS - 1)
        first = Month(back // 12, back % 12 + 1)
    if (last.year, last.month) < (first.year, first.month):
        raise invalid_field("to", "must not be before `from`", location="query")
    if (last.year - first.year) * 12 + last.month - first.month + 1 > MAX_MONTHS:
        raise invalid_field("to", f"the range may cover at most {MAX_MONTHS} months (10 years)", location="query")
    if area is not None:
        check_area(settings.areas, area, location="query")
    return Window(months=months_between(first, last), areas=[area] if area else list(settings.areas), zone=zone)


def _this_month(zone: ZoneInfo) -> Month:
    today = clock.now().astimezone(zone).date()
    return Month(today.year, today.month)


ValidReport = Annotated[Report, Depends(valid_report)]
ReportWindow = Annotated[Window, Depends(report_window)]

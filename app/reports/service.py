"""The seven reports of R-63, each one grouped SQL statement (plus one for staff capacity).

Months are calendar months local to `settings.timezone` (Europe/London). Rather than a
dialect's date functions (`strftime` on SQLite, `to_char(... AT TIME ZONE ...)` on
PostgreSQL), each month's local boundaries are turned into UTC instants here and the
statement buckets rows with one `CASE col < boundary THEN 'YYYY-MM'` over them, then
`GROUP BY` that bucket and the area. So the months are exact across clock changes on both
databases (SQLite stores instants as naive UTC; the column type binds the boundaries the same
way), and the work stays in the database: at most 120 months (`MAX_MONTHS`) of CASE branches.

Each report counts only the areas of `settings.areas` and answers one row per month and area
in the range, zero-filled, so a quiet month is a row of zeros and not a gap.
"""

from __future__ import annotations

import calendar as std_calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Date, and_, bindparam, case, func, literal, select
from sqlmodel import Session

from app.agreements.models import Breach, Severity
from app.arrangements.models import Arrangement
from app.calendar.deadlines import working_calendar
from app.core.clock import now
from app.core.types import UTCDateTime
from app.core.config import Settings
from app.oversight.models import Restriction, RestrictionKind
from app.records.models import SessionRecord
from app.referrals.models import Referral
from app.sessions.models import CancelledBy, ContactSession, SessionStatus
from app.venues.models import Staff, StaffRole

MAX_MONTHS = 120  # "a range over 10 years" is refused


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def next(self) -> Month:
        return Month(self.year + (self.month == 12), self.month % 12 + 1)

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def days(self) -> list[date]:
        return [date(self.year, self.month, d) for d in range(1, std_calendar.monthrange(self.year, self.month)[1] + 1)]


def months_between(first: Month, last: Month) -> list[Month]:
    months, current = [], first
    while (current.year, current.month) <= (last.year, last.month):
        months.append(current)
        current = current.next()
    return months


@dataclass(frozen=True)
class Window:
    """The months and areas a report covers."""

    months: list[Month]
    areas: list[str]
    zone: ZoneInfo

    def instant(self, month: Month) -> datetime:
        """Local midnight at the start of `month`, in UTC."""
        return datetime.combine(month.first_day(), time(0), self.zone).astimezone(UTC)

    def start(self) -> datetime:
        return self.instant(self.months[0])

    def end(self) -> datetime:
        return self.instant(self.months[-1].next())

    def bucket(self, column: Any) -> ColumnElement[str]:
        """The local month of an instant column, as 'YYYY-MM' (rows outside the window: NULL)."""
        whens = [(column < _fixed(self.instant(m.next()), UTCDateTime()), literal(m.label)) for m in self.months]
        return case(*whens, else_=None)

    def in_window(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= _fixed(self.start(), UTCDateTime()), column < _fixed(self.end(), UTCDateTime()))

    def date_bucket(self, column: Any) -> ColumnElement[str]:
        """The month of a local date column (e.g. `restriction.starts_on`)."""
        return case(*[(column < _fixed(m.next().first_day(), Date()), literal(m.label)) for m in self.months], else_=None)

    def date_in_window(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= _fixed(self.months[0].first_day(), Date()), column < _fixed(self.months[-1].next().first_day(), Date()))


def _fixed(value: Any, type_: Any) -> Any:
    """The month bounds are written into the SQL, not sent as parameters. As parameters, a
    statement run often became a prepared statement whose generic plan PostgreSQL estimated
    for some unknown month range (1,600 rows instead of 800,000) and chose a nested loop:
    a report went from 0.3 s to 2 s on its tenth run (bench/exports.py). Written in, each
    range gets the plan for its own dates."""
    return bindparam(None, value, type_=type_, literal_execute=True)


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    definition: str
    columns: list[str]
    chart: list[str]  # the columns drawn in the SVG
    unit: str  # "count" or "share"
    compute: Callable[[Session, Window, Settings], dict[tuple[str, str], dict[str, Any]]]


def _grouped(session: Session, statement: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """Run one grouped statement whose first two columns are month and area."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for row in session.execute(statement).mappings():
        values = dict(row)
        key = (values.pop("month"), values.pop("area"))
        out[key] = values
    return out


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _share(on_time: int, total: int) -> float | None:
    return round(on_time / total, 4) if total else None


# --- sessions delivered against capacity --------------------------------------------------


def _sessions_delivered(session: Session, window: Window, settings: Settings) -> dict[tuple[str, str], dict[str, Any]]:
    month = window.bucket(ContactSession.starts_at).label("month")
    delivered = (
        select(month, Staff.area.label("area"), func.count().label("delivered"))
        .join(Staff, Staff.sub == ContactSession.csw_sub)
        .where(
            window.in_window(ContactSession.starts_at),
            Staff.area.in_(window.areas),
            # delivered: completed (record submitted), or booked and already over
            (ContactSession.status == SessionStatus.completed)
            | and_(ContactSession.status == SessionStatus.booked, ContactSession.ends_at <= now()),
        )
        .group_by(month, Staff.area)
    )
    out = _grouped(session, delivered)
    # Capacity: one statement for the CSWs (a few dozen rows), then their working days per
    # month from the calendar, which lives in Python (bank holidays), not in the database.
    cal = working_calendar(settings)
    staff = session.execute(
        select(Staff.area, Staff.working_hours, Staff.daily_cap).where(
            Staff.role == StaffRole.contact_support_worker, Staff.area.in_(window.areas)
        )
    ).all()
    working = {m.label: [d for d in m.days() if cal.is_working_day(d)] for m in window.months}
    for area, hours, cap in staff:
        weekdays = {int(h["weekday"]) for h in hours or [] if "weekday" in h}
        for label, days in working.items():
            row = out.setdefault((label, area), {"delivered": 0})
            row["capacity"] = row.get("capacity", 0) + cap * sum(1 for d in days if d.weekday() in weekdays)
    for row in out.values():
        row.setdefault("capacity", 0)
        row["utilisation"] = _share(row.get("delivered", 0), row["capacity"])
    return out


# --- timeliness -----------------------------------------------------------------------------


def _decision_timeliness(session: Session, window: Window, _settings: Settings) -> dict[tuple[str, str], dict[str, Any]]:
    month = window.bucket(Referral.decided_at).label("month")
    on_time = and_(Referral.notified_at.is_not(None), Referral.notified_at <= Referral.decision_due_at)
    statement = (
        select(month, Referral.area.label("area"), func.count().label("decisions"), _count_if(on_time).label("on_time"))
        .where(window.in_window(Referral.decided_at), Referral.decision_due_at.is_not(None), Referral.area.in_(window.areas))
        .group_by(month, Referral.area)
    )
    return _with_share(_grouped(session, statement), "decisions")


def _triage_timeliness(session: Session, window: Window, _settings: Settings) -> dict[tuple[str, str], dict[str, Any]]:
    month = window.bucket(Referral.triage_due_at).label("month")
    on_time = and_(Referral.triaged_at.is_not(None), Referral.triaged_at <= Referral.triage_due_at)
    statement = (
        select(month, Referral.area.label("area"), func.count().label("urgent"), _count_if(on_time).label("on_time"))
        .where(
            Referral.urgent.is_(True),
            window.in_window(Referral.triage_due_at),
            Referral.area.in_(window.areas),
            # settled: triaged, or its 24 hours are over (one still running is neither)
            Referral.triaged_at.is_not(None) | (Referral.triage_due_at <= now()),
        )
        .group_by(month, Referral.area)
    )
    return _with_share(_grouped(session, statement), "urgent")


def _record_timeliness(session: Session, window: Window, _settings: Settings) -> dict[tuple[str, str], dict[str, Any]]:
    month = window.bucket(SessionRecord.due_at).label("month")
    on_time = and_(SessionRecord.submitted_at.is_not(None), SessionRecord.late.is_(False))
    statement = (
        select(month, Arrangement.area.label("area"), func.count().label("records"), _count_if(on_time).label("on_time"))
        .join(Arrangement, Arrangement.id == SessionRecord.arrangement_id)
        .where(
            window.in_window(SessionRecord.due_at),
            Arrangement.area.in_(window.areas),
            SessionRecord.submitted_at.is_not(None) | (SessionRecord.due_at <= now()),
        )
        .group_by(month, Arrangement.area)
    )
    return _with_share(_grouped(session, statement), "records")


def _with_share(rows: dict[tuple[str, str], dict[str, Any]], total: str) -> dict[tuple[str, str], dict[str, Any]]:
    for row in rows.values():
        row["share"] = _share(row["on_time"], row[total])
    return rows


# --- counts by kind -------------------------------------------------------------------------


def _breaches(session: Session, window: Window, _settings: Settings) -> dict[tuple[str, str], dict[str, Any]]:
    month = window.bucket(Breach.occurred_at).label("month")
    statement = (
        select(
            month,
            Arrangement.area.label("area"),
            func.count().label("total"),
            *[_count_if(Breach.severity == s).label(s.value) for s in Severity],
            _count_if(Breach.suspended.is_(True)).label("suspending"),
        )
        .join(Arrangement, Arrangement.id == Breach.arrangement_id)
        .where(window.in_window(Breach.occurred_at), Arrangement.area.in_(window.areas))
        .group_by(month, Arrangement.area)
    )
    return _grouped(session, statement)


def _suspensions(session: Session, window: Window, _settings: Settings) -> dict[tuple[str, str], dict[str, Any]]:
    month = window.date_bucket(Restriction.starts_on).label("month")
    statement = (
        select(
            month,
            Arrangement.area.label("area"),
            func.count().label("suspensions"),
            _count_if(Restriction.emergency.is_(True)).label("emergency"),
        )
        .join(Arrangement, Arrangement.id == Restriction.arrangement_id)
        .where(
            Restriction.kind == RestrictionKind.suspend,
            window.date_in_window(Restriction.starts_on),
            Arrangement.area.in_(window.areas),
        )
        .group_by(month, Arrangement.area)
    )
    return _grouped(session, statement)


def _cancellations(session: Session, window: Window, _settings: Settings) -> dict[tuple[str, str], dict[str, Any]]:
    month = window.bucket(ContactSession.starts_at).label("month")
    statement = (
        select(
            month,
            Arrangement.area.label("area"),
            func.count().label("total"),
            *[_count_if(ContactSession.cancelled_by == who).label(who.value) for who in CancelledBy],
            _count_if(ContactSession.late_cancellation.is_(True)).label("late"),
        )
        .join(Arrangement, Arrangement.id == ContactSession.arrangement_id)
        .where(
            ContactSession.status == SessionStatus.cancelled,
            window.in_window(ContactSession.starts_at),
            Arrangement.area.in_(window.areas),
        )
        .group_by(month, Arrangement.area)
    )
    return _grouped(session, statement)


REPORTS: dict[str, Report] = {
    r.name: r
    for r in (
        Report(
            "sessions-delivered",
            "Sessions delivered against capacity",
            "Sessions delivered per local month (by start) and area of the CSW who ran them: completed "
            "sessions, and booked ones already over; not cancelled or on hold. `capacity` is, for each "
            "contact support worker of the area, the working days of the month (R-01, R-02) on which "
            "their working hours fall, times their daily cap (R-23); 004 s10 plans about 1,260-1,512 a "
            "month service-wide. `utilisation` = delivered / capacity.",
            ["delivered", "capacity", "utilisation"],
            ["delivered", "capacity"],
            "count",
            _sessions_delivered,
        ),
        Report(
            "decision-timeliness",
            "Decisions within 5 working days",
            "Referrals decided in the local month (by `decided_at`), by the referral's area; `on_time` "
            "counts those whose social worker was notified (`notified_at`) no later than "
            "`decision_due_at`, 5 working days after receipt (R-13, R-16). `share` = on_time / decisions "
            "(null with no decisions).",
            ["decisions", "on_time", "share"],
            ["share"],
            "share",
            _decision_timeliness,
        ),
        Report(
            "triage-timeliness",
            "Urgent referrals triaged within 24 hours",
            "Urgent referrals whose `triage_due_at` (24 hours after the supplementary call, R-14) falls in "
            "the local month, by area, once settled (triaged, or the 24 hours are over); `on_time` "
            "counts those triaged by `triage_due_at`. `share` = on_time / urgent.",
            ["urgent", "on_time", "share"],
            ["share"],
            "share",
            _triage_timeliness,
        ),
        Report(
            "record-timeliness",
            "Session records within 24 hours",
            "Session records due (24 hours after the session's end, R-41) in the local month, by the "
            "arrangement's area, once settled (submitted, or overdue); `on_time` counts those submitted "
            "and not flagged late. `share` = on_time / records.",
            ["records", "on_time", "share"],
            ["share"],
            "share",
            _record_timeliness,
        ),
        Report(
            "breaches",
            "Breaches of written agreements",
            "Breaches (R-51) by the local month they occurred in and the arrangement's area, counted by "
            "severity (`ordinary`, `serious`); `suspending` counts those that suspended the arrangement.",
            ["total", *[s.value for s in Severity], "suspending"],
            [s.value for s in Severity],
            "count",
            _breaches,
        ),
        Report(
            "suspensions",
            "Suspensions of contact",
            "Restrictions of kind `suspend` (R-53) by the month of the date they start (`starts_on`) and "
            "the arrangement's area; `emergency` counts those a team leader authorised in an emergency.",
            ["suspensions", "emergency"],
            ["suspensions"],
            "count",
            _suspensions,
        ),
        Report(
            "cancellations",
            "Cancellations by reason",
            "Cancelled sessions by the local month they were to start in and the arrangement's area, "
            "counted by who called them off (`cancelled_by`: parent, carer, child, social_worker, "
            "service, other; R-29); `late` counts late cancellations.",
            ["total", *[who.value for who in CancelledBy], "late"],
            [who.value for who in CancelledBy],
            "count",
            _cancellations,
        ),
    )
}


def run(session: Session, report: Report, window: Window, settings: Settings) -> list[dict[str, Any]]:
    """One row per month and area of the window, zero-filled, in month then area order."""
    found = report.compute(session, window, settings)
    rows = []
    for month in window.months:
        for area in window.areas:
            values = found.get((month.label, area), {})
            filled = {c: values.get(c, None if c in ("share", "utilisation") else 0) for c in report.columns}
            rows.append({"month": month.label, "area": area, "values": filled})
    return rows

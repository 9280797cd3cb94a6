"""The next-day report of sessions that did not go ahead (R-29, R-85).

On each working day the worker sends one `sessions.not_held_report` per social worker (and
child source, so an integration receives its own children's) listing the sessions of their
children that were cancelled, or recorded as not going ahead, since the previous working day:
a Monday's report covers Friday, Saturday and Sunday. SPEC asks for it by 10:00; the worker
sends it at NOT_HELD_REPORT_TIME (09:00 by default), so a slow receiver's retries still land
before 10:00. The event carries ids, times and the coded reasons only, never free text.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import Session

from app.calendar.deadlines import WorkingCalendar
from app.children.models import Child
from app.core import outbox
from app.records.models import SessionRecord
from app.sessions.models import ContactSession, SessionStatus


def previous_working_day(calendar: WorkingCalendar, day: date) -> date:
    day -= timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def _not_held(row: ContactSession, fields: dict[str, Any] | None) -> dict[str, Any] | None:
    if row.status == SessionStatus.cancelled:
        return {"outcome": "cancelled", "cancelled_by": row.cancelled_by, "not_ahead_reason": None}
    if fields is not None and fields.get("went_ahead") is False:
        return {"outcome": "did_not_go_ahead", "cancelled_by": None, "not_ahead_reason": fields.get("not_ahead_reason")}
    return None


def report(session: Session, calendar: WorkingCalendar, today: date) -> int:
    """The digests for `today` (a working day); how many were sent."""
    since = previous_working_day(calendar, today)
    start = datetime.combine(since, time(0), tzinfo=calendar.zone)
    end = datetime.combine(today, time(0), tzinfo=calendar.zone)
    rows = session.execute(
        select(ContactSession, SessionRecord.fields, Child.social_worker_sub, Child.source)
        .join(Child, Child.id == ContactSession.child_id)
        .outerjoin(SessionRecord, SessionRecord.session_id == ContactSession.id)
        .where(ContactSession.starts_at >= start, ContactSession.starts_at < end,
               or_(ContactSession.status == SessionStatus.cancelled, SessionRecord.id.is_not(None)))
        .order_by(ContactSession.starts_at, ContactSession.id)
    ).all()
    digests: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row, fields, social_worker, source in rows:
        outcome = _not_held(row, fields)
        if outcome is not None:
            digests[(social_worker, source)].append({
                "session_id": row.id, "arrangement_id": row.arrangement_id, "child_id": row.child_id,
                "starts_at": row.starts_at, **outcome,
            })
    for (social_worker, source), sessions in sorted(digests.items()):
        outbox.emit(session, "sessions.not_held_report", social_worker, {
            "social_worker_sub": social_worker, "report_date": today, "covers_from": since, "covers_to": today - timedelta(days=1),
            "sessions": sessions, "notify": ["social_worker", "carer"],
        }, source=source)
    return len(digests)

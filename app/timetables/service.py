"""A CSW's timetable (R-28): the query, the iCalendar document, and the per-user feed
tokens that let a calendar app subscribe without a bearer JWT. No HTTP here.

The range is a span of local calendar days of the service's zone (`from` and `to` both
included), so "today" means the same day to a CSW in Nottingham at 00:30 BST as on their
wall calendar. A session is in the range when any part of it falls inside those days.

Only live sessions are listed (booked, on hold, completed; never cancelled). A CSW needs to
know whom they are seeing, so the JSON carries the child's first name and nothing more
(R-08, R-73): no last name, date of birth or address. The iCalendar feed is synced to
third-party calendar services, so it carries no name of the child at all, and its location
is the venue and room (or, outside a venue, the place in words a parent may read, never a
placement address).

A feed token is a random secret shown once; only its SHA-256 hash is stored. Issuing a new
one replaces the old (which stops working at once) and deleting it revokes it.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from icalendar import STATUS, Calendar, Event, vDuration
from sqlalchemy import Row, and_, select
from sqlmodel import Session

from app.calendar.deadlines import working_calendar
from app.arrangements.models import Arrangement
from app.children.models import Child
from app.core import audit, clock, outbox
from app.core.config import API_PREFIX, Settings
from app.core.db import lock_key
from app.core.errors import invalid_field, not_found
from app.core.security import Principal
from app.referrals.models import Level
from app.sessions.models import SHOWN_STATUSES, ContactSession, SessionStatus
from app.timetables.models import FeedToken
from app.timetables.schemas import FeedTokenRead, FeedTokenRevoked, Timetable, TimetableEntry
from app.venues.models import Room, Staff, Venue

DEFAULT_DAYS = 28  # today and the next 28 days
MAX_SPAN_DAYS = 366
UID_DOMAIN = "contact-service"
PRODID = "-//Supervised Contact Service//Timetable//EN"
FEED_PATH = API_PREFIX + "/feeds/{token}.ics"
REFRESH = timedelta(hours=1)  # how often a subscribed calendar app should fetch the feed again
FEED_TOKEN_PATTERN = r"^[A-Za-z0-9_-]{32,128}$"


# --- the range ------------------------------------------------------------------------


@dataclass(frozen=True)
class DayRange:
    first: date
    last: date

    def instants(self, settings: Settings) -> tuple[datetime, datetime]:
        """[start of `first`, start of the day after `last`) in the service's zone."""
        zone = working_calendar(settings).zone
        start = datetime.combine(self.first, time.min, tzinfo=zone)
        end = datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=zone)
        return start, end


def day_range(settings: Settings, first: date | None, last: date | None) -> DayRange:
    """Defaults: from today (local), to 28 days after `from`. `to` must not be before
    `from`, and the range spans at most 366 days after `from`."""
    today = working_calendar(settings).local_date(clock.now())
    first = first if first is not None else today
    last = last if last is not None else first + timedelta(days=DEFAULT_DAYS)
    if last < first:
        raise invalid_field("to", f"must not be before from ({first.isoformat()})", location="query")
    if (last - first).days > MAX_SPAN_DAYS:
        raise invalid_field("to", f"must be at most {MAX_SPAN_DAYS} days after from", location="query")
    return DayRange(first, last)


# --- the query ------------------------------------------------------------------------


def timetable_rows(session: Session, settings: Settings, sub: str, days: DayRange) -> list[Row[Any]]:
    """The CSW's live sessions overlapping the days, earliest first: one query, joined to
    the room, venue, arrangement and child (first name only)."""
    start, end = days.instants(settings)
    statement = (
        select(
            ContactSession.id.label("session_id"),
            ContactSession.starts_at,
            ContactSession.ends_at,
            ContactSession.status,
            Arrangement.level,
            ContactSession.venue_id,
            Venue.name.label("venue_name"),
            ContactSession.room_id,
            Room.name.label("room_name"),
            ContactSession.location,
            ContactSession.arrangement_id,
            ContactSession.series_id,
            Child.first_name.label("child_first_name"),
            ContactSession.version,
            ContactSession.created_at,
            ContactSession.updated_at,
        )
        .join(Arrangement, Arrangement.id == ContactSession.arrangement_id)
        .join(Child, Child.id == ContactSession.child_id)
        .outerjoin(Room, Room.id == ContactSession.room_id)
        .outerjoin(Venue, Venue.id == ContactSession.venue_id)
        .where(
            ContactSession.csw_sub == sub,
            ContactSession.status.in_(SHOWN_STATUSES),
            and_(ContactSession.starts_at < end, ContactSession.ends_at > start),
        )
        .order_by(ContactSession.starts_at, ContactSession.id)
    )
    return list(session.execute(statement).all())


def timetable(session: Session, settings: Settings, staff: Staff, days: DayRange) -> Timetable:
    rows = timetable_rows(session, settings, staff.sub, days)
    return Timetable(
        csw_sub=staff.sub,
        from_=days.first,
        to=days.last,
        time_zone=settings.timezone,
        items=[TimetableEntry.model_validate(row._mapping) for row in rows],
    )


# --- the calendar ---------------------------------------------------------------------

_ICAL_STATUS = {
    SessionStatus.booked: STATUS.CONFIRMED,
    SessionStatus.completed: STATUS.CONFIRMED,
    SessionStatus.on_hold: STATUS.TENTATIVE,
}


def event_uid(session_id: uuid.UUID) -> str:
    """Stable across fetches, so a calendar app updates the event instead of duplicating it."""
    return f"{session_id}@{UID_DOMAIN}"


def _where(row: Row[Any]) -> str:
    if row.room_name is not None:
        return ", ".join(part for part in (row.venue_name, row.room_name) if part)
    return row.location or "Outside a venue"


def ics(session: Session, settings: Settings, staff: Staff, days: DayRange) -> bytes:
    """RFC 5545 VCALENDAR: one VEVENT per live session, times in UTC, no child's name."""
    rows = timetable_rows(session, settings, staff.sub, days)
    events = []
    for row in rows:
        level = Level(row.level).value.capitalize()
        place = row.room_name if row.room_name is not None else "outside a venue"
        events.append(
            Event.new(
                uid=event_uid(row.session_id),
                # Without a METHOD, DTSTAMP is when the event was last revised in the store
                # (RFC 5545 3.8.7.2), so an unchanged session is byte-for-byte the same.
                stamp=row.updated_at,
                created=row.created_at,
                last_modified=row.updated_at,
                start=row.starts_at,
                end=row.ends_at,
                summary=f"{level} contact – {place}",
                location=_where(row),
                status=_ICAL_STATUS[SessionStatus(row.status)],
                sequence=row.version,
            )
        )
    calendar = Calendar.new(
        prodid=PRODID,
        name=f"Contact sessions – {staff.name}",
        uid=f"timetable-{staff.sub}@{UID_DOMAIN}",
        subcomponents=events,
    )
    # How often subscribing apps should refetch: RFC 7986's REFRESH-INTERVAL (its VALUE
    # parameter is required) and the X-PUBLISHED-TTL that Outlook and Apple read. A bare
    # timedelta on an X- property would be written as "1:00:00", so the duration is explicit.
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    return calendar.to_ical()


# --- feed tokens ----------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_feed_token(session: Session, principal: Principal, staff: Staff, base_url: str) -> FeedTokenRead:
    """A new token for the member of staff; any earlier one stops working. `base_url` (no
    trailing slash) makes the feed URL absolute, as a calendar app needs it."""
    lock_key(session, f"feed-token:{staff.sub}")
    token = secrets.token_urlsafe(32)
    now = clock.now()
    row = session.get(FeedToken, staff.sub)
    before = _public(row) if row is not None else None
    if row is None:
        row = FeedToken(sub=staff.sub, token_hash=hash_token(token), created_at=now)
        session.add(row)
    else:
        row.token_hash = hash_token(token)
        row.created_at = now
    session.flush()
    # Neither the token nor its hash goes to the audit log or the outbox.
    audit.record(session, principal, "feed_token.issued", "feed_token", staff.sub, before=before, after=_public(row))
    outbox.emit(session, "feed_token.issued", staff.sub, {"sub": staff.sub, "issued_at": now, "replaced": before is not None})
    return FeedTokenRead(sub=staff.sub, token=token, feed_url=base_url + FEED_PATH.format(token=token), created_at=now)


def revoke_feed_token(session: Session, principal: Principal, staff: Staff) -> FeedTokenRevoked:
    lock_key(session, f"feed-token:{staff.sub}")
    row = session.get(FeedToken, staff.sub)
    if row is None:
        raise not_found("feed token")
    before = _public(row)
    now = clock.now()
    session.delete(row)
    session.flush()
    audit.record(session, principal, "feed_token.revoked", "feed_token", staff.sub, before=before, after=None)
    outbox.emit(session, "feed_token.revoked", staff.sub, {"sub": staff.sub, "revoked_at": now})
    return FeedTokenRevoked(sub=staff.sub, revoked_at=now)


def staff_for_token(session: Session, token: str) -> Staff:
    """The member of staff whose live feed token this is; 404 for any other string."""
    row = session.execute(select(FeedToken).where(FeedToken.token_hash == hash_token(token))).scalar_one_or_none()
    staff = session.get(Staff, row.sub) if row is not None else None
    if staff is None:
        raise not_found("feed")
    return staff


def _public(row: FeedToken) -> dict[str, Any]:
    return {"sub": row.sub, "created_at": row.created_at}

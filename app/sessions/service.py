"""Booking rules (R-20 to R-26, R-29): one path books a single session or a whole series,
checks every occurrence against the venue's hours, the room's ages, the CSW's hours and
cap, the child's school day and the past, and either books everything or nothing, naming
every clash. Moving one session runs the same checks; cancelling records who and why and
reports a session that did not go ahead; attendance counts come from one query. No HTTP
here.

Overlaps are checked before inserting, inside a write transaction that SQLite serialises;
on PostgreSQL the exclusion constraints are the last word, and a constraint violation
from a concurrent booking is turned into the same 409 naming the session that won.
"""

from __future__ import annotations

import datetime as datetime_module
import re
import types
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from dateutil.rrule import rrule, rrulestr
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app import freetext
from app.arrangements.models import Arrangement, ArrangementStatus
from app.children.models import Child, Person
from app.core import audit, clock, outbox
from app.core.config import Settings
from app.core.db import lock_key
from app.core.errors import AppError, Forbidden, invalid_field
from app.core.models import snapshot
from app.core.security import Principal
from app.sessions import policy
from app.sessions import rules
from app.sessions.models import CancelledBy, ContactSession, SessionAttendee, SessionStatus
from app.venues.models import Room, Staff, StaffRole, Venue
from app.sessions.schemas import CancelCreate, SessionCreate

LIVE = (SessionStatus.booked, SessionStatus.on_hold, SessionStatus.completed)


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime


SERIES_HORIZON = timedelta(days=5 * 366)
_UNTIL_UTC = re.compile(r"UNTIL=(\d{8}T\d{6})Z", re.IGNORECASE)


def expand(data_start: datetime, data_end: datetime, rule: str | None, settings: Settings) -> list[Slot]:
    """The occurrences of a booking: one, or an RFC 5545 rule expanded in local time so that
    16:00 stays 16:00 across a clock change (R-26).

    The rule is one RRULE value (no DTSTART, RDATE or EXDATE lines: the series starts at
    `starts_at`). It must end (COUNT or UNTIL; an UNTIL in UTC, as RFC 5545 asks for a
    start with a zone, is read as that instant) within five years and give at most
    `series_max_sessions` sessions. Expansion never looks past five years, so a rule that
    can never match costs milliseconds, not the walk to the year 9999."""
    if rule is None:
        return [Slot(data_start, data_end)]
    text = rule.removeprefix("RRULE:")
    if any(mark in text for mark in (":", "\n", "\r")):
        raise invalid_field("rrule", "must be one RRULE value, e.g. FREQ=WEEKLY;COUNT=12 (the series starts at starts_at)")
    upper = text.upper()
    if "COUNT=" not in upper and "UNTIL=" not in upper:
        raise invalid_field("rrule", "needs COUNT or UNTIL: a series must end")
    if "COUNT=" in upper and "UNTIL=" in upper:
        raise invalid_field("rrule", "takes COUNT or UNTIL, not both (RFC 5545)")
    zone = settings.calendar.zone
    local_start = data_start.astimezone(zone).replace(tzinfo=None)
    horizon = local_start + SERIES_HORIZON
    limit = settings.series_max_sessions
    length = data_end - data_start

    def local_until(match: re.Match[str]) -> str:
        instant = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        return "UNTIL=" + instant.astimezone(zone).strftime("%Y%m%dT%H%M%S")

    try:
        parsed = rrulestr(_UNTIL_UTC.sub(local_until, text), dtstart=local_start, ignoretz=True)
        count, until = parsed._count, parsed._until  # noqa: SLF001 (dateutil keeps them private)
        if count is not None and count > limit:
            raise invalid_field("rrule", f"gives more than {limit} sessions")
        if until is not None and until > horizon:
            raise invalid_field("rrule", "must end within five years of the first session")
        # Bounded by the horizon and by one more than the limit, so an over-long rule is
        # known without expanding it all.
        occurrences = []
        for occurrence in _walk(parsed.replace(count=None, until=until or horizon), horizon.year):
            occurrences.append(occurrence)
            if len(occurrences) > limit or (count is not None and len(occurrences) == count):
                break
    except (ValueError, TypeError, OverflowError) as exc:
        raise invalid_field("rrule", f"is not a valid RFC 5545 rule ({exc})") from None
    if not occurrences:
        raise invalid_field("rrule", "gives no sessions")
    if len(occurrences) > limit:
        raise invalid_field("rrule", f"gives more than {limit} sessions")
    if count is not None and len(occurrences) < count:
        raise invalid_field("rrule", f"gives only {len(occurrences)} of its {count} sessions within five years")
    slots = []
    for local in occurrences:
        starts = local.replace(tzinfo=zone)
        # A wall time that does not exist (inside the spring gap) or repeats is resolved by
        # zoneinfo's fold rules; the length stays the same elapsed time.
        starts_utc = starts.astimezone(UTC)
        slots.append(Slot(starts_utc, starts_utc + length))
    # The series must not clash with itself: FREQ=HOURLY for a 90-minute session would.
    for earlier, later in zip(slots, slots[1:]):
        if later.starts_at < earlier.ends_at:
            raise invalid_field("rrule", f"sessions would overlap each other ({_z(earlier.starts_at)} and {_z(later.starts_at)})")
    return slots


def _walk(rule: rrule, last_year: int) -> Iterator[datetime]:
    """The rule's occurrences, giving up after `last_year`.

    dateutil stops at UNTIL only when a candidate comes up, so a rule that can never match
    (BYMONTHDAY=31;BYMONTH=2, or INTERVAL=7;BYDAY=TU from a Monday) walks every day to the
    year 9999 first: seconds of CPU per request. Its generator is run with a calendar whose
    last year is `last_year` (dateutil reads `datetime.MAXYEAR` from its module globals);
    if dateutil ever changes shape, the plain generator is used."""
    generator = getattr(rrule, "_iter", None)
    code = getattr(generator, "__code__", None)
    if code is None or "datetime" not in getattr(generator, "__globals__", {}):
        return iter(rule)
    calendar_module = types.ModuleType("datetime")
    calendar_module.__dict__.update(datetime_module.__dict__)
    calendar_module.MAXYEAR = min(last_year, datetime_module.MAXYEAR)  # type: ignore[attr-defined]
    bounded = types.FunctionType(code, {**generator.__globals__, "datetime": calendar_module}, "_iter")
    return bounded(rule)


def clashes_for(
    session: Session, slots: list[Slot], *, room_id: uuid.UUID | None, csw_sub: str, child_id: uuid.UUID, ignore: set[uuid.UUID]
) -> list[dict[str, Any]]:
    """Every live session overlapping any slot in the same room, for the same CSW or the
    same child; one query for the whole series."""
    overlap = or_(*(and_(ContactSession.starts_at < s.ends_at, ContactSession.ends_at > s.starts_at) for s in slots))
    who = [ContactSession.csw_sub == csw_sub, ContactSession.child_id == child_id]
    if room_id is not None:
        who.append(ContactSession.room_id == room_id)
    statement = select(ContactSession).where(ContactSession.status.in_(LIVE), overlap, or_(*who))
    if ignore:
        statement = statement.where(ContactSession.id.not_in(ignore))
    found = []
    for other in session.execute(statement.order_by(ContactSession.starts_at)).scalars():
        on = [
            name
            for name, same in (
                ("room", room_id is not None and other.room_id == room_id),
                ("csw", other.csw_sub == csw_sub),
                ("child", other.child_id == child_id),
            )
            if same
        ]
        for slot in slots:
            if other.starts_at < slot.ends_at and other.ends_at > slot.starts_at:
                found.append(
                    {
                        "session_id": str(other.id),
                        "on": on,
                        "starts_at": _z(other.starts_at),
                        "ends_at": _z(other.ends_at),
                        "requested_starts_at": _z(slot.starts_at),
                    }
                )
    return found


def _z(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def clash_error(clashes: list[dict[str, Any]]) -> AppError:
    noun = "session" if len(clashes) == 1 else "sessions"
    return AppError(
        409,
        "booking-clash",
        "The time is already booked",
        f"Clashes with {len(clashes)} live {noun}: " + ", ".join(sorted({c["session_id"] for c in clashes})),
        extra={"clashes": clashes},
    )


def _staff(session: Session, sub: str) -> Staff:
    staff = session.get(Staff, sub)
    if staff is None or staff.role != StaffRole.contact_support_worker:
        raise invalid_field("csw_sub", "is not a contact support worker on the service's staff list")
    return staff


def _check_times(data: SessionCreate, settings: Settings) -> None:
    if data.ends_at <= data.starts_at:
        raise invalid_field("ends_at", "must be after starts_at")
    if data.ends_at - data.starts_at > timedelta(minutes=settings.session_max_minutes):
        raise invalid_field("ends_at", f"a session lasts at most {settings.session_max_minutes // 60} hours")


def _daily_counts(session: Session, csw_sub: str, slots: list[Slot], settings: Settings, ignore: set[uuid.UUID]) -> Counter:
    calendar = settings.calendar
    days = sorted({calendar.local_date(s.starts_at) for s in slots})
    first = datetime.combine(days[0], datetime.min.time(), tzinfo=calendar.zone)
    last = datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), tzinfo=calendar.zone)
    statement = select(ContactSession.starts_at).where(
        ContactSession.csw_sub == csw_sub,
        ContactSession.status.in_(LIVE),
        ContactSession.starts_at >= first,
        ContactSession.starts_at < last,
    )
    if ignore:
        statement = statement.where(ContactSession.id.not_in(ignore))
    return Counter(calendar.local_date(starts) for starts in session.execute(statement).scalars())


def _check_rules(
    session: Session,
    principal: Principal,
    settings: Settings,
    data: SessionCreate,
    slots: list[Slot],
    *,
    venue: Venue | None,
    staff: Staff,
    child: Child,
    ignore: set[uuid.UUID] = frozenset(),  # type: ignore[assignment]
) -> dict[str, Any]:
    """R-20, R-23, R-24 and past bookings; returns the overrides used, for the record."""
    calendar = settings.calendar
    now = clock.now()
    leader = policy.may_override_limits(principal)
    overrides: dict[str, Any] = {}
    if any(s.starts_at < now for s in slots):
        if not (leader and data.retrospective_reason):
            raise invalid_field("starts_at", "is in the past; a team leader may record a retrospective session with retrospective_reason")
        overrides["retrospective"] = {"by": principal.sub, "reason": data.retrospective_reason}
    if venue is not None:
        for slot in slots:
            if not rules.within_windows(venue.opening_hours, slot.starts_at, slot.ends_at, calendar):
                raise invalid_field("starts_at", f"{_z(slot.starts_at)} is outside the venue's opening hours")
    outside_hours = [s for s in slots if not rules.within_windows(staff.working_hours, s.starts_at, s.ends_at, calendar)]
    counts = _daily_counts(session, staff.sub, slots, settings, ignore)
    for slot in slots:
        counts[calendar.local_date(slot.starts_at)] += 1
    over_cap = sorted(day for day, n in counts.items() if n > staff.daily_cap and day in {calendar.local_date(s.starts_at) for s in slots})
    if outside_hours or over_cap:
        if not (leader and data.override_reason):
            if outside_hours:
                raise invalid_field(
                    "starts_at",
                    f"{_z(outside_hours[0].starts_at)} is outside the CSW's working hours; a team leader may override with override_reason",
                )
            raise AppError(
                409,
                "daily-cap",
                "The CSW's daily cap is reached",
                f"{staff.sub} would have more than {staff.daily_cap} sessions on {over_cap[0]}; "
                "a team leader may override with override_reason.",
                extra={"days": [d.isoformat() for d in over_cap]},
            )
        overrides["csw_limits"] = {"by": principal.sub, "reason": data.override_reason}
    begins, ends = (rules.parse_hhmm(part) for part in settings.school_day.split("-"))
    for slot in slots:
        age = rules.age_on(child.date_of_birth, calendar.local_date(slot.starts_at))
        school_age = settings.school_age_from <= age <= settings.school_age_to
        if school_age and rules.overlaps_school_day(slot.starts_at, slot.ends_at, calendar, (begins, ends)):
            if not data.school_hours_reason:
                raise invalid_field("starts_at", f"{_z(slot.starts_at)} is in school hours for a school-age child; give school_hours_reason")
            overrides["school_hours"] = {"by": principal.sub, "reason": data.school_hours_reason}
    return overrides


def _check_room_suits(room: Room | None, child: Child, slots: list[Slot], settings: Settings) -> None:
    """R-20: the room suits the child's age on the day (as availability offers it)."""
    if room is None:
        return
    for slot in slots:
        day = settings.calendar.local_date(slot.starts_at)
        age = rules.age_on(child.date_of_birth, day)
        if not room.min_age <= age <= room.max_age:
            raise invalid_field("room_id", f"suits ages {room.min_age} to {room.max_age}; the child is {age} on {day}")


def _attendees(session: Session, child: Child, data: SessionCreate, slot: Slot, settings: Settings) -> list[SessionAttendee]:
    gap = timedelta(minutes=settings.stagger_minutes)
    count = len(data.attendees)
    out = []
    for i, person_id in enumerate(data.attendees):
        if data.parties_must_not_meet:
            # Earliest first in, and first out once the session ends, each a gap apart, so
            # no two parties are in the building's entrance at once.
            arrive = slot.starts_at - gap * (count - i)
            leave = slot.ends_at + gap * (i + 1)
        else:
            arrive, leave = slot.starts_at, slot.ends_at
        out.append(SessionAttendee(person_id=person_id, arrive_at=arrive, leave_at=leave))
    return out


def _active(arrangement: Arrangement) -> None:
    if arrangement.status != ArrangementStatus.active:
        raise AppError(
            409, "arrangement-not-active", "The arrangement is not active",
            f"Sessions are booked for active arrangements; this one is {arrangement.status.value}.",
            extra={"current_state": arrangement.status.value},
        )


@dataclass(frozen=True)
class Place:
    room: Room | None
    venue: Venue | None
    location: str | None
    overrides: dict[str, Any]


def _place(session: Session, principal: Principal, data: SessionCreate, arrangement: Arrangement) -> Place:
    """A room (at `venue_id`, when given), or somewhere outside a venue (R-25)."""
    if data.room_id is not None:
        if data.outside is not None:
            raise invalid_field("outside", "a session is in a room or outside, not both")
        room = session.get(Room, data.room_id)
        if room is None:
            raise invalid_field("room_id", "there is no such room")
        if data.venue_id is not None and room.venue_id != data.venue_id:
            raise invalid_field("room_id", "is not a room of venue_id")
        return Place(room, session.get(Venue, room.venue_id), None, {})
    if data.outside is None:
        raise invalid_field("room_id", "book a room, or say where the session is with outside")
    if arrangement.court_arena:
        # court-arena contact stays in a venue unless a listed exception is
        # approved by a team leader with a risk note (004 s11).
        if data.outside.exception is None:
            raise invalid_field("outside.exception", "a court-arena session outside a venue needs one of the listed exceptions")
        if not data.outside.risk_note:
            raise invalid_field("outside.risk_note", "a court-arena session outside a venue needs a risk note")
        if not policy.may_approve_outside(principal):
            raise Forbidden("Only a team leader approves a court-arena session outside a venue.")
    overrides = {}
    if data.outside.exception is not None:
        overrides["outside"] = {"by": principal.sub, "exception": data.outside.exception.value, "risk_note": data.outside.risk_note}
    return Place(None, None, data.outside.location, overrides)


def book(
    session: Session, principal: Principal, settings: Settings, arrangement: Arrangement, data: SessionCreate
) -> tuple[uuid.UUID | None, list[ContactSession]]:
    """Book one session, or a whole series, for `arrangement` (which
    `sessions.deps.bookable_arrangement` found the caller may book); all or nothing."""
    _check_times(data, settings)
    slots = expand(data.starts_at, data.ends_at, data.rrule, settings)
    _active(arrangement)
    child = session.get(Child, arrangement.child_id)
    assert child is not None
    staff = _staff(session, data.csw_sub)
    place = _place(session, principal, data, arrangement)
    freetext.check(session, child.id, {"outside.location": data.outside.location if data.outside else None}, kind="sessions")
    room, venue = place.room, place.venue
    known = set(session.execute(select(Person.id).where(Person.child_id == child.id, Person.id.in_(data.attendees))).scalars())
    strangers = [i for i, person in enumerate(data.attendees) if person not in known]
    if strangers:
        raise invalid_field(f"attendees.{strangers[0]}", "is not in this child's network")

    for day in sorted({settings.calendar.local_date(s.starts_at) for s in slots}):
        lock_key(session, f"csw-day:{staff.sub}:{day}")
    _check_room_suits(room, child, slots, settings)
    overrides = _check_rules(session, principal, settings, data, slots, venue=venue, staff=staff, child=child)
    overrides.update(place.overrides)
    found = clashes_for(session, slots, room_id=data.room_id, csw_sub=staff.sub, child_id=child.id, ignore=set())
    if found:
        raise clash_error(found)

    now = clock.now()
    series_id = uuid.uuid4() if data.rrule else None
    booked: list[ContactSession] = []
    try:
        with session.begin_nested():
            for slot in slots:
                row = ContactSession(
                    arrangement_id=arrangement.id,
                    child_id=child.id,
                    room_id=room.id if room else None,
                    venue_id=venue.id if venue else None,
                    location=place.location,
                    csw_sub=staff.sub,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    series_id=series_id,
                    overrides=overrides,
                    retrospective="retrospective" in overrides,
                    created_at=now,
                    created_by=principal.sub,
                    updated_at=now,
                )
                session.add(row)
                session.flush()
                for attendee in _attendees(session, child, data, slot, settings):
                    attendee.session_id = row.id
                    session.add(attendee)
                booked.append(row)
            session.flush()
    except IntegrityError:
        # A concurrent booking won the race on PostgreSQL's exclusion constraint.
        found = clashes_for(session, slots, room_id=data.room_id, csw_sub=staff.sub, child_id=child.id, ignore=set())
        raise clash_error(found or [{"session_id": "unknown", "on": [], "starts_at": None, "ends_at": None}]) from None
    for row in booked:
        audit.record(session, principal, "session.booked", "session", row.id, before=None, after=snapshot(row))
        outbox.emit(session, "session.booked", row.id, event_data(row))
    return series_id, booked


def event_data(row: ContactSession) -> dict[str, Any]:
    """What subscribers get: ids and times, never a name, an address or a location note."""
    return {
        "session_id": row.id,
        "arrangement_id": row.arrangement_id,
        "child_id": row.child_id,
        "venue_id": row.venue_id,
        "room_id": row.room_id,
        "csw_sub": row.csw_sub,
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "series_id": row.series_id,
        "status": row.status,
    }


def attendees_of(session: Session, session_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[SessionAttendee]]:
    out: dict[uuid.UUID, list[SessionAttendee]] = {i: [] for i in session_ids}
    if session_ids:
        rows = session.execute(
            select(SessionAttendee).where(SessionAttendee.session_id.in_(session_ids)).order_by(SessionAttendee.arrive_at)
        ).scalars()
        for row in rows:
            out[row.session_id].append(row)
    return out


def cancel(session: Session, principal: Principal, settings: Settings, row: ContactSession, data: CancelCreate) -> ContactSession:
    """R-29: who and why; a late cancellation is counted; a session called off once it was
    due to start did not go ahead, and the report to the social worker and carer is due by
    10:00 the next working day."""
    if row.status not in (SessionStatus.booked, SessionStatus.on_hold):
        raise AppError(
            409, "wrong-state", "Not allowed in this state", f"Cannot cancel a session that is {row.status.value}.",
            extra={"current_state": row.status.value},
        )
    if data.person_id is not None:
        known = session.execute(select(Person.id).where(Person.id == data.person_id, Person.child_id == row.child_id)).scalar()
        if known is None:
            raise invalid_field("person_id", "is not in this child's network")
    before = snapshot(row)
    now = clock.now()
    row.status = SessionStatus.cancelled
    row.cancelled_at = now
    row.cancelled_by = data.cancelled_by
    row.cancelled_by_person_id = data.person_id
    row.cancelled_by_sub = principal.sub
    row.cancel_reason = data.reason
    row.late_cancellation = row.starts_at - now < timedelta(hours=settings.late_cancellation_hours)
    row.version += 1
    row.updated_at = now
    session.flush()
    audit.record(session, principal, "session.cancelled", "session", row.id, before=before, after=snapshot(row))
    outbox.emit(
        session, "session.cancelled", row.id,
        {**event_data(row), "cancelled_by": data.cancelled_by, "late": row.late_cancellation, "cancelled_at": now},
    )
    if now >= row.starts_at:
        calendar = settings.calendar
        next_day = calendar.nth_working_day_after(calendar.local_date(now), 1)
        # 10:00 local on that day, sent as a UTC instant like every other.
        report_due = datetime.combine(next_day, time(10, 0), tzinfo=calendar.zone).astimezone(UTC)
        outbox.emit(
            session, "session.not_held", row.id,
            {**event_data(row), "cancelled_by": data.cancelled_by, "report_due_by": report_due, "notify": ["social_worker", "carer"]},
        )
    return row


def attendance_counts(session: Session, arrangement_id: uuid.UUID) -> list[dict[str, Any]]:
    """Late cancellations and sessions not held, per person or party who called them off
    (R-29): one grouped query. The two are apart: a session called off once due to start
    counts as not held (non-attendance), not also as a late cancellation."""
    held_off = ContactSession.cancelled_at >= ContactSession.starts_at
    late = func.sum(case((and_(ContactSession.late_cancellation, ~held_off), 1), else_=0))
    not_held = func.sum(case((held_off, 1), else_=0))
    rows = session.execute(
        select(ContactSession.cancelled_by_person_id, ContactSession.cancelled_by, late, not_held, func.count())
        .where(ContactSession.arrangement_id == arrangement_id, ContactSession.status == SessionStatus.cancelled)
        .group_by(ContactSession.cancelled_by_person_id, ContactSession.cancelled_by)
        .order_by(ContactSession.cancelled_by)
    ).all()
    return [
        {"person_id": person, "cancelled_by": by, "cancellations": int(total), "late_cancellations": int(late_n or 0), "not_held": int(held or 0)}
        for person, by, late_n, held, total in rows
    ]


def move(session: Session, principal: Principal, settings: Settings, row: ContactSession, data: SessionCreate) -> ContactSession:
    """R-26: move one session (an occurrence of a series alone) to a new time, room or CSW,
    under the same rules as a booking, ignoring itself. Without `room_id` or `outside` it
    stays where it was; its attendees keep their staggering."""
    if row.status != SessionStatus.booked:
        raise AppError(
            409, "wrong-state", "Not allowed in this state", f"Cannot move a session that is {row.status.value}.",
            extra={"current_state": row.status.value},
        )
    if data.arrangement_id != row.arrangement_id:
        raise invalid_field("arrangement_id", "a session stays with its arrangement")
    if data.rrule is not None:
        raise invalid_field("rrule", "a move applies to one session")
    arrangement = session.get(Arrangement, row.arrangement_id)
    assert arrangement is not None
    _active(arrangement)
    child = session.get(Child, row.child_id)
    assert child is not None
    _check_times(data, settings)
    staff = _staff(session, data.csw_sub)
    if data.room_id is None and data.outside is None:
        room = session.get(Room, row.room_id) if row.room_id is not None else None
        if data.venue_id is not None and (room is None or room.venue_id != data.venue_id):
            raise invalid_field("venue_id", "the session's room is not at this venue; give room_id")
        venue = session.get(Venue, room.venue_id) if room is not None else None
        place = Place(room, venue, row.location, {})
    else:
        place = _place(session, principal, data, arrangement)
    freetext.check(session, child.id, {"outside.location": data.outside.location if data.outside else None}, kind="sessions")
    room, venue = place.room, place.venue
    room_id = room.id if room is not None else None
    slot = Slot(data.starts_at, data.ends_at)
    lock_key(session, f"csw-day:{staff.sub}:{settings.calendar.local_date(slot.starts_at)}")
    _check_room_suits(room, child, [slot], settings)
    overrides = _check_rules(session, principal, settings, data, [slot], venue=venue, staff=staff, child=child, ignore={row.id})
    overrides.update(place.overrides)
    found = clashes_for(session, [slot], room_id=room_id, csw_sub=staff.sub, child_id=child.id, ignore={row.id})
    if found:
        raise clash_error(found)
    before = snapshot(row)
    now = clock.now()
    try:
        with session.begin_nested():
            row.starts_at, row.ends_at = slot.starts_at, slot.ends_at
            row.room_id = room_id
            row.venue_id = venue.id if venue else None
            row.location = place.location
            row.csw_sub = staff.sub
            row.overrides = {**row.overrides, **overrides}
            row.version += 1
            row.updated_at = now
            session.flush()
    except IntegrityError:
        found = clashes_for(session, [slot], room_id=room_id, csw_sub=staff.sub, child_id=child.id, ignore={row.id})
        raise clash_error(found or [{"session_id": "unknown", "on": [], "starts_at": None, "ends_at": None}]) from None
    shift_attendees(session, row, before)
    audit.record(session, principal, "session.moved", "session", row.id, before=before, after=snapshot(row))
    outbox.emit(session, "session.moved", row.id, {**event_data(row), "moved_from": {"starts_at": before["starts_at"], "ends_at": before["ends_at"]}})
    return row


def shift_attendees(session: Session, row: ContactSession, before: dict[str, Any]) -> None:
    """Attendees keep their staggering relative to the session's new times."""
    delta = row.starts_at - datetime.fromisoformat(before["starts_at"])
    length_change = (row.ends_at - row.starts_at) - (datetime.fromisoformat(before["ends_at"]) - datetime.fromisoformat(before["starts_at"]))
    for attendee in attendees_of(session, [row.id])[row.id]:
        attendee.arrive_at += delta
        attendee.leave_at += delta + length_change
    session.flush()


__all__ = ["CancelledBy", "book", "cancel"]

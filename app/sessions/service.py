"""Booking (R-21 to R-26, R-29): one path books a single session or a whole series, loads
what the booking rules need (the venue, the room, the CSW, the child, the CSW's sessions of
those days) and has `sessions.rules` judge every occurrence, then either books everything
or nothing, naming every clash. Moving one session runs the same rules; cancelling records
who and why and reports a session that did not go ahead; attendance counts come from one
query. Series come from `sessions.recurrence`. No HTTP here.

Overlaps are checked before inserting, inside a write transaction that SQLite serialises;
on PostgreSQL the exclusion constraints are the last word, and a constraint violation
from a concurrent booking is turned into the same 409 naming the session that won.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app import freetext
from app.arrangements.models import Arrangement
from app.calendar.deadlines import WorkingCalendar, working_calendar
from app.children.models import Child, Person
from app.core import clock, outbox
from app.core.changes import record_change
from app.core.config import Settings
from app.core.db import deadlocked, lock_key, lost_race
from app.core.errors import Clash, WrongState, invalid_field
from app.core.models import snapshot
from app.core.pagination import Page, PageParams, paginate
from app.core.periods import Period
from app.core.security import Principal
from app.sessions import policy, recurrence, rules
from app.sessions.models import (
    LIVE_STATUSES,
    CancelledBy,
    ContactSession,
    SessionAttendee,
    SessionStatus,
)
from app.sessions.rules import Slot
from app.sessions.schemas import CancelCreate, SessionCreate
from app.venues.models import Room, Staff, StaffRole, Venue


def expand(data_start: datetime, data_end: datetime, rule: str | None, rulebook: rules.Rulebook) -> list[Slot]:
    """The occurrences of a booking: one, or a series of the same length from an RFC 5545
    rule (`sessions.recurrence`) that must not overlap itself (R-22)."""
    if rule is None:
        return [Slot(data_start, data_end)]
    try:
        starts = recurrence.starts_of(rule, data_start, rulebook.zone, rulebook.series_max_sessions)
    except recurrence.RuleError as exc:
        raise invalid_field("rrule", str(exc)) from None
    length = data_end - data_start
    slots = [Slot(instant, instant + length) for instant in starts]
    # FREQ=HOURLY for a 90-minute session would clash with itself.
    for earlier, later in pairwise(slots):
        if rules.overlaps(earlier.starts_at, earlier.ends_at, later.starts_at, later.ends_at):
            raise invalid_field(
                "rrule", f"sessions would overlap each other ({rules.iso_z(earlier.starts_at)} and {rules.iso_z(later.starts_at)})"
            )
    return slots


def clashes_for(
    session: Session, slots: list[Slot], *, room_id: uuid.UUID | None, csw_sub: str, child_id: uuid.UUID, ignore: set[uuid.UUID]
) -> list[dict[str, Any]]:
    """Every live session overlapping any slot in the same room, for the same CSW or the
    same child; one query for the whole series."""
    overlap = or_(*(and_(ContactSession.starts_at < s.ends_at, ContactSession.ends_at > s.starts_at) for s in slots))
    who = [ContactSession.csw_sub == csw_sub, ContactSession.child_id == child_id]
    if room_id is not None:
        who.append(ContactSession.room_id == room_id)
    statement = select(ContactSession).where(ContactSession.status.in_(LIVE_STATUSES), overlap, or_(*who))
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
            if rules.overlaps(other.starts_at, other.ends_at, slot.starts_at, slot.ends_at):
                found.append(
                    {
                        "session_id": str(other.id),
                        "on": on,
                        "starts_at": rules.iso_z(other.starts_at),
                        "ends_at": rules.iso_z(other.ends_at),
                        "requested_starts_at": rules.iso_z(slot.starts_at),
                    }
                )
    return found


def _staff(session: Session, sub: str) -> Staff:
    staff = session.get(Staff, sub)
    if staff is None or staff.role != StaffRole.contact_support_worker:
        raise invalid_field("csw_sub", "is not a contact support worker on the service's staff list")
    return staff


def _booked_per_day(session: Session, csw_sub: str, slots: list[Slot], calendar: WorkingCalendar, ignore: set[uuid.UUID]) -> Counter:
    """R-23: the CSW's live sessions starting on each local day of `slots`, besides `ignore`."""
    days = sorted({calendar.local_date(s.starts_at) for s in slots})
    first = datetime.combine(days[0], datetime.min.time(), tzinfo=calendar.zone)
    last = datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), tzinfo=calendar.zone)
    statement = select(ContactSession.starts_at).where(
        ContactSession.csw_sub == csw_sub,
        ContactSession.status.in_(LIVE_STATUSES),
        ContactSession.starts_at >= first,
        ContactSession.starts_at < last,
    )
    if ignore:
        statement = statement.where(ContactSession.id.not_in(ignore))
    return Counter(calendar.local_date(starts) for starts in session.execute(statement).scalars())


@dataclass(frozen=True)
class Place:
    room: Room | None
    venue: Venue | None
    location: str | None
    overrides: dict[str, Any]


def _judge(
    session: Session,
    principal: Principal,
    rulebook: rules.Rulebook,
    data: SessionCreate,
    slots: list[Slot],
    *,
    place: Place,
    staff: Staff,
    child: Child,
    attendees: int,
    ignore: set[uuid.UUID] = frozenset(),  # type: ignore[assignment]
) -> dict[str, Any]:
    """`rules.check_booking` on what it needs; returns the overrides used, for the record.
    The CSW's days are locked first, so two bookings cannot both pass the daily cap."""
    for day in sorted({rulebook.calendar.local_date(s.starts_at) for s in slots}):
        lock_key(session, f"csw-day:{staff.sub}:{day}")
    overrides = rules.check_booking(
        rulebook,
        clock.now(),
        slots,
        opening_hours=rules.weekly(place.venue.opening_hours) if place.venue is not None else None,
        room=rules.RoomFacts.of(place.room) if place.room is not None else None,
        csw=rules.CswFacts.of(staff),
        date_of_birth=child.date_of_birth,
        attendees=attendees,
        booked=_booked_per_day(session, staff.sub, slots, rulebook.calendar, ignore),
        authority=rules.Authority(
            principal.sub,
            policy.may_override_limits(principal),
            override_reason=data.override_reason,
            school_hours_reason=data.school_hours_reason,
            retrospective_reason=data.retrospective_reason,
        ),
    )
    return {**overrides, **place.overrides}


def _attendees(data: SessionCreate, slot: Slot, rulebook: rules.Rulebook) -> list[SessionAttendee]:
    times = rules.staggered(slot.starts_at, slot.ends_at, len(data.attendees), rulebook.stagger, data.parties_must_not_meet)
    return [SessionAttendee(person_id=person_id, arrive_at=arrive, leave_at=leave) for person_id, (arrive, leave) in zip(data.attendees, times)]


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
    overrides = rules.check_outside(
        arrangement.court_arena,
        data.outside.exception.value if data.outside.exception is not None else None,
        data.outside.risk_note,
        may_approve=policy.may_approve_outside(principal),
        by=principal.sub,
    )
    return Place(None, None, data.outside.location, overrides)


def book(
    session: Session, principal: Principal, settings: Settings, arrangement: Arrangement, data: SessionCreate
) -> tuple[uuid.UUID | None, list[ContactSession]]:
    """Book one session, or a whole series, for `arrangement` (which
    `sessions.deps.bookable_arrangement` found the caller may book); all or nothing."""
    rulebook = rules.Rulebook.of(settings)
    rules.check_times(rulebook, data.starts_at, data.ends_at)
    slots = expand(data.starts_at, data.ends_at, data.rrule, rulebook)
    rules.require_active(arrangement.status)
    child = session.get(Child, arrangement.child_id)
    assert child is not None
    staff = _staff(session, data.csw_sub)
    place = _place(session, principal, data, arrangement)
    freetext.check(session, child.id, {"outside.location": data.outside.location if data.outside else None}, kind="sessions")
    room, venue = place.room, place.venue
    known = (
        set(session.execute(select(Person.id).where(Person.child_id == child.id, Person.id.in_(data.attendees))).scalars())
        if data.attendees
        else set()
    )
    strangers = [i for i, person in enumerate(data.attendees) if person not in known]
    if strangers:
        raise invalid_field(f"attendees.{strangers[0]}", "is not in this child's network")

    overrides = _judge(session, principal, rulebook, data, slots, place=place, staff=staff, child=child, attendees=len(data.attendees))
    found = clashes_for(session, slots, room_id=data.room_id, csw_sub=staff.sub, child_id=child.id, ignore=set())
    if found:
        raise Clash(found)

    now = clock.now()
    series_id = uuid.uuid4() if data.rrule else None

    def insert() -> list[ContactSession]:
        rows: list[ContactSession] = []
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
                for attendee in _attendees(data, slot, rulebook):
                    attendee.session_id = row.id
                    session.add(attendee)
                rows.append(row)
            session.flush()
        return rows

    booked: list[ContactSession] = []
    for attempt in (1, 2):
        try:
            booked = insert()
            break
        except DBAPIError as exc:
            if not lost_race(exc):
                raise
            if attempt == 1 and deadlocked(exc):
                # Two bookings each inserted, then waited for the other's row (exclusion
                # constraints check after inserting) and PostgreSQL aborted this one. Once
                # more: now it waits for the other to commit, then clashes with it.
                continue
            # A concurrent booking won the race on PostgreSQL's exclusion constraints.
            found = clashes_for(session, slots, room_id=data.room_id, csw_sub=staff.sub, child_id=child.id, ignore=set())
            raise Clash(found) from None  # empty if the winner cannot be read back: still a clash
    for row in booked:
        record_change(session, principal, "session.booked", "session", row, before=None, event=event_data(row))
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
        raise WrongState("session", "cancel", row.status.value)
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
    record_change(
        session, principal, "session.cancelled", "session", row, before=before,
        event={**event_data(row), "cancelled_by": data.cancelled_by, "late": row.late_cancellation, "cancelled_at": now},
    )
    if now >= row.starts_at:
        calendar = working_calendar(settings)
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
        raise WrongState("session", "move", row.status.value)
    if data.arrangement_id != row.arrangement_id:
        raise invalid_field("arrangement_id", "a session stays with its arrangement")
    if data.rrule is not None:
        raise invalid_field("rrule", "a move applies to one session")
    arrangement = session.get(Arrangement, row.arrangement_id)
    assert arrangement is not None
    rules.require_active(arrangement.status)
    child = session.get(Child, row.child_id)
    assert child is not None
    rulebook = rules.Rulebook.of(settings)
    rules.check_times(rulebook, data.starts_at, data.ends_at)
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
    # Its attendees come along (the body's `attendees` are not read), so they must fit the room.
    attendees = len(attendees_of(session, [row.id])[row.id])
    overrides = _judge(session, principal, rulebook, data, [slot], place=place, staff=staff, child=child, attendees=attendees, ignore={row.id})
    found = clashes_for(session, [slot], room_id=room_id, csw_sub=staff.sub, child_id=child.id, ignore={row.id})
    if found:
        raise Clash(found)
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
    except DBAPIError as exc:
        if not lost_race(exc):
            raise
        found = clashes_for(session, [slot], room_id=room_id, csw_sub=staff.sub, child_id=child.id, ignore={row.id})
        raise Clash(found) from None  # empty if the winner cannot be read back: still a clash
    shift_attendees(session, row, before)
    record_change(
        session, principal, "session.moved", "session", row, before=before,
        event={**event_data(row), "moved_from": {"starts_at": before["starts_at"], "ends_at": before["ends_at"]}},
    )
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


def hold_future(session: Session, principal: Principal, arrangement_id: uuid.UUID) -> list[ContactSession]:
    """R-52a: the arrangement's booked sessions still to start go on hold, kept, not deleted;
    a held session frees its room, CSW and child until it is resumed."""
    now = clock.now()
    rows = session.execute(
        select(ContactSession)
        .where(
            ContactSession.arrangement_id == arrangement_id,
            ContactSession.status == SessionStatus.booked,
            ContactSession.starts_at > now,
        )
        .order_by(ContactSession.starts_at)
    ).scalars().all()
    for row in rows:
        before = snapshot(row)
        row.status = SessionStatus.on_hold
        row.version += 1
        row.updated_at = now
        record_change(session, principal, "session.held", "session", row, before=before, event=event_data(row))
    return list(rows)


def resume_held(session: Session, principal: Principal, arrangement_id: uuid.UUID) -> tuple[list[ContactSession], list[dict[str, Any]]]:
    """R-52a: each held session still to start is booked again where its room, CSW and child
    are still free; the others stay on hold, answered as clashes to rebook (move or cancel).
    A held session whose time has passed without it is left for its cancellation."""
    now = clock.now()
    held = session.execute(
        select(ContactSession)
        .where(
            ContactSession.arrangement_id == arrangement_id,
            ContactSession.status == SessionStatus.on_hold,
            ContactSession.starts_at > now,
        )
        .order_by(ContactSession.starts_at)
    ).scalars().all()
    resumed: list[ContactSession] = []
    clashes: list[dict[str, Any]] = []
    for row in held:
        before = snapshot(row)
        slot = Slot(row.starts_at, row.ends_at)
        found = clashes_for(session, [slot], room_id=row.room_id, csw_sub=row.csw_sub, child_id=row.child_id, ignore={row.id})
        raced = False
        if not found:
            try:
                with session.begin_nested():
                    row.status = SessionStatus.booked
                    session.flush()
            except DBAPIError as exc:
                if not lost_race(exc):
                    raise
                # A booking made meanwhile won PostgreSQL's exclusion constraints; it may
                # not be readable yet, and the slot is taken all the same.
                session.refresh(row)
                found = clashes_for(session, [slot], room_id=row.room_id, csw_sub=row.csw_sub, child_id=row.child_id, ignore={row.id})
                raced = True
        if found or raced:
            clashes.append({"session_id": str(row.id), "starts_at": rules.iso_z(row.starts_at), "clashes": found})
            continue
        row.version += 1
        row.updated_at = now
        record_change(session, principal, "session.resumed", "session", row, before=before, event=event_data(row))
        resumed.append(row)
    return resumed, clashes


def cancel_open(session: Session, principal: Principal, settings: Settings, arrangement_id: uuid.UUID, reason: str) -> list[ContactSession]:
    """Closing an arrangement (R-52a): its booked and held sessions still to start are
    cancelled by the service, with the reason."""
    rows = session.execute(
        select(ContactSession)
        .where(
            ContactSession.arrangement_id == arrangement_id,
            ContactSession.status.in_((SessionStatus.booked, SessionStatus.on_hold)),
            ContactSession.starts_at > clock.now(),
        )
        .order_by(ContactSession.starts_at)
    ).scalars().all()
    for row in rows:
        cancel(session, principal, settings, row, CancelCreate(cancelled_by=CancelledBy.service, reason=reason))
    return list(rows)


def arrangement_page(
    session: Session, arrangement_id: uuid.UUID, readable: ColumnElement[bool], page: PageParams,
    statuses: list[SessionStatus] | None, period: Period,
) -> Page[ContactSession]:
    """R-83: the arrangement's sessions the caller may read (`readable`, from the policy),
    earliest start first; only those in `statuses` and starting in `period`."""
    statement = select(ContactSession).where(
        ContactSession.arrangement_id == arrangement_id, readable, *period.where(ContactSession.starts_at)
    )
    if statuses:
        statement = statement.where(ContactSession.status.in_(statuses))
    return paginate(session, statement, [ContactSession.starts_at, ContactSession.id], page, lambda row: row)

"""Free slots (R-27): where and with whom a session of a given length could be booked in
a venue or an area between two instants, under the booking rules R-20 to R-24, judged by
the booking path's own `sessions.rules`. No HTTP here.

Two halves, kept apart:

* `load` runs a constant number of queries whatever the range, the rooms or the CSWs
  (venues, rooms, staff, the arrangement's child, and one query for every live session
  touching those rooms, those CSWs or that child in the range), and turns the rows into
  plain `Facts`.
* `free_slots` is pure arithmetic on those facts: no database, no clock.

The grid: a slot starts on a local wall-clock quarter hour of the service's zone (:00,
:15, :30, :45; `GRID_MINUTES`), the same steps the default opening hours (08:30) and the
stagger (15 minutes) use, and lasts `duration_minutes` of elapsed time (a session across a
clock change is that many real minutes, as a booking is). A wall time that does not exist
(inside the spring gap) is skipped; a repeated one (the autumn hour) is offered once, at
its first occurrence. Both only matter for a venue open in the small hours.

A slot is offered for a (room, CSW) pair when a booking of it, with the arrangement's child
and nobody else attending, passes `sessions.rules` as `sessions.service.book` applies them:

* it is not in the past (`rules.is_past`), starts at or after `from` and ends by `to`;
* it lies inside one window of the venue's opening hours and one of the CSW's working
  hours on the same local day (`rules.fits` on `rules.weekly` minutes);
* no live session (`LIVE_STATUSES`) overlaps it in the room, for the CSW, or for the
  arrangement's child (`rules.overlaps`, as binary searches in `Busy`);
* the CSW is not at their daily cap that local day (`rules.over_cap`);
* the room holds the child and the CSW (`rules.room_admits`: availability does not know
  who else will attend, so a booking with more people may still find the room too small);
* with an arrangement: its child's age that day suits the room, and, when the child is of
  school age on a school day (`rules.school_day_applies`), the slot does not touch the school
  day (`rules.touches_school_day`).

Rules are applied per day where they can be (which rooms and CSWs could be there at all,
the child's age, school day or not) and per start time otherwise. Slots come ordered by
(starts_at, room_id, csw_sub) and are generated lazily in that order, so a page stops as
soon as it is full: a page after a cursor costs about what the first does.
"""

from __future__ import annotations

import bisect
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Float, String, Uuid, case, column, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session

from app.arrangements.models import Arrangement
from app.availability.schemas import AvailabilityQuery, AvailabilitySlot
from app.children.models import Child
from app.core.config import Settings
from app.core.errors import NotFound, check_area, invalid_field
from app.core.pagination import Page, PageParams, decode_cursor, encode_cursor
from app.core.types import UTCDateTime
from app.sessions import rules
from app.sessions.models import LIVE_STATUSES, ContactSession
from app.sessions.rules import CswFacts, RoomFacts, Weekly
from app.venues.models import Room, Staff, StaffRole, Venue

GRID_MINUTES = 15
MIN_DURATION_MINUTES = 15
MAX_DURATION_MINUTES = 480
MAX_RANGE_DAYS = 92
# The cursor's key, typed for `decode_cursor` (the model's csw_sub column has no Python type).
CURSOR_KEY = (column("starts_at", UTCDateTime()), column("room_id", Uuid()), column("csw_sub", String()))


# --------------------------------------------------------------------------- pure part


@dataclass(frozen=True)
class Busy:
    """One room's, CSW's or child's live sessions as epoch seconds sorted by start: a
    free-or-not look-up is a binary search. `max_ends[i]` is the latest end among the first
    i+1 sessions, so overlapping rows (never on PostgreSQL) still answer correctly. Kept as
    lists of floats, which the garbage collector does not track."""

    starts: Sequence[float] = ()
    max_ends: Sequence[float] = ()

    @classmethod
    def of(cls, starts: Sequence[float], ends: Sequence[float]) -> Busy:
        order = sorted(range(len(starts)), key=starts.__getitem__)
        max_ends: list[float] = []
        latest = float("-inf")
        for i in order:
            if ends[i] > latest:
                latest = ends[i]
            max_ends.append(latest)
        return cls([starts[i] for i in order], max_ends)

    def free(self, start: float, end: float) -> bool:
        """True when no session overlaps [start, end) (`rules.overlaps`, by binary search)."""
        before_end = bisect.bisect_left(self.starts, end)  # sessions starting before `end`
        return before_end == 0 or self.max_ends[before_end - 1] <= start


NOT_BUSY = Busy()


@dataclass
class Facts:
    """Everything the arithmetic needs, loaded once."""

    opening_hours: dict[uuid.UUID, Weekly]  # by venue
    rooms: list[RoomFacts]
    csws: list[CswFacts]
    room_busy: dict[uuid.UUID, Busy] = field(default_factory=dict)
    csw_busy: dict[str, Busy] = field(default_factory=dict)
    csw_day_counts: Counter[tuple[str, date]] = field(default_factory=Counter)
    child_date_of_birth: date | None = None
    child_busy: Busy = NOT_BUSY


# A start's local minute and a length in seconds -> (start, end) in epoch seconds and the
# end's local minute, or None when the start does not exist (spring gap) or the slot runs
# into the next day.
DayClock = Callable[[int, float], tuple[float, float, float] | None]


def _day_clock(day: date, zone: ZoneInfo) -> DayClock:
    """The clock of one local day. Constant arithmetic on a steady day (no clock change, so
    wall minutes and elapsed minutes agree); on a clock change the zone is asked, as
    `rules.local_span` reads a booking."""
    midnight = datetime.combine(day, time(0))
    offset = zone.utcoffset(midnight)
    if offset == zone.utcoffset(midnight + timedelta(days=1)):
        base = (midnight - offset).replace(tzinfo=UTC).timestamp()  # type: ignore[operator]

        def steady(minute: int, length: float) -> tuple[float, float, float] | None:
            end_minute = minute + length / 60
            if end_minute > rules.MINUTES_A_DAY:
                return None
            start = base + minute * 60
            return start, start + length, end_minute

        return steady

    def changing(minute: int, length: float) -> tuple[float, float, float] | None:
        starts = rules.wall_instant(day, minute, zone)
        if starts is None:
            return None
        span = rules.local_span(starts, starts + timedelta(seconds=length), zone)
        if span.ends > rules.MINUTES_A_DAY:
            return None
        start = starts.timestamp()
        return start, start + length, span.ends

    return changing


def free_slots(
    facts: Facts,
    rulebook: rules.Rulebook,
    *,
    starts: datetime,
    ends: datetime,
    duration: timedelta,
    now: datetime,
    after: tuple[datetime, uuid.UUID, str] | None = None,
) -> Iterator[tuple[datetime, datetime, uuid.UUID, str]]:
    """(starts_at, ends_at, room_id, csw_sub) of every free slot in [starts, ends), in
    (starts_at, room_id, csw_sub) order, after `after` when given (a cursor).

    Work is done per day where it can be (which rooms and CSWs could be there at all, the
    child's age, school day or not) and per start time otherwise; look-ups are binary
    searches on epoch seconds, and a datetime is only made for a slot yielded."""
    zone = rulebook.zone
    length = duration.total_seconds()
    # A slot starting before now is past (a booking of it would need a team leader's reason).
    earliest = now if rules.is_past(starts, now) else starts
    if after is not None:
        earliest = max(earliest, after[0])
    if earliest + duration > ends:
        return
    earliest_s, ends_s = earliest.timestamp(), ends.timestamp()
    after_s = after[0].timestamp() if after is not None else None
    rooms = sorted(facts.rooms, key=lambda r: r.id)
    csws = sorted(facts.csws, key=lambda c: c.sub)
    dob = facts.child_date_of_birth
    child_free = facts.child_busy.free
    day = earliest.astimezone(zone).date()
    last_day = (ends - duration).astimezone(zone).date()
    while day <= last_day:
        today, day = day, day + timedelta(days=1)
        weekday = today.weekday()
        age = rules.age_on(dob, today) if dob is not None else None
        rooms_today = [
            (r.id, r.venue_id, facts.room_busy.get(r.id, NOT_BUSY).free)
            for r in rooms
            if facts.opening_hours[r.venue_id].get(weekday) and rules.room_admits(r, age)
        ]
        if not rooms_today:
            continue
        csws_today = [
            (c.sub, c.hours[weekday], facts.csw_busy.get(c.sub, NOT_BUSY).free)
            for c in csws
            if c.hours.get(weekday) and not rules.over_cap(facts.csw_day_counts[(c.sub, today)], 1, c.daily_cap)
        ]
        if not csws_today:
            continue
        school_today = age is not None and rules.school_day_applies(rulebook, today, age)
        venue_windows = {venue_id: facts.opening_hours[venue_id][weekday] for _, venue_id, _ in rooms_today}
        minutes = sorted(
            {
                minute
                for windows in venue_windows.values()
                for opens, closes in windows
                for minute in range(-(-opens // GRID_MINUTES) * GRID_MINUTES, closes, GRID_MINUTES)
            }
        )
        clock = _day_clock(today, zone)
        for minute in minutes:
            interval = clock(minute, length)
            if interval is None:
                continue
            s, e, end_minute = interval
            if s < earliest_s:
                continue
            if e > ends_s:
                break  # later starts end later still
            if school_today and rules.touches_school_day(rulebook, minute, end_minute):
                continue
            if not child_free(s, e):
                continue
            open_venues = {v for v, windows in venue_windows.items() if rules.fits(windows, minute, end_minute)}
            if not open_venues:
                continue
            free_csws = [sub for sub, hours, free in csws_today if rules.fits(hours, minute, end_minute) and free(s, e)]
            if not free_csws:
                continue
            free_rooms = [room_id for room_id, venue_id, free in rooms_today if venue_id in open_venues and free(s, e)]
            if not free_rooms:
                continue
            slot_start = datetime.fromtimestamp(s, UTC)
            slot_end = slot_start + duration
            resume = s == after_s
            for room_id in free_rooms:
                for sub in free_csws:
                    if resume and (room_id, sub) <= (after[1], after[2]):  # type: ignore[index]
                        continue
                    yield slot_start, slot_end, room_id, sub


# --------------------------------------------------------------------------- queries


class _EpochSeconds(TypeDecorator[float]):
    """An instant as float seconds since 1970 (UTC). PostgreSQL computes it (a float8, no
    conversion per row); SQLite hands back the stored UTC wall time as text, converted here."""

    impl = Float
    cache_ok = True

    def result_processor(self, dialect: Any, coltype: Any) -> Callable[[Any], float | None] | None:
        if dialect.name == "postgresql":
            return None
        return self._from_text

    @staticmethod
    def _from_text(value: Any) -> float | None:
        if value is None:
            return None
        if isinstance(value, str):
            return datetime.fromisoformat(value).replace(tzinfo=UTC).timestamp()
        return float(value)


class epoch_seconds(FunctionElement[float]):  # noqa: N801 - a SQL function's name
    type = _EpochSeconds()
    inherit_cache = True
    name = "epoch_seconds"


@compiles(epoch_seconds)
def _epoch_default(element: epoch_seconds, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element: epoch_seconds, compiler: Any, **kw: Any) -> str:
    return f"CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) AS DOUBLE PRECISION)"


def validate(query: AvailabilityQuery, settings: Settings) -> None:
    if (query.venue_id is None) == (query.area is None):
        raise invalid_field("venue_id", "give exactly one of venue_id and area", location="query")
    if query.area is not None:
        check_area(settings.areas, query.area, location="query")
    if query.duration_minutes > settings.session_max_minutes:
        raise invalid_field("duration_minutes", f"a session lasts at most {settings.session_max_minutes} minutes", location="query")
    if query.ends <= query.starts:
        raise invalid_field("to", "must be after from", location="query")
    if query.ends - query.starts > timedelta(days=MAX_RANGE_DAYS):
        raise invalid_field("to", f"the range is at most {MAX_RANGE_DAYS} days", location="query")


ROWS_AT_ONCE = 256  # under the collector's first threshold (700 new objects)
STAFF_COLUMNS = (Staff.sub, Staff.role, Staff.working_hours, Staff.daily_cap)


def load(session: Session, settings: Settings, rulebook: rules.Rulebook, query: AvailabilityQuery) -> Facts:
    """The venue(s), rooms, candidate CSWs, the child, and every live session that could
    stand in the way: at most five queries, however long the range or large the area."""
    calendar = rulebook.calendar
    venue_filter = Venue.id == query.venue_id if query.venue_id is not None else Venue.area == query.area
    venues = session.execute(select(Venue.id, Venue.area, Venue.opening_hours).where(venue_filter)).all()
    if query.venue_id is not None and not venues:
        raise NotFound("venue")

    if query.csw_sub is not None:
        staff = session.execute(select(*STAFF_COLUMNS).where(Staff.sub == query.csw_sub)).all()
        if not staff or staff[0].role != StaffRole.contact_support_worker:
            raise invalid_field("csw_sub", "is not a contact support worker on the service's staff list", location="query")
    else:
        area = venues[0].area if query.venue_id is not None else query.area
        staff = session.execute(
            select(*STAFF_COLUMNS).where(Staff.role == StaffRole.contact_support_worker, Staff.area == area)
        ).all()

    dob: date | None = None
    child_id: uuid.UUID | None = None
    if query.arrangement_id is not None:
        found = session.execute(
            select(Arrangement.status, Child.id, Child.date_of_birth)
            .join(Child, Child.id == Arrangement.child_id)
            .where(Arrangement.id == query.arrangement_id)
        ).first()
        if found is None:
            raise invalid_field("arrangement_id", "there is no such arrangement", location="query")
        rules.require_active(found.status)
        child_id, dob = found.id, found.date_of_birth

    facts = Facts(
        opening_hours={v.id: rules.weekly(v.opening_hours) for v in venues},
        rooms=[],
        csws=[CswFacts.of(s) for s in staff],
        child_date_of_birth=dob,
    )
    if not venues or not staff:
        return facts
    rooms = session.execute(
        select(Room.id, Room.venue_id, Room.min_age, Room.max_age, Room.capacity).where(Room.venue_id.in_(list(facts.opening_hours)))
    ).all()
    facts.rooms = [RoomFacts.of(r) for r in rooms]
    if not facts.rooms:
        return facts

    # Whole local days, so the daily counts see every session starting on a day searched.
    first_day = calendar.local_date(query.starts)
    days = [first_day + timedelta(days=i) for i in range((calendar.local_date(query.ends) - first_day).days + 2)]
    midnights = [datetime.combine(day, time(0), tzinfo=calendar.zone).timestamp() for day in days]
    first, last = datetime.fromtimestamp(midnights[0], UTC), datetime.fromtimestamp(midnights[-1], UTC)
    room_ids = [r.id for r in facts.rooms]
    subs = [c.sub for c in facts.csws]
    whose = [ContactSession.room_id.in_(room_ids), ContactSession.csw_sub.in_(subs)]
    # Each row costs what it decodes: the room as its index in `room_ids` (-1 for another
    # room), the child as a flag, the times as epoch seconds; no UUID or datetime per row.
    child_flag = case((ContactSession.child_id == child_id, 1), else_=0) if child_id is not None else literal(0)
    if child_id is not None:
        whose.append(ContactSession.child_id == child_id)
    statement = select(
        case({room: i for i, room in enumerate(room_ids)}, value=ContactSession.room_id, else_=-1),
        ContactSession.csw_sub,
        epoch_seconds(ContactSession.starts_at),
        epoch_seconds(ContactSession.ends_at),
        child_flag,
    ).where(
        ContactSession.status.in_(LIVE_STATUSES),
        ContactSession.starts_at < last,
        ContactSession.ends_at > first,
        # No session is longer than session_max_minutes (rules.check_times), so this
        # bound lets the (x, starts_at) indexes skip everything long over.
        ContactSession.starts_at > first - timedelta(minutes=settings.session_max_minutes),
        or_(*whose),
    )

    # Rows are fetched a few hundred at a time and dropped, and times kept as floats: a
    # search over thousands of sessions leaves almost nothing for the garbage collector to
    # promote to its oldest generation (a full collection of a server's heap costs ~100 ms).
    room_times: dict[int, tuple[list[float], list[float]]] = {}
    csw_times: dict[str, tuple[list[float], list[float]]] = {sub: ([], []) for sub in subs}
    child_times: tuple[list[float], list[float]] = ([], [])
    day_counts: dict[str, list[int]] = {sub: [0] * len(days) for sub in subs}
    first_s = midnights[0]
    rows = (row for chunk in session.connection().execute(statement).partitions(ROWS_AT_ONCE) for row in chunk)
    for room_index, sub, starts, ends, is_child in rows:
        if room_index >= 0:
            times = room_times.get(room_index)
            if times is None:
                times = room_times[room_index] = ([], [])
            times[0].append(starts)
            times[1].append(ends)
        times = csw_times.get(sub)
        if times is not None:
            times[0].append(starts)
            times[1].append(ends)
            if starts >= first_s:
                day_counts[sub][bisect.bisect_right(midnights, starts) - 1] += 1
        if is_child:
            child_times[0].append(starts)
            child_times[1].append(ends)
    facts.csw_day_counts = Counter(
        {(sub, days[i]): n for sub, per_day in day_counts.items() for i, n in enumerate(per_day) if n}
    )
    facts.room_busy = {room_ids[i]: Busy.of(*times) for i, times in room_times.items()}
    facts.csw_busy = {sub: Busy.of(*times) for sub, times in csw_times.items() if times[0]}
    facts.child_busy = Busy.of(*child_times)
    return facts


def search(
    session: Session, settings: Settings, query: AvailabilityQuery, page: PageParams, now: datetime
) -> Page[AvailabilitySlot]:
    """One page of free slots, ordered by (starts_at, room_id, csw_sub); the cursor is the
    last slot's key, so the next page resumes right after it."""
    validate(query, settings)
    after: tuple[datetime, uuid.UUID, str] | None = None
    if page.cursor:
        starts_at, room_id, sub = decode_cursor(page.cursor, CURSOR_KEY)
        after = (starts_at, room_id, sub)
    rulebook = rules.Rulebook.of(settings)
    facts = load(session, settings, rulebook, query)
    slots = free_slots(
        facts,
        rulebook,
        starts=query.starts,
        ends=query.ends,
        duration=timedelta(minutes=query.duration_minutes),
        now=now,
        after=after,
    )
    found = list(islice(slots, page.limit + 1))
    items = [AvailabilitySlot(room_id=r, csw_sub=c, starts_at=s, ends_at=e) for s, e, r, c in found[: page.limit]]
    next_cursor = None
    if len(found) > page.limit:
        last = found[page.limit - 1]
        next_cursor = encode_cursor([last[0], last[2], last[3]])
    return Page[AvailabilitySlot](items=items, next_cursor=next_cursor)

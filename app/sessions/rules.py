"""Every booking rule, pure: no database, no clock read (the caller passes `now`), no HTTP.

Two paths ask "may a session be here, then?": the booking path (`sessions.service.book`
and `move`) for the one interval or series asked for, and the availability search
(`availability.service.free_slots`) for every quarter hour of a range. Both judge with the
functions here, so they cannot drift apart: one "HH:MM" parser, one school-day parser, one
reading of the local day, one predicate per rule.

The local day: a slot belongs to the local date (in the service's zone) it starts on, and
is judged as wall-clock minutes after that local midnight (`LocalSpan`). It may end at the
next midnight (a window that closes at "24:00"), not later.

The rules (SPEC section 4):

* R-20 opening hours, R-23 working hours: weekly windows `[{"weekday", "opens", "closes"}]`
  read once into minutes (`weekly`); a slot fits when one window of its weekday holds it
  whole (`fits`, `within`).
* R-20 the room suits the child's age on the day (`suits_age`) and holds everyone:
  the people attending, the child and the lead CSW (`holds`). Availability does not know
  who will attend, so it offers rooms that hold the child and the CSW (`room_admits` with
  no attendees); a booking with more people than the room holds is a 422 on `room_id`.
* R-22 overlaps are of half-open intervals: back-to-back sessions do not clash (`overlaps`).
* R-23 the daily cap counts the CSW's live sessions starting that local day together with
  those asked for (`over_cap`); past the cap or the working hours needs a team leader's
  reason.
* R-24 the school day touches no session of a child of school age on the day, on a
  working day (bank holidays are not school days; term dates are not known, so every
  other working day is one) unless a reason is given (`school_day_applies`,
  `touches_school_day`).
* R-25 a court-arena session outside a venue needs a listed exception, a risk note and a
  team leader (`check_outside`).
* Past bookings: a session that starts before now (one under way too) is in the past; only
  a team leader records one, as retrospective, with a reason (`is_past`).
* R-21 staggered arrival and leaving when the parties must not meet (`staggered`).
* Sessions are booked for active arrangements only (`require_active`).

`check_booking` applies them to a booking in the order the booking path reports them.
Who may override what is `sessions.policy`'s question; its answer comes in as a flag.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from app.arrangements.models import ArrangementStatus
from app.calendar.deadlines import WorkingCalendar, working_calendar
from app.core.errors import AppError, Forbidden, WrongState, invalid_field
from app.core.models import utc_z

if TYPE_CHECKING:
    from app.core.config import Settings

MINUTES_A_DAY = 24 * 60
# Besides the people attending, every session has the child and the lead CSW in the room.
ALWAYS_PRESENT = 2

Weekly = Mapping[int, Sequence[tuple[int, int]]]  # weekday -> [(opens, closes)] in local minutes


# --------------------------------------------------------------------------- reading settings and rows


def minutes_of(hhmm: str) -> int:
    """"HH:MM" as minutes after local midnight; "24:00" is 1440, the end of the day."""
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def daily_window(text: str) -> tuple[int, int]:
    """"HH:MM-HH:MM" (the school day, "08:45-15:15") as local minutes."""
    begins, ends = (minutes_of(part.strip()) for part in text.split("-"))
    return begins, ends


def weekly(windows: Iterable[Mapping[str, Any]]) -> dict[int, list[tuple[int, int]]]:
    """`[{"weekday", "opens", "closes"}]` as minutes of the local day, per weekday. A window
    that does not open before it closes holds nothing, so it is left out."""
    out: dict[int, list[tuple[int, int]]] = {}
    for window in windows:
        opens, closes = minutes_of(window["opens"]), minutes_of(window["closes"])
        if opens < closes:
            out.setdefault(int(window["weekday"]), []).append((opens, closes))
    return out


@dataclass(frozen=True)
class Rulebook:
    """The service's settings the rules read (R-21, R-23, R-24, R-26)."""

    calendar: WorkingCalendar
    school_day: tuple[int, int]  # local minutes
    school_age: tuple[int, int]  # inclusive
    stagger: timedelta
    session_max_minutes: int
    series_max_sessions: int

    @classmethod
    def of(cls, settings: Settings) -> Rulebook:
        return cls(
            working_calendar(settings),
            daily_window(settings.school_day),
            (settings.school_age_from, settings.school_age_to),
            timedelta(minutes=settings.stagger_minutes),
            settings.session_max_minutes,
            settings.series_max_sessions,
        )

    @property
    def zone(self) -> ZoneInfo:
        return self.calendar.zone


class _RoomRow(Protocol):
    id: uuid.UUID
    venue_id: uuid.UUID
    min_age: int
    max_age: int
    capacity: int


class _StaffRow(Protocol):
    sub: str
    working_hours: list[dict[str, Any]]
    daily_cap: int


@dataclass(frozen=True)
class RoomFacts:
    id: uuid.UUID
    venue_id: uuid.UUID
    min_age: int = 0
    max_age: int = 18
    capacity: int = ALWAYS_PRESENT

    @classmethod
    def of(cls, row: _RoomRow) -> RoomFacts:
        """From a `Room` or a result row with the same columns."""
        return cls(row.id, row.venue_id, row.min_age, row.max_age, row.capacity)


@dataclass(frozen=True)
class CswFacts:
    sub: str
    hours: Weekly
    daily_cap: int

    @classmethod
    def of(cls, row: _StaffRow) -> CswFacts:
        """From a `Staff` or a result row with the same columns."""
        return cls(row.sub, weekly(row.working_hours), row.daily_cap)


# --------------------------------------------------------------------------- the local day


@dataclass(frozen=True)
class LocalSpan:
    """An interval on the wall clock of the local date it starts on: minutes after that
    midnight. `ends` is 1440 at the next midnight, and more when it runs into the next day."""

    day: date
    begins: float
    ends: float

    @property
    def weekday(self) -> int:
        return self.day.weekday()


def _minute(moment: datetime) -> float:
    return moment.hour * 60 + moment.minute + (moment.second + moment.microsecond / 1_000_000) / 60


def local_span(starts: datetime, ends: datetime, zone: ZoneInfo) -> LocalSpan:
    """[starts, ends) read on the wall clock of `zone`. On a clock-change day the minutes are
    wall-clock readings, not elapsed time: opening hours and the school day are wall times."""
    local_start, local_end = starts.astimezone(zone), ends.astimezone(zone)
    day = local_start.date()
    return LocalSpan(day, _minute(local_start), (local_end.date() - day).days * MINUTES_A_DAY + _minute(local_end))


def wall_instant(day: date, minute: int, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of a local wall-clock minute, or None when the clocks skip it (the
    spring gap). A repeated wall time (the autumn hour) is its first occurrence."""
    wall = datetime.combine(day, time(minute // 60, minute % 60))
    instant = wall.replace(tzinfo=zone).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != wall:
        return None
    return instant


def iso_z(instant: datetime) -> str:
    return utc_z(instant)


# --------------------------------------------------------------------------- predicates


def fits(windows: Sequence[tuple[int, int]], begins: float, ends: float) -> bool:
    """One window holds [begins, ends) whole."""
    return any(opens <= begins and ends <= closes for opens, closes in windows)


def within(hours: Weekly, span: LocalSpan) -> bool:
    """R-20, R-23: inside one window of the weekly hours on the span's local day."""
    return fits(hours.get(span.weekday, ()), span.begins, span.ends)


def age_on(date_of_birth: date, day: date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def suits_age(room: RoomFacts, age: int) -> bool:
    return room.min_age <= age <= room.max_age


def holds(room: RoomFacts, attendees: int) -> bool:
    """The room's capacity takes the people attending, the child and the CSW."""
    return attendees + ALWAYS_PRESENT <= room.capacity


def room_admits(room: RoomFacts, age: int | None, attendees: int = 0) -> bool:
    """R-20 for one day: the room holds everyone and suits the child's age (when known)."""
    return holds(room, attendees) and (age is None or suits_age(room, age))


def over_cap(booked: int, adding: int, cap: int) -> bool:
    """R-23: `booked` live sessions already start that local day; `adding` more would pass the cap."""
    return booked + adding > cap


def school_day_applies(rulebook: Rulebook, day: date, age: int) -> bool:
    """R-24: the child is of school age on `day` and it is a school day."""
    youngest, oldest = rulebook.school_age
    return youngest <= age <= oldest and rulebook.calendar.is_working_day(day)


def touches_school_day(rulebook: Rulebook, begins: float, ends: float) -> bool:
    school_begins, school_ends = rulebook.school_day
    return begins < school_ends and ends > school_begins


def overlaps(starts: Any, ends: Any, other_starts: Any, other_ends: Any) -> bool:
    """R-22: half-open intervals (instants or epoch seconds) overlap; touching ends do not."""
    return other_starts < ends and other_ends > starts


def is_past(starts: datetime, now: datetime) -> bool:
    return starts < now


def staggered(starts: datetime, ends: datetime, count: int, gap: timedelta, must_not_meet: bool) -> list[tuple[datetime, datetime]]:
    """R-21: each attendee's (arrive, leave). When the parties must not meet: earliest first
    in, and first out once the session ends, each `gap` apart, so no two parties are in the
    building's entrance at once. Otherwise everyone comes and goes with the session."""
    if not must_not_meet:
        return [(starts, ends)] * count
    return [(starts - gap * (count - i), ends + gap * (i + 1)) for i in range(count)]


# --------------------------------------------------------------------------- the booking path's verdicts


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Authority:
    """Who books, what `sessions.policy` lets them override, and the reasons they gave."""

    by: str
    may_override_limits: bool
    override_reason: str | None = None
    school_hours_reason: str | None = None
    retrospective_reason: str | None = None


def require_active(status: ArrangementStatus) -> None:
    """Sessions are booked (and searched for) on active arrangements only: a 409 naming the
    arrangement's state."""
    if status != ArrangementStatus.active:
        raise WrongState(
            "arrangement", "book sessions for", status.value,
            type_slug="arrangement-not-active",
            title="The arrangement is not active",
            detail=f"Sessions are booked for active arrangements; this one is {status.value}.",
        )


def check_times(rulebook: Rulebook, starts: datetime, ends: datetime) -> None:
    if ends <= starts:
        raise invalid_field("ends_at", "must be after starts_at")
    if ends - starts > timedelta(minutes=rulebook.session_max_minutes):
        raise invalid_field("ends_at", f"a session lasts at most {rulebook.session_max_minutes // 60} hours")


def check_outside(court_arena: bool, exception: str | None, risk_note: str | None, *, may_approve: bool, by: str) -> dict[str, Any]:
    """R-25: court-arena contact stays in a venue unless a listed exception is approved by a
    team leader with a risk note (004 s11). Returns the override to keep, if any."""
    if court_arena:
        if exception is None:
            raise invalid_field("outside.exception", "a court-arena session outside a venue needs one of the listed exceptions")
        if not risk_note:
            raise invalid_field("outside.risk_note", "a court-arena session outside a venue needs a risk note")
        if not may_approve:
            raise Forbidden("Only a team leader approves a court-arena session outside a venue.")
    if exception is None:
        return {}
    return {"outside": {"by": by, "exception": exception, "risk_note": risk_note}}


def check_booking(
    rulebook: Rulebook,
    now: datetime,
    slots: Sequence[Slot],
    *,
    opening_hours: Weekly | None,
    room: RoomFacts | None,
    csw: CswFacts,
    date_of_birth: date,
    attendees: int,
    booked: Mapping[date, int],
    authority: Authority,
) -> dict[str, Any]:
    """The room (R-20), the past, opening hours (R-20), the CSW's hours and cap (R-23) and
    the school day (R-24) for every slot of a booking, in that order; the first broken rule
    is raised. `opening_hours` and `room` are None outside a venue; `booked` counts the
    CSW's other live sessions per local day. Returns the overrides used, for the record."""
    zone = rulebook.zone
    spans = [local_span(slot.starts_at, slot.ends_at, zone) for slot in slots]
    if room is not None:
        for span in spans:
            age = age_on(date_of_birth, span.day)
            if not suits_age(room, age):
                raise invalid_field("room_id", f"suits ages {room.min_age} to {room.max_age}; the child is {age} on {span.day}")
        if not holds(room, attendees):
            raise invalid_field(
                "room_id",
                f"has room for {room.capacity}; the child, the CSW and {attendees} attending make {attendees + ALWAYS_PRESENT}",
            )
    overrides: dict[str, Any] = {}
    if any(is_past(slot.starts_at, now) for slot in slots):
        if not (authority.may_override_limits and authority.retrospective_reason):
            raise invalid_field("starts_at", "is in the past; a team leader may record a retrospective session with retrospective_reason")
        overrides["retrospective"] = {"by": authority.by, "reason": authority.retrospective_reason}
    if opening_hours is not None:
        for slot, span in zip(slots, spans):
            if not within(opening_hours, span):
                raise invalid_field("starts_at", f"{iso_z(slot.starts_at)} is outside the venue's opening hours")
    outside_hours = [slot for slot, span in zip(slots, spans) if not within(csw.hours, span)]
    adding = Counter(span.day for span in spans)
    full = sorted(day for day, n in adding.items() if over_cap(booked.get(day, 0), n, csw.daily_cap))
    if outside_hours or full:
        if not (authority.may_override_limits and authority.override_reason):
            if outside_hours:
                raise invalid_field(
                    "starts_at",
                    f"{iso_z(outside_hours[0].starts_at)} is outside the CSW's working hours; a team leader may override with override_reason",
                )
            raise AppError(
                409,
                "daily-cap",
                "The CSW's daily cap is reached",
                f"{csw.sub} would have more than {csw.daily_cap} sessions on {full[0]}; "
                "a team leader may override with override_reason.",
                extra={"days": [day.isoformat() for day in full]},
            )
        overrides["csw_limits"] = {"by": authority.by, "reason": authority.override_reason}
    for slot, span in zip(slots, spans):
        age = age_on(date_of_birth, span.day)
        if school_day_applies(rulebook, span.day, age) and touches_school_day(rulebook, span.begins, span.ends):
            if not authority.school_hours_reason:
                raise invalid_field("starts_at", f"{iso_z(slot.starts_at)} is in school hours for a school-age child; give school_hours_reason")
            overrides["school_hours"] = {"by": authority.by, "reason": authority.school_hours_reason}
    return overrides

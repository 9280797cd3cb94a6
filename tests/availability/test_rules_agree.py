"""Availability and booking agree (R-20 to R-24, R-27): both judge with `sessions.rules`,
and this proves it through HTTP on random worlds.

Each example builds a world at a frozen "now": one or two venues with random opening hours
(weekend, evening and small-hours windows included), rooms with random age ranges and
capacities, one or two CSWs with random working hours and daily caps, a child of a random
age (birthdays inside the range searched included) and a second child, and live and
cancelled sessions already booked for either. The days searched are ordinary ones, bank
holidays (not school days) and the two clock changes. Then, with
`GET /api/v1/availability` for the first child's arrangement:

* every slot offered that is tried books (`POST /api/v1/sessions` as a team leader, with
  nobody else attending and no reason given);
* a booking at a random room, CSW and time refused for a rule (hours, cap, school day, age,
  room, clash: a 422 or a 409) was not offered; one that books at a time on the search
  grid (a local quarter hour, not the repeated autumn hour) inside the range was offered.

A booking that succeeds is cancelled again, so the next one meets the same world (a
cancelled session is not live: it neither clashes nor counts towards a cap).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.conftest import clean_database
from tests.helpers import at

LONDON = ZoneInfo("Europe/London")
URL = "/api/v1/availability"
# First days searched: an ordinary Monday; Christmas Eve (25 and 28 December 2026 are bank
# holidays); the Saturday before the spring clock change with Good Friday behind it and
# Easter Monday ahead; the autumn clock change; the late May bank holiday.
FIRST_DAYS = [date(2026, 11, 23), date(2026, 12, 24), date(2027, 3, 27), date(2026, 10, 24), date(2027, 5, 31)]


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def z(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


@st.composite
def windows(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Weekly hours: some weekdays closed, others with one or two windows on five-minute
    marks, anywhere from 00:00 to 24:00."""
    out = []
    for weekday in range(7):
        for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2]))):
            opens = draw(st.integers(0, 287)) * 5
            closes = draw(st.integers(opens // 5 + 1, 288)) * 5
            out.append({"weekday": weekday, "opens": hhmm(opens), "closes": hhmm(closes)})
    return out


# Mostly usual hours, so that most examples offer something; random ones find the edges.
USUAL = [{"weekday": d, "opens": "08:30", "closes": "19:00"} for d in range(5)]
EVERY_DAY = [{"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(7)]
ALL_DAY = [{"weekday": d, "opens": "00:00", "closes": "24:00"} for d in range(7)]
SMALL_HOURS = [{"weekday": d, "opens": "00:00", "closes": "04:00"} for d in range(7)]
usual_opening = st.sampled_from([USUAL, USUAL, EVERY_DAY, EVERY_DAY, EVERY_DAY + SMALL_HOURS, SMALL_HOURS])
opening_hours = st.one_of(usual_opening, usual_opening, usual_opening, windows())
usual_working = st.sampled_from([ALL_DAY, ALL_DAY, EVERY_DAY, USUAL])
working_hours = st.one_of(usual_working, usual_working, usual_working, windows())


@dataclass(frozen=True)
class Booked:
    """A session already in the world."""

    child: int  # 0: the child searched for; 1: another child
    room: int | None  # index into the rooms; None: outside a venue
    csw: int
    day: int  # days after the first day searched (-1: the day before)
    minute: int
    length: int
    cancelled: bool


@dataclass(frozen=True)
class World:
    first_day: date
    days: int
    now_minutes: int  # after local midnight of the first day
    venues: list[list[dict[str, Any]]]  # each venue's opening hours
    rooms: list[tuple[int, int, int, int]]  # (venue, min_age, max_age, capacity)
    csws: list[tuple[list[dict[str, Any]], int]]  # (working hours, daily cap)
    age: int
    birthday_shift: int  # days: a birthday inside the range searched
    booked: list[Booked]
    duration: int
    by_area: bool


@st.composite
def worlds(draw: st.DrawFn) -> World:
    first_day = draw(st.sampled_from(FIRST_DAYS))
    days = draw(st.sampled_from([2, 3, 1]))
    venues = draw(st.lists(opening_hours, min_size=1, max_size=2))
    rooms = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(venues) - 1),
                st.sampled_from([0, 0, 0, 0, 0, 0, 5, 11]),
                st.sampled_from([18, 18, 18, 18, 18, 18, 10, 16]),
                st.sampled_from([6, 6, 6, 6, 6, 6, 6, 2, 2, 1]),
            ),
            min_size=1,
            max_size=3,
        )
    )
    csws = draw(st.lists(st.tuples(working_hours, st.integers(1, 3)), min_size=1, max_size=2))
    booked = draw(
        st.lists(
            st.builds(
                Booked,
                child=st.integers(0, 1),
                room=st.one_of(st.none(), st.integers(0, len(rooms) - 1)),
                csw=st.integers(0, len(csws) - 1),
                day=st.one_of(st.just(0), st.integers(-1, days - 1)),
                minute=st.one_of(st.integers(96, 228).map(lambda m: m * 5), st.integers(0, 287).map(lambda m: m * 5)),
                length=st.sampled_from([30, 60, 90, 180]),
                cancelled=st.booleans(),
            ),
            max_size=6,
        )
    )
    return World(
        first_day=first_day,
        days=days,
        now_minutes=draw(st.integers(-24 * 12, 14 * 12)) * 5,
        venues=venues,
        rooms=rooms,
        csws=csws,
        age=draw(st.sampled_from([3, 4, 5, 9, 11, 16, 17])),
        birthday_shift=draw(st.integers(-3, 3)),
        booked=booked,
        duration=draw(st.sampled_from([30, 45, 60, 90, 120])),
        by_area=draw(st.booleans()),
    )


@dataclass(frozen=True)
class Attempt:
    room: int
    csw: int
    day: int
    minute: int  # a five-minute mark, most often a quarter hour


def attempts(spec: World) -> st.SearchStrategy[list[Attempt]]:
    """Random rooms, CSWs and times; a third of them near a session already booked (clashes)."""
    anywhere = st.builds(
        Attempt,
        room=st.integers(0, 2),
        csw=st.integers(0, 1),
        day=st.integers(0, 2),
        minute=st.one_of(
            st.integers(32, 76).map(lambda q: q * 15),  # daytime quarter hours
            st.integers(0, 95).map(lambda q: q * 15),
            st.integers(0, 287).map(lambda m: m * 5),
        ),
    )
    if not spec.booked:
        return st.lists(anywhere, min_size=1, max_size=4)
    clashing = st.builds(
        lambda session, room, csw, shift: Attempt(room, csw, max(session.day, 0), min(max(session.minute + shift, 0), 1435)),
        st.sampled_from(spec.booked),
        st.integers(0, 2),
        st.integers(0, 1),
        st.sampled_from([0, 15, -15, 30]),
    )
    return st.lists(st.one_of(anywhere, anywhere, clashing), min_size=1, max_size=4)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[World, list[int], list[Attempt]]:
    spec = draw(worlds())
    return spec, draw(st.lists(st.integers(0, 10_000), min_size=1, max_size=3)), draw(attempts(spec))


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LONDON)


def wall(day: date, minute: int) -> datetime:
    """Local `minute` of `day` as a UTC instant: the first of a repeated wall time; one in
    the spring gap comes out as zoneinfo reads it (fold 0)."""
    return midnight(day).replace(hour=minute // 60, minute=minute % 60).astimezone(UTC)


def build(scheduling, spec: World) -> dict[str, Any]:
    venues = [scheduling.venue(f"Venue {i}", opening_hours=hours) for i, hours in enumerate(spec.venues)]
    rooms = [
        scheduling.room(venues[v], f"Room {i}", min_age=low, max_age=max(low, high), capacity=capacity)
        for i, (v, low, high, capacity) in enumerate(spec.rooms)
    ]
    csws = [scheduling.csw(f"csw-{i}", working_hours=hours, daily_cap=cap) for i, (hours, cap) in enumerate(spec.csws)]
    birthday = spec.first_day + timedelta(days=spec.birthday_shift)
    born = birthday.replace(year=birthday.year - spec.age)
    children = [scheduling.arrangement(key="123456", date_of_birth=born.isoformat()), scheduling.arrangement(key="654321", date_of_birth="2016-06-01")]
    for session in spec.booked:
        starts = wall(spec.first_day + timedelta(days=session.day), session.minute)
        place: dict[str, Any] = (
            {"room_id": rooms[session.room]["id"]}
            if session.room is not None
            else {"outside": {"location": "Soft play", "exception": "rehabilitation_plan", "risk_note": "Two CSWs present."}}
        )
        response = scheduling.book(
            arrangement_id=children[session.child]["id"], csw_sub=csws[session.csw]["sub"],
            starts_at=z(starts), ends_at=z(starts + timedelta(minutes=session.length)),
            override_reason="Rota", school_hours_reason="Agreed", retrospective_reason="Recorded late", **place,
        )
        # Outside its venue's hours, too young or old for its room, or clashing: not booked.
        assert response.status_code in (201, 409, 422), response.text
        event(f"session already booked: {response.status_code}")
        if response.status_code == 201 and session.cancelled:
            cancel(scheduling, response.json()["id"])
    return {"venues": venues, "rooms": rooms, "csws": csws, "arrangement": children[0]}


def cancel(scheduling, session_id: str) -> None:
    response = scheduling.client.post(
        f"/api/v1/sessions/{session_id}/cancel", json={"reason": "Trying the slot.", "cancelled_by": "service"}, headers=scheduling.tl()
    )
    assert response.status_code == 200, response.text


def offered(scheduling, params: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    found: set[tuple[str, str, str, str]] = set()
    cursor = None
    while True:
        response = scheduling.client.get(URL, params={**params, "limit": 500, **({"cursor": cursor} if cursor else {})}, headers=scheduling.tl())
        assert response.status_code == 200, response.text
        body = response.json()
        found |= {(i["room_id"], i["csw_sub"], i["starts_at"], i["ends_at"]) for i in body["items"]}
        cursor = body["next_cursor"]
        if cursor is None:
            return found


RULE_REFUSALS = {
    (422, "urn:contact-service:problem:validation", "starts_at"),  # hours, school day, the past
    (422, "urn:contact-service:problem:validation", "room_id"),  # the room's ages or capacity
    (409, "urn:contact-service:problem:booking-clash", None),
    (409, "urn:contact-service:problem:daily-cap", None),
}


def refusal(response) -> tuple[int, str, str | None]:
    problem = response.json()
    fields = [e["field"] for e in problem.get("errors") or []]
    return response.status_code, problem["type"], fields[0] if fields else None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(scenario=scenarios())
def test_r27_every_offered_slot_books_and_no_refused_booking_is_offered(scheduling, engine, scenario):
    spec, picks, tries = scenario
    clean_database(engine)
    # Instants in UTC: adding minutes to a London wall time would add wall minutes.
    first = midnight(spec.first_day).astimezone(UTC)
    now = first + timedelta(minutes=spec.now_minutes)
    searched_to = midnight(spec.first_day + timedelta(days=spec.days)).astimezone(UTC)
    with at(now.isoformat()):
        world = build(scheduling, spec)
        arrangement = world["arrangement"]["id"]
        where = {"area": "north"} if spec.by_area else {"venue_id": world["venues"][0]["id"]}
        params = {**where, "duration_minutes": spec.duration, "from": z(first), "to": z(searched_to), "arrangement_id": arrangement}
        slots = offered(scheduling, params)
        event(f"slots offered: {'none' if not slots else 'some' if len(slots) < 100 else 'many'}")
        searched_rooms = {r["id"] for r in world["rooms"] if spec.by_area or r["venue_id"] == world["venues"][0]["id"]}
        assert {room for room, _, _, _ in slots} <= searched_rooms

        # Every slot offered books.
        ordered = sorted(slots)
        for pick in dict.fromkeys(picks) if ordered else ():
            room, csw, starts_at, ends_at = ordered[pick % len(ordered)]
            response = scheduling.book(arrangement_id=arrangement, room_id=room, csw_sub=csw, starts_at=starts_at, ends_at=ends_at)
            assert response.status_code == 201, (spec, (room, csw, starts_at), response.text)
            cancel(scheduling, response.json()["id"])

        # A booking refused for a rule was not offered; one that books on the grid was.
        for attempt in tries:
            room = world["rooms"][attempt.room % len(world["rooms"])]
            csw = world["csws"][attempt.csw % len(world["csws"])]["sub"]
            starts = wall(spec.first_day + timedelta(days=attempt.day % spec.days), attempt.minute)
            ends = starts + timedelta(minutes=spec.duration)
            key = (room["id"], csw, z(starts), z(ends))
            response = scheduling.book(arrangement_id=arrangement, room_id=room["id"], csw_sub=csw, starts_at=key[2], ends_at=key[3])
            event(f"attempt: {refusal(response) if response.status_code != 201 else 201}")
            if response.status_code == 201:
                cancel(scheduling, response.json()["id"])
                local_start = starts.astimezone(LONDON)
                on_grid = attempt.minute % 15 == 0 and local_start.hour * 60 + local_start.minute == attempt.minute
                inside = now <= starts and first <= starts and ends <= searched_to and room["id"] in searched_rooms
                event(f"booked on the grid, inside the range: {on_grid and inside}")
                if on_grid and inside:
                    assert key in slots, (spec, attempt, "booked but not offered")
            else:
                assert refusal(response) in RULE_REFUSALS, response.text
                assert key not in slots, (spec, attempt, response.text)

"""Availability (R-27): free slots of a room and a CSW for a venue or an area, honouring
opening and working hours (R-20, R-23), clashes in the room, for the CSW and for the
child (R-22), the daily cap (R-23) and school hours (R-24); cursor paging; a constant
number of SQL statements.

Every date below is in November or December 2026 (GMT, so local time is UTC) unless the
test is about a clock change. "Now" is frozen with time_machine and tokens are minted
inside the frozen block (their `nbf` and `exp` follow the clock).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, update

from app.arrangements.models import Arrangement, ArrangementStatus
from app.availability.service import GRID_MINUTES
from tests.helpers import at

URL = "/api/v1/availability"
NOW = "2026-11-22T12:00:00+00:00"  # a Sunday; the searches below are in the week after
MONDAY = "2026-11-23"
WEEKDAYS_9_TO_5 = [{"weekday": d, "opens": "09:00", "closes": "17:00"} for d in range(5)]


def z(day: str, hhmm: str) -> str:
    return f"{day}T{hhmm}:00Z"


def quarter_hours(day: str, first: str, last: str) -> list[str]:
    """Every quarter hour from `first` to `last` inclusive, as UTC instants (GMT days)."""
    start = datetime.fromisoformat(f"{day}T{first}:00+00:00")
    end = datetime.fromisoformat(f"{day}T{last}:00+00:00")
    out = []
    while start <= end:
        out.append(start.isoformat().replace("+00:00", "Z"))
        start += timedelta(minutes=GRID_MINUTES)
    return out


def search(scheduling, headers: dict[str, str] | None = None, **params: Any):
    params.setdefault("duration_minutes", 60)
    params.setdefault("limit", 500)
    return scheduling.client.get(URL, params=params, headers=headers or scheduling.tl())


def slots(scheduling, **params: Any) -> list[dict]:
    response = search(scheduling, **params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["next_cursor"] is None, "expected one page"
    return body["items"]


def starts(items: list[dict], *, room: dict | None = None, csw: str | None = None) -> list[str]:
    """Distinct start times, in order, optionally for one room or one CSW."""
    seen: list[str] = []
    for item in items:
        if room is not None and item["room_id"] != room["id"]:
            continue
        if csw is not None and item["csw_sub"] != csw:
            continue
        if item["starts_at"] not in seen:
            seen.append(item["starts_at"])
    return seen


def day_range(day: str, days: int = 1) -> dict[str, str]:
    first = datetime.fromisoformat(f"{day}T00:00:00+00:00")
    return {"from": first.isoformat(), "to": (first + timedelta(days=days)).isoformat()}


@pytest.fixture
def world(scheduling) -> dict:
    """A weekday venue (08:30-19:00) with one room, and csw-1 working 09:00-17:00 on weekdays."""
    with at(NOW):
        venue = scheduling.venue()
        return {
            "venue": venue,
            "room": scheduling.room(venue),
            "csw": scheduling.csw("csw-1", working_hours=WEEKDAYS_9_TO_5),
        }


# --------------------------------------------------------------------------- hours


def test_r27_slots_lie_inside_opening_and_working_hours(scheduling, world):
    with at(NOW):
        items = slots(scheduling, venue_id=world["venue"]["id"], **day_range(MONDAY, 7))
    # Only Monday to Friday (the venue's days), 09:00 to 16:00 starts (the CSW's day, an
    # hour long each), every quarter hour.
    days = sorted({item["starts_at"][:10] for item in items})
    assert days == ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]
    assert starts(items)[:29] == quarter_hours(MONDAY, "09:00", "16:00")
    first = items[0]
    assert first == {"room_id": world["room"]["id"], "csw_sub": "csw-1", "starts_at": z(MONDAY, "09:00"), "ends_at": z(MONDAY, "10:00")}
    # A CSW working longer than the venue is open gets the venue's hours: 08:30 to 18:00.
    with at(NOW):
        scheduling.csw("csw-1", working_hours=[{"weekday": d, "opens": "07:00", "closes": "21:00"} for d in range(7)])
        wide = slots(scheduling, venue_id=world["venue"]["id"], **day_range(MONDAY))
    assert starts(wide) == quarter_hours(MONDAY, "08:30", "18:00")


def test_r27_weekend_opening_venue_offers_its_weekend_hours_only(scheduling):
    with at(NOW):
        weekend = scheduling.venue(
            "Arnold", opening_hours=[{"weekday": 5, "opens": "10:00", "closes": "16:00"}]
            + [{"weekday": d, "opens": "08:30", "closes": "19:00"} for d in range(5)],
        )
        weekday_only = scheduling.venue("Mansfield")
        saturday_room = scheduling.room(weekend, "Sunflower room")
        scheduling.room(weekday_only, "Garden room")
        scheduling.csw("csw-1")  # works 08:00-20:00 every day
        items = slots(scheduling, area="north", **day_range("2026-11-28", 2))  # Saturday and Sunday
    assert {item["room_id"] for item in items} == {saturday_room["id"]}
    assert starts(items) == quarter_hours("2026-11-28", "10:00", "15:00")


def test_r27_not_in_the_past(scheduling, world):
    with at("2026-11-23T12:05:00+00:00"):
        items = slots(scheduling, venue_id=world["venue"]["id"], **day_range(MONDAY))
    assert starts(items) == quarter_hours(MONDAY, "12:15", "16:00")


def test_r27_slots_start_at_from_and_end_by_to(scheduling, world):
    with at(NOW):
        items = slots(scheduling, venue_id=world["venue"]["id"], duration_minutes=90, **{"from": z(MONDAY, "10:07"), "to": z(MONDAY, "13:00")})
    assert starts(items) == quarter_hours(MONDAY, "10:15", "11:30")
    assert items[-1]["ends_at"] == z(MONDAY, "13:00")


# --------------------------------------------------------------------------- clashes


@pytest.fixture
def busy(scheduling, world) -> dict:
    """A second room and CSW, and an arrangement for a 9-year-old (school hours apply)."""
    with at(NOW):
        world["room2"] = scheduling.room(world["venue"], "Blue room")
        world["csw2"] = scheduling.csw("csw-2", working_hours=WEEKDAYS_9_TO_5)
        world["arrangement"] = scheduling.arrangement(date_of_birth="2017-03-14")
    return world


def book(scheduling, arrangement: dict, room: dict, csw: str, day: str, begins: str, ends: str) -> dict:
    response = scheduling.book(
        arrangement_id=arrangement["id"],
        room_id=room["id"],
        csw_sub=csw,
        starts_at=z(day, begins),
        ends_at=z(day, ends),
        school_hours_reason="Staggered start at school agreed with the head teacher.",
    )
    assert response.status_code == 201, response.text
    return response.json()


OVERLAPPING_10_TO_11 = quarter_hours(MONDAY, "09:15", "10:45")  # hour-long slots touching 10:00-11:00


def test_r27_a_booking_in_the_room_frees_only_other_rooms(scheduling, busy):
    with at(NOW):
        book(scheduling, busy["arrangement"], busy["room"], "csw-2", MONDAY, "10:00", "11:00")
        items = slots(scheduling, venue_id=busy["venue"]["id"], csw_sub="csw-1", **day_range(MONDAY))
    in_room = starts(items, room=busy["room"])
    assert not set(OVERLAPPING_10_TO_11) & set(in_room)
    assert z(MONDAY, "09:00") in in_room and z(MONDAY, "11:00") in in_room
    assert set(OVERLAPPING_10_TO_11) <= set(starts(items, room=busy["room2"]))


def test_r27_a_booking_for_the_csw_removes_them_in_every_room(scheduling, busy):
    with at(NOW):
        elsewhere = scheduling.venue("Arnold")
        far_room = scheduling.room(elsewhere, "Far room")
        book(scheduling, busy["arrangement"], far_room, "csw-1", MONDAY, "10:00", "11:00")
        items = slots(scheduling, venue_id=busy["venue"]["id"], **day_range(MONDAY))
    for room in (busy["room"], busy["room2"]):
        assert not set(OVERLAPPING_10_TO_11) & set(starts(items, room=room, csw="csw-1"))
        assert set(OVERLAPPING_10_TO_11) <= set(starts(items, room=room, csw="csw-2"))


def test_r27_a_booking_for_the_child_removes_the_time_with_arrangement_id(scheduling, busy):
    with at(NOW):
        elsewhere = scheduling.venue("Arnold")
        book(scheduling, busy["arrangement"], scheduling.room(elsewhere, "Far room"), "csw-2", "2026-12-28", "16:00", "17:00")
        # 28 December is a bank holiday, so no school hours get in the way here.
        params = {"venue_id": busy["venue"]["id"], "csw_sub": "csw-1", **day_range("2026-12-28")}
        with_child = starts(slots(scheduling, arrangement_id=busy["arrangement"]["id"], **params))
        without = starts(slots(scheduling, **params))
    overlapping = quarter_hours("2026-12-28", "15:15", "16:00")  # csw-1 stops at 17:00
    assert not set(overlapping) & set(with_child)
    assert set(overlapping) <= set(without)


def test_r27_cancelled_sessions_free_their_time(scheduling, busy):
    with at(NOW):
        session = book(scheduling, busy["arrangement"], busy["room"], "csw-1", MONDAY, "10:00", "11:00")
        cancel = scheduling.client.post(
            f"/api/v1/sessions/{session['id']}/cancel", json={"reason": "Unwell", "cancelled_by": "parent"}, headers=scheduling.tl()
        )
        assert cancel.status_code == 200, cancel.text
        items = slots(scheduling, venue_id=busy["venue"]["id"], csw_sub="csw-1", **day_range(MONDAY))
    assert set(OVERLAPPING_10_TO_11) <= set(starts(items, room=busy["room"]))


def test_r27_daily_cap_removes_the_csw_for_that_day(scheduling, busy):
    with at(NOW):
        scheduling.csw("csw-1", working_hours=WEEKDAYS_9_TO_5, daily_cap=2)
        book(scheduling, busy["arrangement"], busy["room"], "csw-1", MONDAY, "09:00", "10:00")
        after_one = slots(scheduling, venue_id=busy["venue"]["id"], **day_range(MONDAY, 2))
        book(scheduling, busy["arrangement"], busy["room"], "csw-1", MONDAY, "15:30", "16:30")
        items = slots(scheduling, venue_id=busy["venue"]["id"], **day_range(MONDAY, 2))
    assert z(MONDAY, "12:00") in starts(after_one, csw="csw-1")
    assert not [i for i in items if i["csw_sub"] == "csw-1" and i["starts_at"].startswith(MONDAY)]
    assert [i for i in items if i["csw_sub"] == "csw-2" and i["starts_at"].startswith(MONDAY)]
    assert starts(items, csw="csw-1", room=busy["room2"]) == quarter_hours("2026-11-24", "09:00", "16:00")


# --------------------------------------------------------------------------- the child


def test_r27_school_age_child_is_not_offered_school_hours(scheduling, busy):
    with at(NOW):
        scheduling.csw("csw-1", working_hours=[{"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(7)])
        items = slots(
            scheduling, venue_id=busy["venue"]["id"], csw_sub="csw-1", arrangement_id=busy["arrangement"]["id"], **day_range(MONDAY)
        )
    # School day 08:45-15:15: an hour from 08:30 touches it, so the first is 15:15.
    assert starts(items) == quarter_hours(MONDAY, "15:15", "18:00")


def test_r27_a_three_year_old_has_no_school_hours_and_rooms_must_suit_the_age(scheduling, busy):
    with at(NOW):
        scheduling.csw("csw-1", working_hours=[{"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(7)])
        teens = scheduling.room(busy["venue"], "Teen room", min_age=11, max_age=18)
        toddler = scheduling.arrangement(key="toddler", date_of_birth="2023-06-01")
        items = slots(scheduling, venue_id=busy["venue"]["id"], csw_sub="csw-1", arrangement_id=toddler["id"], **day_range(MONDAY))
        anyone = slots(scheduling, venue_id=busy["venue"]["id"], csw_sub="csw-1", **day_range(MONDAY))
    assert starts(items) == quarter_hours(MONDAY, "08:30", "18:00")
    assert teens["id"] not in {i["room_id"] for i in items}
    assert teens["id"] in {i["room_id"] for i in anyone}


def test_r27_bank_holiday_is_not_a_school_day_but_the_venue_keeps_its_hours(scheduling, busy):
    with at(NOW):
        scheduling.csw("csw-1", working_hours=[{"weekday": d, "opens": "07:00", "closes": "21:00"} for d in range(7)])
        params = {"venue_id": busy["venue"]["id"], "csw_sub": "csw-1", "arrangement_id": busy["arrangement"]["id"]}
        holiday = slots(scheduling, **params, **day_range("2026-12-28"))  # substitute Boxing Day, a Monday
        working = slots(scheduling, **params, **day_range("2026-12-29"))
    assert starts(holiday) == quarter_hours("2026-12-28", "08:30", "18:00")
    assert starts(working) == quarter_hours("2026-12-29", "15:15", "18:00")


def test_r27_an_offered_slot_can_be_booked(scheduling, busy):
    with at(NOW):
        items = slots(
            scheduling, venue_id=busy["venue"]["id"], csw_sub="csw-2", arrangement_id=busy["arrangement"]["id"], **day_range(MONDAY, 3)
        )
        first = items[0]
        response = scheduling.book(
            arrangement_id=busy["arrangement"]["id"], room_id=first["room_id"], csw_sub=first["csw_sub"],
            starts_at=first["starts_at"], ends_at=first["ends_at"],
        )
        assert response.status_code == 201, response.text
        again = slots(
            scheduling, venue_id=busy["venue"]["id"], csw_sub="csw-2", arrangement_id=busy["arrangement"]["id"], **day_range(MONDAY, 3)
        )
    assert first["starts_at"] not in starts(again)


def test_r27_inactive_arrangement_is_409(scheduling, busy, engine):
    with engine.begin() as connection:
        connection.execute(
            update(Arrangement).where(Arrangement.id == uuid.UUID(busy["arrangement"]["id"])).values(status=ArrangementStatus.suspended)
        )
    with at(NOW):
        response = search(scheduling, venue_id=busy["venue"]["id"], arrangement_id=busy["arrangement"]["id"], **day_range(MONDAY))
    assert response.status_code == 409, response.text
    assert response.json()["type"].endswith(":arrangement-not-active")
    assert response.json()["current_state"] == "suspended"


# --------------------------------------------------------------------------- clock change


def test_r27_clock_change_day_keeps_local_hours(scheduling):
    sundays = [{"weekday": 6, "opens": "10:00", "closes": "16:00"}]
    with at("2026-10-01T12:00:00+00:00"):
        venue = scheduling.venue("Arnold", opening_hours=sundays)
        scheduling.room(venue)
        scheduling.csw("csw-1")  # 08:00-20:00 local, every day
        before = slots(scheduling, venue_id=venue["id"], **day_range("2026-10-18"))  # BST
        change = slots(scheduling, venue_id=venue["id"], **day_range("2026-10-25"))  # back to GMT at 02:00
    assert starts(before) == quarter_hours("2026-10-18", "09:00", "14:00")  # 10:00-15:00 BST
    assert starts(change) == quarter_hours("2026-10-25", "10:00", "15:00")  # 10:00-15:00 GMT


def test_r27_spring_gap_offers_no_wall_time_that_does_not_exist(scheduling):
    night = [{"weekday": 6, "opens": "00:00", "closes": "04:00"}]
    with at("2026-03-01T12:00:00+00:00"):
        venue = scheduling.venue("Night", opening_hours=night)
        scheduling.room(venue)
        scheduling.csw("csw-1", working_hours=night)
        items = slots(scheduling, venue_id=venue["id"], **day_range("2026-03-29"))
    # Local 00:00 GMT to 04:00 BST is three real hours; 01:00-01:59 local never happens.
    # An hour-long slot ends by 04:00 BST (03:00Z): the last starts at 03:00 BST (02:00Z).
    assert starts(items) == quarter_hours("2026-03-29", "00:00", "02:00")
    assert all(datetime.fromisoformat(i["ends_at"]) - datetime.fromisoformat(i["starts_at"]) == timedelta(hours=1) for i in items)


# --------------------------------------------------------------------------- paging


def test_r27_pages_follow_the_cursor_without_gaps_or_repeats(scheduling, busy):
    with at(NOW):
        scheduling.room(busy["venue"], "Green room")
        params = {"venue_id": busy["venue"]["id"], **day_range(MONDAY, 2)}
        everything = slots(scheduling, **params)
        paged: list[dict] = []
        cursor = None
        pages = 0
        while True:
            response = search(scheduling, **params, limit=37, **({"cursor": cursor} if cursor else {}))
            assert response.status_code == 200, response.text
            body = response.json()
            paged += body["items"]
            pages += 1
            cursor = body["next_cursor"]
            if cursor is None:
                break
            assert len(body["items"]) == 37
        default = scheduling.client.get(
            URL, params={"duration_minutes": 60, **params}, headers=scheduling.csw_headers()
        )
    assert paged == everything
    assert pages == -(-len(everything) // 37)
    assert len(everything) == 2 * 29 * 3 * 2  # two days, 29 starts, three rooms, two CSWs
    keys = [(i["starts_at"], i["room_id"], i["csw_sub"]) for i in everything]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert len(default.json()["items"]) == 50 and default.json()["next_cursor"]


# --------------------------------------------------------------------------- bad input


GOOD: dict[str, Any] = {"duration_minutes": 60, "from": "2026-11-23T00:00:00Z", "to": "2026-11-24T00:00:00Z"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"duration_minutes": None}, "duration_minutes"),
        ({"duration_minutes": 14}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"duration_minutes": "an hour"}, "duration_minutes"),
        ({"from": None}, "from"),
        ({"from": "2026-11-23T09:00:00"}, "from"),  # no offset
        ({"from": "1700000000"}, "from"),
        ({"to": "2026-11-23"}, "to"),
        ({"to": "2026-11-23T00:00:00Z"}, "to"),  # not after from
        ({"to": "2027-02-24T00:00:01Z"}, "to"),  # more than 92 days
        ({"venue_id": None}, "venue_id"),  # neither venue nor area
        ({"area": "north"}, "venue_id"),  # both
        ({"venue_id": "not-a-uuid"}, "venue_id"),
        ({"venue_id": None, "area": "east"}, "area"),
        ({"csw_sub": "tl-1"}, "csw_sub"),  # on the staff list, but a team leader
        ({"csw_sub": "nobody"}, "csw_sub"),
        ({"arrangement_id": "7b0f7d3e-0000-4000-8000-000000000000"}, "arrangement_id"),
        ({"arrangement_id": "7"}, "arrangement_id"),
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_r27_bad_input_is_422_naming_the_field(scheduling, world, change, field):
    with at(NOW):
        scheduling.client.put(
            "/api/v1/staff/tl-1", json={"name": "Lee", "role": "team_leader", "area": "north", "working_hours": []},
            headers=scheduling.admin(),
        )
        params = {**GOOD, "venue_id": world["venue"]["id"], **change}
        response = scheduling.client.get(URL, params={k: v for k, v in params.items() if v is not None}, headers=scheduling.tl())
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["type"].endswith(":validation")
    assert [e["field"] for e in body["errors"]] == [field]
    assert body["errors"][0]["location"] == "query"


def test_r27_unknown_venue_is_404(scheduling, world):
    with at(NOW):
        response = search(scheduling, venue_id="7b0f7d3e-0000-4000-8000-000000000000", **day_range(MONDAY))
    assert response.status_code == 404
    assert response.json()["type"].endswith(":not-found")


def test_r27_area_without_venues_is_an_empty_page(scheduling):
    with at(NOW):
        response = search(scheduling, area="south", **day_range(MONDAY))
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}


# --------------------------------------------------------------------------- who may ask


@pytest.mark.parametrize(
    ("roles", "status"),
    [
        (("team_leader",), 200),
        (("contact_support_worker",), 200),
        (("social_worker",), 403),
        (("service_manager",), 403),
        (("admin",), 403),
    ],
)
def test_r27_roles(scheduling, auth, world, roles, status):
    with at(NOW):
        # A CSW may look up a colleague's free time (to arrange cover), not only their own.
        headers = auth("csw-9", *roles)
        response = search(scheduling, headers=headers, venue_id=world["venue"]["id"], csw_sub="csw-1", **day_range(MONDAY))
    assert response.status_code == status, response.text
    if status == 200:
        assert response.json()["items"]


def test_r27_needs_a_token(scheduling, world):
    with at(NOW):
        response = scheduling.client.get(URL, params={**GOOD, "venue_id": world["venue"]["id"]})
    assert response.status_code == 401


# --------------------------------------------------------------------------- no N+1


def test_r27_statement_count_does_not_grow_with_days_or_rooms(scheduling, busy, engine):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    def measured(**params: Any) -> tuple[int, int]:
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            response = search(scheduling, **params)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200, response.text
        return len(statements), len(response.json()["items"])

    with at(NOW):
        small_count, small_items = measured(
            venue_id=busy["venue"]["id"], arrangement_id=busy["arrangement"]["id"], **day_range(MONDAY)
        )
        for i in range(6):
            scheduling.room(busy["venue"], f"Room {i}")
            scheduling.csw(f"csw-x{i}", working_hours=WEEKDAYS_9_TO_5)
        other = scheduling.venue("Arnold")
        scheduling.room(other, "Far room")
        book(scheduling, busy["arrangement"], busy["room"], "csw-1", "2026-11-25", "16:00", "17:00")
        book(scheduling, busy["arrangement"], busy["room2"], "csw-2", "2026-11-26", "16:00", "17:00")
        large_count, large_items = measured(
            area="north", arrangement_id=busy["arrangement"]["id"], duration_minutes=60, **day_range(MONDAY, 14)
        )
    assert large_items > small_items
    assert large_count == small_count
    assert large_count <= 6  # venues, staff, the arrangement and child, rooms, sessions (+ BEGIN on SQLite)

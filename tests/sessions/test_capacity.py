"""A room's capacity (R-20, R-21): the people attending, the child and the lead CSW must all
fit. Over capacity is a 422 naming `room_id`, for a booking and for a move (a move takes its
attendees along); availability, which does not know who will attend, offers only rooms that
hold the child and the CSW.

"Now" is Monday 1 March 2027, 09:00 UTC; the child's network has two people (mum and dad).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.sessions.models import ContactSession, SessionAttendee
from tests.helpers import at

NOW = "2027-03-01T09:00:00+00:00"
TUESDAY_1600 = {"starts_at": "2027-03-09T16:00:00Z", "ends_at": "2027-03-09T17:30:00Z"}


def stored(engine) -> tuple[int, int]:
    with Session(engine) as session:
        return (
            session.execute(select(func.count()).select_from(ContactSession)).scalar_one(),
            session.execute(select(func.count()).select_from(SessionAttendee)).scalar_one(),
        )


@pytest.fixture
def world(scheduling):
    with at(NOW) as traveller:
        venue = scheduling.venue()
        yield {
            "venue": venue,
            "four": scheduling.room(venue, "Four", capacity=4),
            "three": scheduling.room(venue, "Three", capacity=3),
            "csw": scheduling.csw("csw-1"),
            "arrangement": scheduling.arrangement(date_of_birth="2017-03-14"),
            "clock": traveller,
        }


def booking(world: dict, room: str, attendees: int, **extra) -> dict:
    people = [p["id"] for p in world["arrangement"]["people"]][:attendees]
    return {
        "arrangement_id": world["arrangement"]["id"], "room_id": world[room]["id"], "csw_sub": "csw-1",
        "attendees": people, **TUESDAY_1600, **extra,
    }


def test_r20_the_room_holds_the_attendees_the_child_and_the_csw(scheduling, engine, world):
    response = scheduling.book(**booking(world, "four", attendees=2))
    assert response.status_code == 201, response.text
    assert len(response.json()["attendees"]) == 2


def test_r20_one_more_than_the_room_holds_is_422_naming_the_room(scheduling, engine, world):
    before = stored(engine)
    response = scheduling.book(**booking(world, "three", attendees=2))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"].endswith(":validation")
    assert [e["field"] for e in problem["errors"]] == ["room_id"]
    assert problem["detail"] == "room_id: has room for 3; the child, the CSW and 2 attending make 4"
    assert stored(engine) == before
    # One attending fits.
    assert scheduling.book(**booking(world, "three", attendees=1)).status_code == 201


def test_r20_a_move_takes_its_attendees_into_the_new_room(scheduling, engine, world):
    session = scheduling.book(**booking(world, "four", attendees=2)).json()
    before = stored(engine)
    # The body's attendees are not read on a move: the session's own two come along.
    moved = scheduling.client.post(
        f"/api/v1/sessions/{session['id']}/move", json=booking(world, "three", attendees=0), headers=scheduling.tl()
    )
    assert moved.status_code == 422, moved.text
    assert [e["field"] for e in moved.json()["errors"]] == ["room_id"]
    assert stored(engine) == before
    same_room = scheduling.client.post(
        f"/api/v1/sessions/{session['id']}/move",
        json=booking(world, "four", attendees=0, starts_at="2027-03-10T16:00:00Z", ends_at="2027-03-10T17:00:00Z"),
        headers=scheduling.tl(),
    )
    assert same_room.status_code == 200, same_room.text


def test_r27_availability_offers_only_rooms_that_hold_the_child_and_the_csw(scheduling, world):
    single = scheduling.room(world["venue"], "Single", capacity=1)
    pair = scheduling.room(world["venue"], "Pair", capacity=2)
    response = scheduling.client.get(
        "/api/v1/availability",
        params={
            "venue_id": world["venue"]["id"], "duration_minutes": 60, "limit": 500,
            "from": "2027-03-09T16:00:00Z", "to": "2027-03-09T19:00:00Z",
        },
        headers=scheduling.tl(),
    )
    assert response.status_code == 200, response.text
    rooms = {item["room_id"] for item in response.json()["items"]}
    assert pair["id"] in rooms and single["id"] not in rooms
    refused = scheduling.book(**booking(world, "four", attendees=0, room_id=single["id"]))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "room_id"

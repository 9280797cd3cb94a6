"""Sessions through HTTP: booking (R-20, R-21), no overlaps (R-22), the rules on top (R-23 to
R-25, past bookings), series (R-26), moving and cancelling (R-26, R-29), who sees what (R-06)
and bad input. Every refusal is checked to have written nothing.

"Now" is frozen at Monday 1 March 2027, 09:00 UTC (GMT); the child of the `setting` fixture
was born 2017-03-14, so is 9 (10 from 14 March) and of school age. Clocks go forward on
Sunday 28 March 2027 and back on Sunday 31 October 2027; Good Friday is 26 March and Easter
Monday 29 March.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import jsonschema_rs
import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.arrangements.models import Arrangement, ArrangementStatus
from app.core.audit import AuditEntry
from app.core.outbox import OutboxEvent
from app.sessions.models import ContactSession, SessionAttendee
from app.sessions.schemas import ClashProblem
from tests.helpers import at, sign_agreement

LONDON = ZoneInfo("Europe/London")
NOW = "2027-03-01T09:00:00+00:00"  # a Monday
TUESDAY_1600 = ("2027-03-09T16:00:00Z", "2027-03-09T17:30:00Z")  # after school, GMT
CLASH = "urn:contact-service:problem:booking-clash"
VALIDATION = "urn:contact-service:problem:validation"


def counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            m.__tablename__: session.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (ContactSession, SessionAttendee, AuditEntry, OutboxEvent)
        }


def events(client, auth, type_: str) -> list[dict]:
    feed = client.get("/api/v1/events", params={"type": type_, "limit": 500}, headers=auth("sm-1", "service_manager"))
    assert feed.status_code == 200, feed.text
    return feed.json()["items"]


def audit_actions(engine, entity_id: str) -> list[str]:
    with Session(engine) as session:
        return list(
            session.execute(select(AuditEntry.action).where(AuditEntry.entity_id == entity_id).order_by(AuditEntry.seq)).scalars()
        )


def row(engine, session_id: str) -> ContactSession:
    with Session(engine) as session:
        found = session.get(ContactSession, uuid.UUID(session_id))
        assert found is not None
        return found


def local(instant: str) -> datetime:
    return datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone(LONDON)


@pytest.fixture
def now():
    with at(NOW) as traveller:
        yield traveller


@pytest.fixture
def world(now, setting) -> dict:
    """The `setting` (venue, two rooms, csw-1 and csw-2, a 9-year-old's court-arena
    arrangement), built and used at the frozen "now"."""
    return setting


def body(world: dict, **overrides) -> dict:
    starts, ends = TUESDAY_1600
    data = {
        "arrangement_id": world["arrangement"]["id"],
        "room_id": world["room"]["id"],
        "csw_sub": "csw-1",
        "starts_at": starts,
        "ends_at": ends,
    }
    data.update(overrides)
    return data


def supervise(scheduling, arrangement_id: str, *, room_id: str | None = None, csw_sub: str = "csw-1") -> dict:
    """A team leader allocates the arrangement a session with this CSW (a week on), so the
    CSW supervises it and may book its further sessions themself (R-06)."""
    place = {"room_id": room_id} if room_id else {"outside": {"location": "Soft play"}}
    response = scheduling.book(
        arrangement_id=arrangement_id, csw_sub=csw_sub, starts_at="2027-03-17T16:00:00Z", ends_at="2027-03-17T17:00:00Z", **place
    )
    assert response.status_code == 201, response.text
    return response.json()


def client_move(scheduling, session: dict, data: dict, headers=None):
    return scheduling.client.post(f"/api/v1/sessions/{session['id']}/move", json=data, headers=headers or scheduling.tl())


def booked(scheduling, world: dict, headers=None, **overrides) -> dict:
    response = scheduling.book(headers, **body(world, **overrides))
    assert response.status_code == 201, response.text
    return response.json()


def assert_refused(response, before: dict, engine, status: int, type_: str = VALIDATION, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == type_ and problem["status"] == status
    if field is not None:
        assert [e["field"] for e in problem["errors"]] == [field], problem
    assert counts(engine) == before, "a refusal wrote something"
    return problem


# --- a booking ---------------------------------------------------------------------


class TestBooking:
    def test_r21_team_leader_books_room_csw_child_and_attendees(self, client, auth, engine, scheduling, world):
        people = [p["id"] for p in world["arrangement"]["people"]]
        before = counts(engine)
        response = scheduling.book(**body(world, attendees=people))
        assert response.status_code == 201, response.text
        session = response.json()
        assert response.headers["location"] == f"/api/v1/sessions/{session['id']}"
        assert session["arrangement_id"] == world["arrangement"]["id"]
        assert session["child_id"] == world["arrangement"]["child"]["id"]
        assert session["room_id"] == world["room"]["id"] and session["venue_id"] == world["venue"]["id"]
        assert session["csw_sub"] == "csw-1" and session["location"] is None
        assert (session["starts_at"], session["ends_at"]) == TUESDAY_1600
        assert session["status"] == "booked" and session["series_id"] is None and session["version"] == 1
        assert session["retrospective"] is False and session["cancelled_at"] is None
        # Without staggering everyone arrives and leaves with the session.
        assert sorted(a["person_id"] for a in session["attendees"]) == sorted(people)
        assert {(a["arrive_at"], a["leave_at"]) for a in session["attendees"]} == {TUESDAY_1600}
        after = counts(engine)
        assert after["contact_session"] == before["contact_session"] + 1
        assert after["session_attendee"] == before["session_attendee"] + 2
        stored = row(engine, session["id"])
        assert stored.created_by == "tl-1" and stored.overrides == {}
        assert audit_actions(engine, session["id"]) == ["session.booked"]
        [event] = events(client, auth, "session.booked")
        assert event["subject_id"] == session["id"]
        assert event["data"]["session_id"] == session["id"] and event["data"]["room_id"] == world["room"]["id"]
        assert event["data"]["starts_at"] == "2027-03-09T16:00:00Z"
        # Ids and times only: no names, no location.
        assert "location" not in event["data"] and "Okafor" not in str(event["data"])

    def test_r21_csw_books_their_own_session_for_an_arrangement_they_supervise(self, scheduling, world):
        booked(scheduling, world)  # a team leader allocates the arrangement's first session to csw-1
        session = booked(
            scheduling, world, scheduling.csw_headers("csw-1"),
            starts_at="2027-03-03T16:00:00Z", ends_at="2027-03-03T17:30:00Z",
        )
        assert session["csw_sub"] == "csw-1"

    def test_r06_a_csw_cannot_book_themselves_onto_an_arrangement_to_read_its_child(self, engine, scheduling, world):
        """The hole this closes: an unallocated CSW booked a session for another worker's
        arrangement with themselves as CSW, then read the child."""
        before = counts(engine)
        response = scheduling.book(scheduling.csw_headers("csw-1"), **body(world))
        unknown = scheduling.book(scheduling.csw_headers("csw-1"), **body(world, arrangement_id=str(uuid.uuid4())))
        assert_refused(response, before, engine, 422, field="arrangement_id")
        assert response.json() == unknown.json()  # the same answer as for an arrangement that does not exist
        child = scheduling.client.get(f"/api/v1/children/{world['arrangement']['child']['id']}", headers=scheduling.csw_headers("csw-1"))
        assert child.status_code == 404

    def test_r21_csw_may_not_book_another_csw(self, engine, scheduling, world):
        before = counts(engine)
        response = scheduling.book(scheduling.csw_headers("csw-1"), **body(world, csw_sub="csw-2"))
        assert_refused(response, before, engine, 403, "urn:contact-service:problem:forbidden")

    @pytest.mark.parametrize("role", ["social_worker", "service_manager", "data_analyst", "admin"])
    def test_r21_only_team_leaders_and_csws_book(self, auth, engine, scheduling, world, role):
        before = counts(engine)
        response = scheduling.book(auth("someone", role, team="north-1"), **body(world))
        assert_refused(response, before, engine, 403, "urn:contact-service:problem:forbidden")

    def test_r21_parties_who_must_not_meet_arrive_and_leave_15_minutes_apart(self, scheduling, world):
        mum, dad = (p["id"] for p in world["arrangement"]["people"])
        session = booked(scheduling, world, attendees=[mum, dad], parties_must_not_meet=True)
        times = {a["person_id"]: (a["arrive_at"], a["leave_at"]) for a in session["attendees"]}
        assert times[mum] == ("2027-03-09T15:30:00Z", "2027-03-09T17:45:00Z")
        assert times[dad] == ("2027-03-09T15:45:00Z", "2027-03-09T18:00:00Z")
        # No two parties arrive or leave at the same time.
        assert len({t[0] for t in times.values()}) == 2 and len({t[1] for t in times.values()}) == 2

    def test_r21_attendee_outside_the_childs_network_is_422(self, engine, scheduling, world):
        other = scheduling.arrangement(key="654321")
        before = counts(engine)
        response = scheduling.book(**body(world, attendees=[world["arrangement"]["people"][0]["id"], other["people"][0]["id"]]))
        assert_refused(response, before, engine, 422, field="attendees.1")

    def test_r21_the_same_person_twice_is_422(self, engine, scheduling, world):
        mum = world["arrangement"]["people"][0]["id"]
        before = counts(engine)
        assert_refused(scheduling.book(**body(world, attendees=[mum, mum])), before, engine, 422, field="attendees")

    @pytest.mark.parametrize(
        ("starts", "ends"),
        [
            ("2027-03-09T18:30:00Z", "2027-03-09T19:30:00Z"),  # past closing at 19:00
            ("2027-03-09T08:00:00Z", "2027-03-09T09:00:00Z"),  # before opening at 08:30
            ("2027-03-13T11:00:00Z", "2027-03-13T12:00:00Z"),  # a Saturday: closed by default
            ("2027-03-09T18:00:00Z", "2027-03-10T01:00:00Z"),  # runs into the next day
        ],
    )
    def test_r20_outside_the_venues_opening_hours_is_422(self, engine, scheduling, world, starts, ends):
        before = counts(engine)
        problem = assert_refused(scheduling.book(**body(world, starts_at=starts, ends_at=ends)), before, engine, 422, field="starts_at")
        assert "opening hours" in problem["detail"]

    def test_r20_the_room_must_suit_the_childs_age(self, engine, scheduling, world):
        teens = scheduling.room(world["venue"], "Teen room", min_age=11, max_age=18)
        before = counts(engine)
        problem = assert_refused(scheduling.book(**body(world, room_id=teens["id"])), before, engine, 422, field="room_id")
        assert "the child is 9 on 2027-03-09" in problem["detail"]
        session = booked(scheduling, world)
        assert_refused(
            client_move(scheduling, session, body(world, room_id=teens["id"])), counts(engine), engine, 422, field="room_id"
        )

    def test_r20_weekend_hours_of_a_venue_allow_a_saturday_session(self, scheduling, world):
        saturday = [{"weekday": 5, "opens": "10:00", "closes": "16:00"}]
        venue = scheduling.venue("Worksop", opening_hours=saturday)
        room = scheduling.room(venue)
        session = booked(scheduling, world, room_id=room["id"], starts_at="2027-03-13T11:00:00Z", ends_at="2027-03-13T12:00:00Z")
        assert session["venue_id"] == venue["id"]

    def test_r20_a_venue_open_until_midnight_takes_a_session_ending_at_midnight(self, engine, scheduling, world):
        late = [{"weekday": 4, "opens": "18:00", "closes": "24:00"}]
        room = scheduling.room(scheduling.venue("Late", opening_hours=late))
        scheduling.csw("csw-late", working_hours=late)
        session = booked(
            scheduling, world, room_id=room["id"], csw_sub="csw-late", starts_at="2027-03-12T23:00:00Z", ends_at="2027-03-13T00:00:00Z"
        )
        assert session["ends_at"] == "2027-03-13T00:00:00Z"
        before = counts(engine)
        response = scheduling.book(
            **body(world, room_id=room["id"], csw_sub="csw-late", starts_at="2027-03-12T23:30:00Z", ends_at="2027-03-13T00:30:00Z")
        )
        assert_refused(response, before, engine, 422, field="starts_at")


# --- no overlaps -------------------------------------------------------------------


class TestNoOverlap:
    def test_r22_the_same_room_is_409_naming_the_session(self, engine, scheduling, world):
        first = booked(scheduling, world)
        other = scheduling.arrangement(key="654321")
        before = counts(engine)
        response = scheduling.book(
            **body(world, arrangement_id=other["id"], csw_sub="csw-2", starts_at="2027-03-09T17:00:00Z", ends_at="2027-03-09T18:00:00Z")
        )
        problem = assert_refused(response, before, engine, 409, CLASH)
        assert first["id"] in problem["detail"]
        assert problem["clashes"] == [
            {
                "session_id": first["id"],
                "on": ["room"],
                "starts_at": "2027-03-09T16:00:00Z",
                "ends_at": "2027-03-09T17:30:00Z",
                "requested_starts_at": "2027-03-09T17:00:00Z",
            }
        ]

    def test_r22_the_same_csw_is_409(self, engine, scheduling, world):
        first = booked(scheduling, world)
        other = scheduling.arrangement(key="654321")
        before = counts(engine)
        response = scheduling.book(**body(world, arrangement_id=other["id"], room_id=world["room2"]["id"]))
        problem = assert_refused(response, before, engine, 409, CLASH)
        assert [(c["session_id"], c["on"]) for c in problem["clashes"]] == [(first["id"], ["csw"])]

    def test_r22_the_same_child_is_409(self, engine, scheduling, world):
        first = booked(scheduling, world)
        before = counts(engine)
        response = scheduling.book(**body(world, room_id=world["room2"]["id"], csw_sub="csw-2"))
        problem = assert_refused(response, before, engine, 409, CLASH)
        assert [(c["session_id"], c["on"]) for c in problem["clashes"]] == [(first["id"], ["child"])]

    def test_r22_the_very_same_slot_names_room_csw_and_child(self, engine, scheduling, world):
        first = booked(scheduling, world)
        before = counts(engine)
        problem = assert_refused(scheduling.book(**body(world)), before, engine, 409, CLASH)
        assert [(c["session_id"], c["on"]) for c in problem["clashes"]] == [(first["id"], ["room", "csw", "child"])]

    def test_r22_a_booking_or_a_move_that_clashes_answers_the_documented_clash_problem(self, app, engine, scheduling, world):
        first = booked(scheduling, world)
        later = booked(scheduling, world, starts_at="2027-03-09T17:30:00Z", ends_at="2027-03-09T18:30:00Z")
        document = app.openapi()
        schema = jsonschema_rs.validator_for({"$ref": "#/components/schemas/ClashProblem", "components": document["components"]})
        before = counts(engine)
        for response in (scheduling.book(**body(world)), client_move(scheduling, later, body(world))):
            problem = assert_refused(response, before, engine, 409, CLASH)
            assert [c["session_id"] for c in problem["clashes"]] == [first["id"]]
            schema.validate(problem)  # the named schema the 409s of both routes point to
            assert ClashProblem.model_validate(problem).clashes[0].on == ["room", "csw", "child"]

    def test_r22_back_to_back_sessions_do_not_clash(self, scheduling, world):
        booked(scheduling, world)
        booked(scheduling, world, starts_at="2027-03-09T17:30:00Z", ends_at="2027-03-09T18:30:00Z")
        booked(scheduling, world, starts_at="2027-03-09T15:30:00Z", ends_at="2027-03-09T16:00:00Z")

    def test_r22_a_cancelled_session_frees_its_slot(self, client, scheduling, world):
        first = booked(scheduling, world)
        cancelled = client.post(
            f"/api/v1/sessions/{first['id']}/cancel", json={"reason": "Room flooded.", "cancelled_by": "service"}, headers=scheduling.tl()
        )
        assert cancelled.status_code == 200, cancelled.text
        again = booked(scheduling, world)
        assert again["id"] != first["id"]

    def test_r22_every_clashing_session_is_named(self, engine, scheduling, world):
        early = booked(scheduling, world, starts_at="2027-03-09T15:15:00Z", ends_at="2027-03-09T16:00:00Z")
        late = booked(scheduling, world, room_id=world["room2"]["id"], csw_sub="csw-2", starts_at="2027-03-09T17:00:00Z", ends_at="2027-03-09T18:00:00Z")
        before = counts(engine)
        response = scheduling.book(**body(world, starts_at="2027-03-09T15:30:00Z", ends_at="2027-03-09T17:30:00Z"))
        problem = assert_refused(response, before, engine, 409, CLASH)
        assert [(c["session_id"], c["on"]) for c in problem["clashes"]] == [
            (early["id"], ["room", "csw", "child"]),
            (late["id"], ["child"]),
        ]
        assert early["id"] in problem["detail"] and late["id"] in problem["detail"]


# --- daily cap and working hours ---------------------------------------------------


class TestCswLimits:
    def fill_the_day(self, scheduling, world) -> None:
        for starts, ends in (("16:00", "16:45"), ("17:00", "17:45"), ("18:00", "18:45")):
            booked(scheduling, world, starts_at=f"2027-03-09T{starts}:00Z", ends_at=f"2027-03-09T{ends}:00Z")

    def test_r23_a_fourth_session_in_a_day_is_refused(self, engine, scheduling, world):
        self.fill_the_day(scheduling, world)
        before = counts(engine)
        response = scheduling.book(**body(world, room_id=world["room2"]["id"], starts_at="2027-03-09T15:15:00Z", ends_at="2027-03-09T15:45:00Z"))
        problem = assert_refused(response, before, engine, 409, "urn:contact-service:problem:daily-cap")
        assert problem["days"] == ["2027-03-09"] and "override_reason" in problem["detail"]

    def test_r23_a_csw_cannot_override_their_own_cap(self, engine, scheduling, world):
        self.fill_the_day(scheduling, world)
        before = counts(engine)
        response = scheduling.book(
            scheduling.csw_headers("csw-1"),
            **body(world, starts_at="2027-03-09T15:15:00Z", ends_at="2027-03-09T15:45:00Z", override_reason="I can manage four."),
        )
        assert_refused(response, before, engine, 409, "urn:contact-service:problem:daily-cap")

    def test_r23_a_team_leader_overrides_the_cap_with_a_reason(self, engine, scheduling, world):
        self.fill_the_day(scheduling, world)
        session = booked(
            scheduling, world, starts_at="2027-03-09T15:15:00Z", ends_at="2027-03-09T15:45:00Z", override_reason="Court-ordered extra session."
        )
        assert row(engine, session["id"]).overrides == {"csw_limits": {"by": "tl-1", "reason": "Court-ordered extra session."}}

    def test_r23_the_cap_is_per_csw_and_cancelled_sessions_do_not_count(self, client, scheduling, world):
        scheduling.csw("csw-1", daily_cap=1)
        first = booked(scheduling, world)
        other = scheduling.arrangement(key="654321")
        response = scheduling.book(**body(world, arrangement_id=other["id"], starts_at="2027-03-09T09:00:00Z", ends_at="2027-03-09T10:00:00Z", school_hours_reason="x"))
        assert response.status_code == 409 and response.json()["type"].endswith("daily-cap")
        # Another CSW that day is fine; and once the first is cancelled, so is csw-1.
        booked(scheduling, world, arrangement_id=other["id"], csw_sub="csw-2", room_id=world["room2"]["id"])
        client.post(f"/api/v1/sessions/{first['id']}/cancel", json={"reason": "Unwell.", "cancelled_by": "child"}, headers=scheduling.tl())
        booked(scheduling, world, starts_at="2027-03-09T18:00:00Z", ends_at="2027-03-09T19:00:00Z")

    def test_r23_outside_the_csws_working_hours_is_refused_unless_a_team_leader_overrides(self, engine, scheduling, world):
        supervise(scheduling, world["arrangement"]["id"], room_id=world["room"]["id"])
        scheduling.csw("csw-1", working_hours=[{"weekday": d, "opens": "09:00", "closes": "17:00"} for d in range(5)])
        before = counts(engine)
        response = scheduling.book(scheduling.csw_headers("csw-1"), **body(world, override_reason="Please."))
        problem = assert_refused(response, before, engine, 422, field="starts_at")
        assert "working hours" in problem["detail"]
        assert_refused(scheduling.book(**body(world)), before, engine, 422, field="starts_at")
        session = booked(scheduling, world, override_reason="Only time dad can make it.")
        assert row(engine, session["id"]).overrides["csw_limits"] == {"by": "tl-1", "reason": "Only time dad can make it."}


# --- school hours ------------------------------------------------------------------


class TestSchoolHours:
    def test_r24_a_school_age_child_is_not_booked_in_school_hours(self, engine, scheduling, world):
        before = counts(engine)
        response = scheduling.book(**body(world, starts_at="2027-03-09T15:00:00Z", ends_at="2027-03-09T16:00:00Z"))
        problem = assert_refused(response, before, engine, 422, field="starts_at")
        assert "school hours" in problem["detail"]

    def test_r24_with_a_reason_it_is_booked_and_the_reason_kept(self, engine, scheduling, world):
        session = booked(scheduling, world, starts_at="2027-03-09T10:00:00Z", ends_at="2027-03-09T11:00:00Z", school_hours_reason="Excluded this week.")
        assert row(engine, session["id"]).overrides == {"school_hours": {"by": "tl-1", "reason": "Excluded this week."}}

    @pytest.mark.parametrize(
        ("starts", "ends"),
        [("2027-03-09T08:30:00Z", "2027-03-09T08:45:00Z"), ("2027-03-09T15:15:00Z", "2027-03-09T16:00:00Z")],
    )
    def test_r24_the_school_day_is_0845_to_1515(self, scheduling, world, starts, ends):
        booked(scheduling, world, starts_at=starts, ends_at=ends)

    def test_r24_a_bank_holiday_is_not_a_school_day(self, scheduling, world):
        # Good Friday, 26 March 2027: the venue keeps its weekday hours.
        booked(scheduling, world, starts_at="2027-03-26T10:00:00Z", ends_at="2027-03-26T11:00:00Z")

    def test_r24_school_hours_are_local_time_after_the_clock_change(self, engine, scheduling, world):
        # 07:30-08:30 UTC on Tuesday 30 March 2027 is 08:30-09:30 BST: in school hours.
        before = counts(engine)
        response = scheduling.book(**body(world, starts_at="2027-03-30T07:30:00Z", ends_at="2027-03-30T08:30:00Z"))
        assert_refused(response, before, engine, 422, field="starts_at")
        booked(scheduling, world, starts_at="2027-03-30T14:15:00Z", ends_at="2027-03-30T15:15:00Z")  # 15:15-16:15 BST

    @pytest.mark.parametrize(
        ("date_of_birth", "status"),
        [("2023-06-01", 201), ("2022-03-01", 422), ("2010-06-01", 422), ("2010-01-01", 201)],
        ids=["3-years", "just-5", "16", "17"],
    )
    def test_r24_school_age_is_5_to_16(self, engine, scheduling, now, date_of_birth, status):
        room = scheduling.room(scheduling.venue())
        scheduling.csw("csw-1")
        arrangement = scheduling.arrangement(date_of_birth=date_of_birth)
        before = counts(engine)
        response = scheduling.book(
            arrangement_id=arrangement["id"], room_id=room["id"], csw_sub="csw-1", starts_at="2027-03-09T10:00:00Z", ends_at="2027-03-09T11:00:00Z"
        )
        assert response.status_code == status, response.text
        if status == 422:
            assert_refused(response, before, engine, 422, field="starts_at")


# --- outside a venue ---------------------------------------------------------------


OUTSIDE = {"location": "Arnold park", "exception": "no_outside_space_park_nearby", "risk_note": "Two CSWs; mum's car not nearby."}


def outside_court_arena(scheduling) -> dict:
    """An active arrangement for a child outside the court arena (core offer with its reason)."""
    referrals = scheduling.referrals
    child, people = referrals.child(key="777777", court_arena=False)
    referral = referrals.draft(child, people)
    scheduling.client.post(f"/api/v1/referrals/{referral['id']}/approval", headers=referrals.tm())
    scheduling.client.post(f"/api/v1/referrals/{referral['id']}/submit", headers=referrals.sw())
    decided = referrals.decide(referral, outcome="accepted_core", reason="Significant risk of abduction; no alternative.")
    assert decided.status_code == 200, decided.text
    sign_agreement(scheduling.client, scheduling.tl(), decided.json()["arrangement_id"], people)
    return {"id": decided.json()["arrangement_id"], "child": child, "people": people}


class TestOutside:
    @pytest.mark.parametrize(
        ("outside", "field"),
        [
            ({"location": "Arnold park"}, "outside.exception"),
            ({"location": "Arnold park", "exception": "rehabilitation_plan"}, "outside.risk_note"),
            ({"location": "Arnold park", "exception": "day_at_the_zoo", "risk_note": "x"}, "outside.exception"),
        ],
    )
    def test_r25_court_arena_outside_a_venue_needs_a_listed_exception_and_a_risk_note(self, engine, scheduling, world, outside, field):
        before = counts(engine)
        response = scheduling.book(**body(world, room_id=None, outside=outside))
        assert_refused(response, before, engine, 422, field=field)

    def test_r25_only_a_team_leader_approves_it(self, engine, scheduling, world):
        supervise(scheduling, world["arrangement"]["id"], room_id=world["room"]["id"])
        before = counts(engine)
        response = scheduling.book(scheduling.csw_headers("csw-1"), **body(world, room_id=None, outside=OUTSIDE))
        assert_refused(response, before, engine, 403, "urn:contact-service:problem:forbidden")

    def test_r25_a_team_leader_approves_a_listed_exception_with_a_risk_note(self, client, auth, engine, scheduling, world):
        session = booked(scheduling, world, room_id=None, outside=OUTSIDE)
        assert session["room_id"] is None and session["venue_id"] is None and session["location"] == "Arnold park"
        assert row(engine, session["id"]).overrides == {
            "outside": {"by": "tl-1", "exception": "no_outside_space_park_nearby", "risk_note": OUTSIDE["risk_note"]}
        }
        [event] = events(client, auth, "session.booked")
        assert event["data"]["venue_id"] is None and "Arnold" not in str(event["data"])

    def test_r25_outside_the_venue_is_not_held_to_its_opening_hours(self, scheduling, world):
        booked(scheduling, world, room_id=None, outside=OUTSIDE, starts_at="2027-03-13T11:00:00Z", ends_at="2027-03-13T12:00:00Z")

    def test_r25_other_arrangements_go_outside_without_an_exception(self, scheduling, now):
        scheduling.csw("csw-1")
        arrangement = outside_court_arena(scheduling)
        supervise(scheduling, arrangement["id"])
        response = scheduling.book(
            scheduling.csw_headers("csw-1"),
            arrangement_id=arrangement["id"],
            outside={"location": "Soft play, Arnold"},
            csw_sub="csw-1",
            starts_at=TUESDAY_1600[0],
            ends_at=TUESDAY_1600[1],
        )
        assert response.status_code == 201, response.text
        assert response.json()["location"] == "Soft play, Arnold"

    @pytest.mark.parametrize("where", ["both", "neither"])
    def test_r25_a_session_is_in_a_room_or_outside(self, engine, scheduling, world, where):
        before = counts(engine)
        data = body(world, outside=OUTSIDE) if where == "both" else body(world, room_id=None)
        assert_refused(scheduling.book(**data), before, engine, 422, field="outside" if where == "both" else "room_id")


# --- Past bookings -----------------------------------------------------------------------


class TestPast:
    PAST = {"starts_at": "2027-02-26T16:00:00Z", "ends_at": "2027-02-26T17:00:00Z"}

    def test_r21_a_past_booking_is_refused(self, engine, scheduling, world):
        before = counts(engine)
        problem = assert_refused(scheduling.book(**body(world, **self.PAST)), before, engine, 422, field="starts_at")
        assert "retrospective" in problem["detail"]

    def test_r21_a_session_that_already_began_is_in_the_past(self, engine, scheduling, world, now):
        now.move_to(datetime.fromisoformat("2027-03-09T16:05:00+00:00"))
        before = counts(engine)
        assert_refused(scheduling.book(**body(world)), before, engine, 422, field="starts_at")

    def test_r21_a_csw_cannot_record_a_retrospective_session(self, engine, scheduling, world):
        supervise(scheduling, world["arrangement"]["id"], room_id=world["room"]["id"])
        before = counts(engine)
        response = scheduling.book(scheduling.csw_headers("csw-1"), **body(world, retrospective_reason="Forgot to book.", **self.PAST))
        assert_refused(response, before, engine, 422, field="starts_at")

    def test_r21_a_team_leader_records_a_retrospective_session(self, engine, scheduling, world):
        session = booked(scheduling, world, retrospective_reason="Emergency contact arranged by phone.", **self.PAST)
        assert session["retrospective"] is True
        stored = row(engine, session["id"])
        assert stored.retrospective is True
        assert stored.overrides["retrospective"] == {"by": "tl-1", "reason": "Emergency contact arranged by phone."}


# --- Bad input ---------------------------------------------------------------------------


class TestBadInput:
    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"ends_at": "2027-03-09T15:00:00Z"}, "ends_at"),  # end before start
            ({"ends_at": TUESDAY_1600[0]}, "ends_at"),  # zero length
            ({"starts_at": "2027-03-09T08:30:00Z", "ends_at": "2027-03-09T16:31:00Z", "school_hours_reason": "x"}, "ends_at"),  # over 8 hours
            ({"starts_at": "2027-03-09T16:00:00"}, "starts_at"),  # no offset
            ({"starts_at": "next tuesday"}, "starts_at"),
            ({"csw_sub": "nobody"}, "csw_sub"),
            ({"room_id": str(uuid.uuid4())}, "room_id"),
            ({"arrangement_id": str(uuid.uuid4())}, "arrangement_id"),
            ({"id": str(uuid.uuid4())}, "id"),
            ({"rrule": "FREQ=WEEKLY"}, "rrule"),  # unbounded
            ({"rrule": "FREQ=WEEKLY;COUNT=53"}, "rrule"),  # over 52
            ({"rrule": "FREQ=DAILY;UNTIL=20290101T000000Z"}, "rrule"),  # over 52, by UNTIL
            ({"rrule": "FREQ=FORTNIGHTLY;COUNT=6"}, "rrule"),  # not RFC 5545
            ({"rrule": "FREQ=WEEKLY;COUNT=0"}, "rrule"),  # no sessions
            ({"rrule": "FREQ=WEEKLY;COUNT=2;UNTIL=20270401T000000Z"}, "rrule"),  # both ends
            ({"rrule": "FREQ=HOURLY;COUNT=2"}, "rrule"),  # 90-minute sessions an hour apart overlap
            ({"rrule": "FREQ=DAILY;UNTIL=00010101T000000Z"}, "rrule"),
            ({"rrule": "FREQ=DAILY;UNTIL=20271340T000000Z"}, "rrule"),
            ({"rrule": "FREQ=MONTHLY;UNTIL=20350101T000000Z"}, "rrule"),  # ends too far ahead
            ({"rrule": "DTSTART:20200101T090000\nRRULE:FREQ=DAILY;COUNT=2"}, "rrule"),  # moves the start
            ({"rrule": "FREQ=WEEKLY;COUNT=2\nRDATE:20300101T090000"}, "rrule"),
        ],
    )
    def test_bad_input_is_a_4xx_problem_and_writes_nothing(self, engine, scheduling, world, change, field):
        before = counts(engine)
        assert_refused(scheduling.book(**body(world, **change)), before, engine, 422, field=field)

    def test_bad_input_eight_hours_is_the_longest_session(self, scheduling, world):
        session = booked(scheduling, world, starts_at="2027-03-09T08:30:00Z", ends_at="2027-03-09T16:30:00Z", school_hours_reason="Day out.")
        assert session["ends_at"] == "2027-03-09T16:30:00Z"

    def test_bad_input_a_room_of_another_venue(self, engine, scheduling, world):
        elsewhere = scheduling.room(scheduling.venue("Worksop"))
        before = counts(engine)
        response = scheduling.book(**body(world, room_id=elsewhere["id"], venue_id=world["venue"]["id"]))
        assert_refused(response, before, engine, 422, field="room_id")

    def test_bad_input_a_csw_who_is_not_a_csw(self, engine, scheduling, world):
        scheduling.csw("tl-2", role="team_leader")
        before = counts(engine)
        problem = assert_refused(scheduling.book(**body(world, csw_sub="tl-2")), before, engine, 422, field="csw_sub")
        assert "contact support worker" in problem["detail"]

    @pytest.mark.parametrize("status", [ArrangementStatus.suspended, ArrangementStatus.closed])
    def test_bad_input_an_arrangement_that_is_not_active(self, engine, scheduling, world, status):
        with Session(engine) as session:
            arrangement = session.get(Arrangement, uuid.UUID(world["arrangement"]["id"]))
            arrangement.status = status
            session.add(arrangement)
            session.commit()
        before = counts(engine)
        problem = assert_refused(scheduling.book(**body(world)), before, engine, 409, "urn:contact-service:problem:arrangement-not-active")
        assert problem["current_state"] == status.value

    def test_bad_input_a_rule_that_can_never_match_is_refused_quickly(self, engine, scheduling, world):
        before = counts(engine)
        started = time.perf_counter()
        response = scheduling.book(**body(world, rrule="FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31;COUNT=2"))
        assert time.perf_counter() - started < 2
        assert_refused(response, before, engine, 422, field="rrule")


# --- series ------------------------------------------------------------------------


class TestSeries:
    def test_r26_a_weekly_series_keeps_1600_local_across_the_spring_clock_change(self, client, auth, engine, scheduling, world):
        before = counts(engine)
        response = scheduling.book(
            **body(world, starts_at="2027-03-24T16:00:00Z", ends_at="2027-03-24T17:00:00Z", rrule="FREQ=WEEKLY;COUNT=3")
        )
        assert response.status_code == 201, response.text
        series = response.json()
        sessions = series["sessions"]
        assert response.headers["location"] == f"/api/v1/sessions/{sessions[0]['id']}"
        assert [s["starts_at"] for s in sessions] == ["2027-03-24T16:00:00Z", "2027-03-31T15:00:00Z", "2027-04-07T15:00:00Z"]
        assert [s["ends_at"] for s in sessions] == ["2027-03-24T17:00:00Z", "2027-03-31T16:00:00Z", "2027-04-07T16:00:00Z"]
        assert {local(s["starts_at"]).strftime("%A %H:%M") for s in sessions} == {"Wednesday 16:00"}
        assert {s["series_id"] for s in sessions} == {series["series_id"]}
        after = counts(engine)
        assert after["contact_session"] == before["contact_session"] + 3
        assert after["audit_log"] == before["audit_log"] + 3
        assert sorted(e["subject_id"] for e in events(client, auth, "session.booked")) == sorted(s["id"] for s in sessions)

    def test_r26_and_across_the_autumn_clock_change(self, scheduling, world):
        series = booked(scheduling, world, starts_at="2027-10-20T15:00:00Z", ends_at="2027-10-20T16:30:00Z", rrule="RRULE:FREQ=WEEKLY;COUNT=3")
        starts = [s["starts_at"] for s in series["sessions"]]
        assert starts == ["2027-10-20T15:00:00Z", "2027-10-27T15:00:00Z", "2027-11-03T16:00:00Z"]
        assert {local(s).strftime("%H:%M") for s in starts} == {"16:00"}

    def test_r26_an_until_in_utc_is_that_instant(self, scheduling, world):
        # 15:00Z on 7 April 2027 is 16:00 BST: the third Wednesday is included.
        series = booked(
            scheduling, world, starts_at="2027-03-24T16:00:00Z", ends_at="2027-03-24T17:00:00Z", rrule="FREQ=WEEKLY;UNTIL=20270407T150000Z"
        )
        assert [s["starts_at"] for s in series["sessions"]] == ["2027-03-24T16:00:00Z", "2027-03-31T15:00:00Z", "2027-04-07T15:00:00Z"]
        # A local UNTIL (no Z) is local time.
        again = booked(
            scheduling, world, room_id=world["room2"]["id"], csw_sub="csw-2", arrangement_id=scheduling.arrangement(key="654321")["id"],
            starts_at="2027-03-24T16:00:00Z", ends_at="2027-03-24T17:00:00Z", rrule="FREQ=WEEKLY;UNTIL=20270407T155959",
        )
        assert len(again["sessions"]) == 2

    def test_r26_a_series_of_52_is_the_most(self, engine, scheduling, world):
        series = booked(scheduling, world, starts_at="2027-03-03T16:00:00Z", ends_at="2027-03-03T17:00:00Z", rrule="FREQ=WEEKLY;COUNT=52")
        assert len(series["sessions"]) == 52

    def test_r26_a_series_with_clashes_books_nothing_and_lists_every_clash(self, engine, scheduling, world):
        other = scheduling.arrangement(key="654321")
        in_room = booked(scheduling, world, arrangement_id=other["id"], csw_sub="csw-2", starts_at="2027-03-31T15:30:00Z", ends_at="2027-03-31T16:30:00Z")
        of_child = booked(scheduling, world, room_id=world["room2"]["id"], csw_sub="csw-2", starts_at="2027-04-14T15:00:00Z", ends_at="2027-04-14T15:30:00Z")
        before = counts(engine)
        response = scheduling.book(
            **body(world, starts_at="2027-03-24T16:00:00Z", ends_at="2027-03-24T17:00:00Z", rrule="FREQ=WEEKLY;COUNT=4")
        )
        problem = assert_refused(response, before, engine, 409, CLASH)
        assert [(c["session_id"], c["on"], c["requested_starts_at"]) for c in problem["clashes"]] == [
            (in_room["id"], ["room"], "2027-03-31T15:00:00Z"),
            (of_child["id"], ["child"], "2027-04-14T15:00:00Z"),
        ]
        assert "2 live sessions" in problem["detail"]

    def test_r26_one_occurrence_outside_opening_hours_refuses_the_series(self, engine, scheduling, world):
        before = counts(engine)
        response = scheduling.book(**body(world, rrule="FREQ=DAILY;COUNT=5"))  # reaches Saturday 13 March
        problem = assert_refused(response, before, engine, 422, field="starts_at")
        assert "2027-03-13T16:00:00Z" in problem["detail"]

    def test_r26_the_daily_cap_counts_a_series_against_what_is_booked(self, engine, scheduling, world):
        scheduling.csw("csw-1", daily_cap=1)
        booked(scheduling, world, starts_at="2027-03-23T18:00:00Z", ends_at="2027-03-23T19:00:00Z")
        before = counts(engine)
        response = scheduling.book(**body(world, starts_at="2027-03-09T16:00:00Z", ends_at="2027-03-09T17:00:00Z", rrule="FREQ=WEEKLY;COUNT=3"))
        problem = assert_refused(response, before, engine, 409, "urn:contact-service:problem:daily-cap")
        assert problem["days"] == ["2027-03-23"]

    def test_r26_one_occurrence_is_moved_alone(self, client, auth, engine, scheduling, world):
        series = booked(scheduling, world, starts_at="2027-03-24T16:00:00Z", ends_at="2027-03-24T17:00:00Z", rrule="FREQ=WEEKLY;COUNT=3")
        first, second, third = series["sessions"]
        moved = client.post(
            f"/api/v1/sessions/{second['id']}/move",
            json=body(world, room_id=world["room2"]["id"], starts_at="2027-04-01T15:00:00Z", ends_at="2027-04-01T16:30:00Z"),
            headers=scheduling.tl(),
        )
        assert moved.status_code == 200, moved.text
        session = moved.json()
        assert (session["starts_at"], session["ends_at"]) == ("2027-04-01T15:00:00Z", "2027-04-01T16:30:00Z")
        assert session["room_id"] == world["room2"]["id"] and session["series_id"] == series["series_id"]
        assert session["version"] == 2 and session["status"] == "booked"
        for untouched in (first, third):
            assert client.get(f"/api/v1/sessions/{untouched['id']}", headers=scheduling.tl()).json() == untouched
        assert audit_actions(engine, second["id"]) == ["session.booked", "session.moved"]
        [event] = events(client, auth, "session.moved")
        assert event["subject_id"] == second["id"]
        assert event["data"]["moved_from"] == {"starts_at": "2027-03-31T15:00:00Z", "ends_at": "2027-03-31T16:00:00Z"}
        assert event["data"]["starts_at"] == "2027-04-01T15:00:00Z" and event["data"]["room_id"] == world["room2"]["id"]

    def test_r26_one_occurrence_is_cancelled_alone(self, client, scheduling, world):
        series = booked(scheduling, world, starts_at="2027-03-24T16:00:00Z", ends_at="2027-03-24T17:00:00Z", rrule="FREQ=WEEKLY;COUNT=3")
        first, second, third = series["sessions"]
        response = client.post(
            f"/api/v1/sessions/{second['id']}/cancel", json={"reason": "Easter holiday away.", "cancelled_by": "carer"}, headers=scheduling.tl()
        )
        assert response.status_code == 200, response.text
        statuses = [client.get(f"/api/v1/sessions/{s['id']}", headers=scheduling.tl()).json()["status"] for s in (first, second, third)]
        assert statuses == ["booked", "cancelled", "booked"]


# --- Moving one session ------------------------------------------------------------------


class TestMove:
    def move(self, client, scheduling, session: dict, data: dict, headers=None):
        return client.post(f"/api/v1/sessions/{session['id']}/move", json=data, headers=headers or scheduling.tl())

    def test_r26_a_move_into_a_clash_is_409_and_changes_nothing(self, client, engine, scheduling, world):
        first = booked(scheduling, world)
        second = booked(scheduling, world, starts_at="2027-03-10T16:00:00Z", ends_at="2027-03-10T17:30:00Z")
        before = counts(engine)
        response = self.move(client, scheduling, second, body(world, room_id=world["room2"]["id"], csw_sub="csw-2"))
        problem = assert_refused(response, before, engine, 409, CLASH)
        assert [(c["session_id"], c["on"]) for c in problem["clashes"]] == [(first["id"], ["child"])]
        assert client.get(f"/api/v1/sessions/{second['id']}", headers=scheduling.tl()).json() == second

    def test_r26_a_move_may_overlap_its_own_old_time(self, client, scheduling, world):
        session = booked(scheduling, world)
        response = self.move(client, scheduling, session, body(world, starts_at="2027-03-09T16:30:00Z", ends_at="2027-03-09T18:00:00Z"))
        assert response.status_code == 200, response.text
        assert response.json()["room_id"] == world["room"]["id"]  # no room_id: stays in its room

    def test_r26_a_move_keeps_the_staggering(self, client, scheduling, world):
        mum, dad = (p["id"] for p in world["arrangement"]["people"])
        session = booked(scheduling, world, attendees=[mum, dad], parties_must_not_meet=True)
        response = self.move(client, scheduling, session, body(world, starts_at="2027-03-10T16:00:00Z", ends_at="2027-03-10T17:00:00Z"))
        assert response.status_code == 200, response.text
        times = {a["person_id"]: (a["arrive_at"], a["leave_at"]) for a in response.json()["attendees"]}
        assert times[mum] == ("2027-03-10T15:30:00Z", "2027-03-10T17:15:00Z")
        assert times[dad] == ("2027-03-10T15:45:00Z", "2027-03-10T17:30:00Z")

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"rrule": "FREQ=WEEKLY;COUNT=2"}, "rrule"),
            ({"ends_at": "2027-03-09T15:00:00Z"}, "ends_at"),
            ({"starts_at": "2027-03-09T07:00:00Z", "ends_at": "2027-03-09T08:00:00Z"}, "starts_at"),
            ({"csw_sub": "nobody"}, "csw_sub"),
        ],
    )
    def test_r26_a_move_follows_the_booking_rules(self, client, engine, scheduling, world, change, field):
        session = booked(scheduling, world)
        before = counts(engine)
        assert_refused(self.move(client, scheduling, session, body(world, **change)), before, engine, 422, field=field)

    def test_r26_a_move_keeps_its_arrangement(self, client, engine, scheduling, world):
        session = booked(scheduling, world)
        other = scheduling.arrangement(key="654321")
        before = counts(engine)
        response = self.move(client, scheduling, session, body(world, arrangement_id=other["id"]))
        assert_refused(response, before, engine, 422, field="arrangement_id")

    def test_r26_a_move_to_a_room_of_another_venue_is_422(self, client, engine, scheduling, world):
        session = booked(scheduling, world)
        elsewhere = scheduling.room(scheduling.venue("Worksop"))
        before = counts(engine)
        response = self.move(client, scheduling, session, body(world, room_id=elsewhere["id"], venue_id=world["venue"]["id"]))
        assert_refused(response, before, engine, 422, field="room_id")

    def test_r26_a_csw_may_not_move_their_session_to_another_csw(self, client, engine, scheduling, world):
        session = booked(scheduling, world)
        before = counts(engine)
        response = self.move(client, scheduling, session, body(world, csw_sub="csw-2"), scheduling.csw_headers("csw-1"))
        assert_refused(response, before, engine, 403, "urn:contact-service:problem:forbidden")
        ok = self.move(client, scheduling, session, body(world, starts_at="2027-03-10T16:00:00Z", ends_at="2027-03-10T17:00:00Z"), scheduling.csw_headers("csw-1"))
        assert ok.status_code == 200, ok.text

    def test_r26_a_cancelled_session_is_not_moved(self, client, engine, scheduling, world):
        session = booked(scheduling, world)
        client.post(f"/api/v1/sessions/{session['id']}/cancel", json={"reason": "Ill.", "cancelled_by": "child"}, headers=scheduling.tl())
        before = counts(engine)
        response = self.move(client, scheduling, session, body(world, starts_at="2027-03-10T16:00:00Z", ends_at="2027-03-10T17:00:00Z"))
        problem = assert_refused(response, before, engine, 409, "urn:contact-service:problem:wrong-state")
        assert problem["current_state"] == "cancelled"

    def test_r26_a_session_of_a_suspended_arrangement_is_not_moved(self, client, engine, scheduling, world):
        session = booked(scheduling, world)
        with Session(engine) as db:
            arrangement = db.get(Arrangement, uuid.UUID(world["arrangement"]["id"]))
            arrangement.status = ArrangementStatus.suspended
            db.add(arrangement)
            db.commit()
        before = counts(engine)
        response = self.move(client, scheduling, session, body(world, starts_at="2027-03-10T16:00:00Z", ends_at="2027-03-10T17:00:00Z"))
        assert_refused(response, before, engine, 409, "urn:contact-service:problem:arrangement-not-active")

    def test_r25_a_move_from_outside_into_a_room_leaves_the_location_behind(self, client, engine, scheduling, world):
        session = booked(scheduling, world, room_id=None, outside=OUTSIDE)
        response = self.move(client, scheduling, session, body(world))
        assert response.status_code == 200, response.text
        assert response.json()["location"] is None and response.json()["room_id"] == world["room"]["id"]
        assert row(engine, session["id"]).location is None

    def test_r25_a_court_arena_move_outside_needs_a_team_leader(self, client, engine, scheduling, world):
        session = booked(scheduling, world)
        before = counts(engine)
        response = self.move(client, scheduling, session, body(world, room_id=None, outside=OUTSIDE), scheduling.csw_headers("csw-1"))
        assert_refused(response, before, engine, 403, "urn:contact-service:problem:forbidden")
        response = self.move(client, scheduling, session, body(world, room_id=None, outside={"location": "Arnold park"}))
        assert_refused(response, before, engine, 422, field="outside.exception")


# --- cancelling, and sessions that did not go ahead --------------------------------


class TestCancel:
    def cancel(self, client, session: dict, headers: dict, **data):
        return client.post(f"/api/v1/sessions/{session['id']}/cancel", json=data, headers=headers)

    def test_r29_a_cancellation_records_who_and_why(self, client, auth, engine, scheduling, world):
        session = booked(scheduling, world)
        mum = world["arrangement"]["people"][0]["id"]
        response = self.cancel(client, session, scheduling.tl(), reason="Mum rang: unwell.", cancelled_by="parent", person_id=mum)
        assert response.status_code == 200, response.text
        cancelled = response.json()
        assert cancelled["status"] == "cancelled" and cancelled["cancelled_by"] == "parent"
        assert cancelled["cancel_reason"] == "Mum rang: unwell." and cancelled["cancelled_at"] == "2027-03-01T09:00:00Z"
        assert cancelled["late_cancellation"] is False and cancelled["version"] == 2
        stored = row(engine, session["id"])
        assert stored.cancelled_by_sub == "tl-1" and str(stored.cancelled_by_person_id) == mum
        assert audit_actions(engine, session["id"]) == ["session.booked", "session.cancelled"]
        [event] = events(client, auth, "session.cancelled")
        assert event["subject_id"] == session["id"]
        assert event["data"]["cancelled_by"] == "parent" and event["data"]["late"] is False
        assert event["data"]["status"] == "cancelled"
        assert "unwell" not in str(event["data"])
        assert events(client, auth, "session.not_held") == []

    def test_r29_within_24_hours_of_the_start_it_is_late(self, client, auth, scheduling, world, now):
        session = booked(scheduling, world)
        now.move_to(datetime.fromisoformat("2027-03-08T16:30:00+00:00"))
        response = self.cancel(client, session, scheduling.tl(), reason="Dad's car broke down.", cancelled_by="parent")
        assert response.status_code == 200, response.text
        assert response.json()["late_cancellation"] is True
        assert events(client, auth, "session.cancelled")[0]["data"]["late"] is True
        assert events(client, auth, "session.not_held") == []

    def test_r29_a_session_that_did_not_go_ahead_is_reported_by_1000_the_next_working_day(self, client, auth, scheduling, world, now):
        # Thursday 25 March 2027, 16:00 GMT. The next working day is Tuesday 30 March (Good
        # Friday and Easter Monday are bank holidays), by when the clocks have gone forward:
        # 10:00 BST is 09:00 UTC.
        session = booked(scheduling, world, starts_at="2027-03-25T16:00:00Z", ends_at="2027-03-25T17:00:00Z")
        now.move_to(datetime.fromisoformat("2027-03-25T16:20:00+00:00"))
        response = self.cancel(client, session, scheduling.csw_headers("csw-1"), reason="Dad did not arrive.", cancelled_by="parent")
        assert response.status_code == 200, response.text
        assert response.json()["late_cancellation"] is True
        [event] = events(client, auth, "session.not_held")
        assert event["subject_id"] == session["id"]
        assert event["data"]["report_due_by"] == "2027-03-30T09:00:00Z"
        assert local(event["data"]["report_due_by"].replace("+00:00", "Z")).strftime("%Y-%m-%d %H:%M") == "2027-03-30 10:00"
        assert event["data"]["notify"] == ["social_worker", "carer"]
        assert event["data"]["cancelled_by"] == "parent"

    def test_r29_a_cancelled_session_is_not_cancelled_again(self, client, engine, scheduling, world):
        session = booked(scheduling, world)
        self.cancel(client, session, scheduling.tl(), reason="Ill.", cancelled_by="child")
        before = counts(engine)
        response = self.cancel(client, session, scheduling.tl(), reason="Again.", cancelled_by="child")
        problem = assert_refused(response, before, engine, 409, "urn:contact-service:problem:wrong-state")
        assert problem["current_state"] == "cancelled"

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"reason": "x", "cancelled_by": "parent", "person_id": str(uuid.uuid4())}, "person_id"),
            ({"reason": "x", "cancelled_by": "grandad"}, "cancelled_by"),
            ({"cancelled_by": "parent"}, "reason"),
            ({"reason": "", "cancelled_by": "parent"}, "reason"),
        ],
    )
    def test_r29_who_and_why_are_checked(self, client, engine, scheduling, world, data, field):
        session = booked(scheduling, world)
        before = counts(engine)
        assert_refused(self.cancel(client, session, scheduling.tl(), **data), before, engine, 422, field=field)

    def test_r29_attendance_counts_late_cancellations_and_non_attendance_per_person(self, client, auth, scheduling, world, now):
        mum, dad = (p["id"] for p in world["arrangement"]["people"])
        days = [f"2027-03-{d:02d}" for d in (9, 10, 11, 12)]
        sessions = [booked(scheduling, world, starts_at=f"{d}T16:00:00Z", ends_at=f"{d}T17:00:00Z") for d in days]
        # Mum: one early, one late; dad: one that did not go ahead; the service: one early.
        self.cancel(client, sessions[0], scheduling.tl(), reason="x", cancelled_by="parent", person_id=mum)
        self.cancel(client, sessions[3], scheduling.tl(), reason="Staff sick.", cancelled_by="service")
        now.move_to(datetime.fromisoformat("2027-03-10T08:00:00+00:00"))
        self.cancel(client, sessions[1], scheduling.tl(), reason="x", cancelled_by="parent", person_id=mum)
        now.move_to(datetime.fromisoformat("2027-03-11T16:10:00+00:00"))
        self.cancel(client, sessions[2], scheduling.tl(), reason="No show.", cancelled_by="parent", person_id=dad)

        response = client.get(f"/api/v1/arrangements/{world['arrangement']['id']}/attendance", headers=auth("sw-1", "social_worker", team="north-1"))
        assert response.status_code == 200, response.text
        result = response.json()
        assert result["arrangement_id"] == world["arrangement"]["id"]
        by_person = {(c["person_id"], c["cancelled_by"]): c for c in result["counts"]}
        assert by_person == {
            (mum, "parent"): {"person_id": mum, "cancelled_by": "parent", "cancellations": 2, "late_cancellations": 1, "not_held": 0},
            (dad, "parent"): {"person_id": dad, "cancelled_by": "parent", "cancellations": 1, "late_cancellations": 0, "not_held": 1},
            (None, "service"): {"person_id": None, "cancelled_by": "service", "cancellations": 1, "late_cancellations": 0, "not_held": 0},
        }

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            (("tl-1", "team_leader"), 200),
            (("sm-1", "service_manager"), 200),
            (("sw-1", "social_worker"), 200),
            (("tm-1", "team_manager"), 200),
            (("sw-2", "social_worker"), 404),
            (("csw-1", "contact_support_worker"), 404),
            (("da-1", "data_analyst"), 403),
        ],
    )
    def test_r29_attendance_is_read_by_those_who_may_read_the_child(self, client, auth, scheduling, world, who, status):
        response = client.get(f"/api/v1/arrangements/{world['arrangement']['id']}/attendance", headers=auth(*who, team="north-1"))
        assert response.status_code == status, response.text
        if status == 200:
            assert response.json() == {"arrangement_id": world["arrangement"]["id"], "counts": []}
        unknown = client.get(f"/api/v1/arrangements/{uuid.uuid4()}/attendance", headers=auth(*who, team="north-1"))
        assert unknown.status_code == (403 if status == 403 else 404)


# --- who sees and changes which session --------------------------------------------


class TestAccess:
    @pytest.mark.parametrize(
        ("sub", "role", "claims", "status"),
        [
            ("csw-1", "contact_support_worker", {}, 200),
            ("csw-2", "contact_support_worker", {}, 404),
            ("tl-2", "team_leader", {}, 200),
            ("sm-1", "service_manager", {}, 200),
            ("sw-1", "social_worker", {"team": "north-1"}, 200),
            ("sw-2", "social_worker", {"team": "north-1"}, 404),
            ("tm-1", "team_manager", {"team": "north-1"}, 200),
            ("tm-2", "team_manager", {"team": "south-1"}, 404),
            ("framework", "integration", {"act_for": "sw-1"}, 200),
            ("framework", "integration", {"act_for": "sw-2"}, 200),  # its own source's child
            ("mosaic-prod", "integration", {"act_for": "sw-1"}, 404),
            ("iro-1", "iro", {}, 404),
            ("da-1", "data_analyst", {}, 403),
            ("admin-1", "admin", {}, 403),
        ],
    )
    def test_r06_who_reads_a_session(self, client, auth, scheduling, world, sub, role, claims, status):
        session = booked(scheduling, world)
        response = client.get(f"/api/v1/sessions/{session['id']}", headers=auth(sub, role, **claims))
        assert response.status_code == status, response.text
        if status == 200:
            assert response.json() == session
        unknown = client.get(f"/api/v1/sessions/{uuid.uuid4()}", headers=auth(sub, role, **claims))
        assert unknown.status_code == (403 if status == 403 else 404)

    @pytest.mark.parametrize(
        ("sub", "role", "claims", "status"),
        [
            ("csw-1", "contact_support_worker", {}, 200),
            ("sw-1", "social_worker", {"team": "north-1"}, 200),
            ("csw-2", "contact_support_worker", {}, 404),
            ("sw-2", "social_worker", {"team": "north-1"}, 404),
            ("tm-1", "team_manager", {"team": "north-1"}, 403),
            ("sm-1", "service_manager", {}, 403),
        ],
    )
    def test_r06_who_cancels_a_session(self, client, auth, engine, scheduling, world, sub, role, claims, status):
        session = booked(scheduling, world)
        before = counts(engine)
        response = client.post(
            f"/api/v1/sessions/{session['id']}/cancel", json={"reason": "x", "cancelled_by": "social_worker"}, headers=auth(sub, role, **claims)
        )
        assert response.status_code == status, response.text
        if status == 200:
            assert row(engine, session["id"]).cancelled_by_sub == sub
        else:
            assert counts(engine) == before

    @pytest.mark.parametrize(
        ("sub", "role", "status"),
        [("csw-2", "contact_support_worker", 404), ("sw-1", "social_worker", 403), ("sm-1", "service_manager", 403)],
    )
    def test_r06_who_moves_a_session(self, client, auth, engine, scheduling, world, sub, role, status):
        session = booked(scheduling, world)
        before = counts(engine)
        response = client.post(
            f"/api/v1/sessions/{session['id']}/move",
            json=body(world, starts_at="2027-03-10T16:00:00Z", ends_at="2027-03-10T17:00:00Z"),
            headers=auth(sub, role, team="north-1"),
        )
        assert response.status_code == status, response.text
        assert counts(engine) == before


# --- Every write audited: venues, rooms and the staff list ------------------------------


class TestAdmin:
    def test_r20_venues_rooms_and_staff_are_audited_and_on_the_outbox(self, client, auth, engine, scheduling, now):
        venue = scheduling.venue()
        assert venue["opening_hours"] == [{"weekday": d, "opens": "08:30", "closes": "19:00"} for d in range(5)]
        room = scheduling.room(venue, min_age=0, max_age=11, accessible=True, outdoor_space=True)
        assert (room["venue_id"], room["max_age"], room["accessible"], room["outdoor_space"]) == (venue["id"], 11, True, True)
        staff = scheduling.csw("csw-1")
        assert staff["daily_cap"] == 3
        assert audit_actions(engine, venue["id"]) == ["venue.created"]
        assert audit_actions(engine, room["id"]) == ["room.created"]
        assert audit_actions(engine, "csw-1") == ["staff.created"]
        for type_ in ("venue.created", "room.created", "staff.created"):
            assert len(events(client, auth, type_)) == 1
        # The same again changes nothing and writes nothing; a change is audited.
        before = counts(engine)
        scheduling.csw("csw-1")
        assert counts(engine) == before
        assert scheduling.csw("csw-1", daily_cap=2)["daily_cap"] == 2
        assert audit_actions(engine, "csw-1") == ["staff.created", "staff.updated"]

    @pytest.mark.parametrize(
        ("path", "data", "field"),
        [
            ("/api/v1/venues", {"name": "X", "area": "east"}, "area"),
            ("/api/v1/venues", {"name": "X", "area": "north", "opening_hours": [{"weekday": 0, "opens": "19:00", "closes": "08:30"}]}, "opening_hours.0"),
            ("/api/v1/venues", {"name": "X", "area": "north", "opening_hours": [{"weekday": 7, "opens": "08:00", "closes": "09:00"}]}, "opening_hours.0.weekday"),
            ("/api/v1/venues", {"name": "X", "area": "north", "opening_hours": [{"weekday": 1, "opens": "8:00", "closes": "09:00"}]}, "opening_hours.0.opens"),
        ],
    )
    def test_r20_bad_venues_are_422(self, client, engine, scheduling, now, path, data, field):
        before = counts(engine)
        response = client.post(path, json=data, headers=scheduling.admin())
        assert_refused(response, before, engine, 422, field=field)

    def test_r20_only_admins_keep_venues_and_staff(self, client, engine, scheduling, now):
        before = counts(engine)
        response = client.post("/api/v1/venues", json={"name": "X", "area": "north"}, headers=scheduling.tl())
        assert_refused(response, before, engine, 403, "urn:contact-service:problem:forbidden")
        response = client.put("/api/v1/staff/csw-9", json={"name": "X", "role": "team_leader", "area": "north", "working_hours": []}, headers=scheduling.tl())
        assert_refused(response, before, engine, 403, "urn:contact-service:problem:forbidden")

    def test_r20_a_staff_sub_is_at_most_255_characters_and_all_of_it_is_audited(self, client, engine, scheduling, now):
        data = {"name": "Jo", "role": "contact_support_worker", "area": "north", "working_hours": []}
        before = counts(engine)
        response = client.put(f"/api/v1/staff/{'c' * 256}", json=data, headers=scheduling.admin())
        assert_refused(response, before, engine, 422)
        assert response.json()["errors"][0]["location"] == "path"
        longest = client.put(f"/api/v1/staff/{'c' * 255}", json=data, headers=scheduling.admin())
        assert longest.status_code == 201, longest.text
        assert audit_actions(engine, "c" * 255) == ["staff.created"]

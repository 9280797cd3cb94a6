"""Timetables through HTTP (R-28): JSON and iCalendar, the access rules (R-06), what never
reaches a timetable (R-08, R-73), and the revocable feed token for calendar apps.

The clock is frozen on Monday 30 November 2026, 09:00 (GMT, so local days are UTC days);
sessions are booked on weekdays after school for the 9-year-old child of `setting`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import event, func, select, update
from sqlmodel import Session

from app.core.audit import AuditEntry
from app.core.logging import JsonFormatter
from app.core.outbox import OutboxEvent
from app.main import API_PREFIX
from app.sessions.models import ContactSession
from app.timetables.models import FeedToken
from app.timetables.router import public_router
from tests.helpers import at

NOW = "2026-11-30T09:00:00+00:00"  # a Monday
STORED_NOW = "2026-11-30T09:00:00Z"  # how the audit log and the outbox keep an instant (UTC, with Z)
CHILD_DETAILS = ("Amara", "Okafor", "2017-03-14", "Elm Road", "NG5 6AB", "12 Elm")
ENTRY_KEYS = {
    "session_id", "starts_at", "ends_at", "status", "level", "venue_id", "venue_name", "room_id", "room_name",
    "location", "arrangement_id", "series_id", "child_first_name", "version",
}


def book(scheduling, setting, starts: str, ends: str, *, csw: str = "csw-1", room: str = "room", **extra) -> dict:
    body = {
        "arrangement_id": setting["arrangement"]["id"],
        "csw_sub": csw,
        "starts_at": starts,
        "ends_at": ends,
        **({"room_id": setting[room]["id"]} if room else {}),
        **extra,
    }
    response = scheduling.book(**body)
    assert response.status_code == 201, response.text
    return response.json()


def timetable(client, headers, sub: str = "csw-1", suffix: str = "", **params):
    return client.get(f"/api/v1/staff/{sub}/timetable{suffix}", params=params, headers=headers)


@pytest.fixture
def booked(scheduling, setting) -> dict:
    """csw-1: 10, 1 and 2 December (booked in that order), 2 December cancelled, 28 December
    (last day of the default range), 29 December (the day after); csw-2: 3 December."""
    with at(NOW):
        dec10 = book(scheduling, setting, "2026-12-10T16:00:00Z", "2026-12-10T17:00:00Z", room="room2")
        dec1 = book(scheduling, setting, "2026-12-01T16:00:00Z", "2026-12-01T17:30:00Z")
        dec2 = book(scheduling, setting, "2026-12-02T16:00:00Z", "2026-12-02T17:00:00Z")
        dec28 = book(scheduling, setting, "2026-12-28T16:00:00Z", "2026-12-28T17:00:00Z")
        dec29 = book(scheduling, setting, "2026-12-29T16:00:00Z", "2026-12-29T17:00:00Z")
        other = book(scheduling, setting, "2026-12-03T16:00:00Z", "2026-12-03T17:00:00Z", csw="csw-2")
        cancelled = scheduling.client.post(
            f"/api/v1/sessions/{dec2['id']}/cancel",
            json={"reason": "Mum is unwell.", "cancelled_by": "parent"},
            headers=scheduling.tl(),
        )
        assert cancelled.status_code == 200, cancelled.text
    return {"dec1": dec1, "dec2": dec2, "dec10": dec10, "dec28": dec28, "dec29": dec29, "other": other}


@pytest.fixture
def feed_client(app) -> Iterator[TestClient]:
    """A client for the public feed route on the real app, never one that mounts the route
    itself: app/main.py must include `public_router` outside the authenticated router. The
    route is checked first because an unknown-token test expects 404, which a missing route
    would give as well. The OpenAPI paths are read, not `app.routes`: FastAPI keeps an
    included router there as one opaque entry, so a path search would never find the route."""
    served = app.openapi()["paths"]
    missing = sorted(API_PREFIX + route.path for route in public_router.routes if API_PREFIX + route.path not in served)
    assert not missing, f"app/main.py does not serve the public feed route(s) {missing}"
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


# --- JSON -----------------------------------------------------------------------------


def test_r28_csw_reads_own_live_sessions_in_order_with_first_name_only(client, scheduling, setting, booked):
    with at(NOW):
        response = timetable(client, scheduling.csw_headers("csw-1"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["csw_sub"] == "csw-1" and body["time_zone"] == "Europe/London"
    assert (body["from"], body["to"]) == ("2026-11-30", "2026-12-28")
    ids = [item["session_id"] for item in body["items"]]
    # Earliest first whatever the booking order; the cancelled one, the one after the
    # range and csw-2's are not there.
    assert ids == [booked["dec1"]["id"], booked["dec10"]["id"], booked["dec28"]["id"]]
    first = body["items"][0]
    assert set(first) == ENTRY_KEYS
    assert first == {
        "session_id": booked["dec1"]["id"],
        "starts_at": "2026-12-01T16:00:00Z",
        "ends_at": "2026-12-01T17:30:00Z",
        "status": "booked",
        "level": "supervised",
        "venue_id": setting["venue"]["id"],
        "venue_name": "Mansfield",
        "room_id": setting["room"]["id"],
        "room_name": "Garden room",
        "location": None,
        "arrangement_id": setting["arrangement"]["id"],
        "series_id": None,
        "child_first_name": "Amara",
        "version": 1,
    }
    assert body["items"][1]["room_name"] == "Blue room"
    for text in CHILD_DETAILS[1:]:
        assert text not in response.text


def test_r28_cancelled_sessions_are_absent_and_the_database_still_holds_them(client, engine, scheduling, booked):
    with at(NOW):
        items = timetable(client, scheduling.tl(), **{"from": "2026-12-01", "to": "2026-12-31"}).json()["items"]
    assert booked["dec2"]["id"] not in [item["session_id"] for item in items]
    with Session(engine) as session:
        row = session.get(ContactSession, uuid.UUID(booked["dec2"]["id"]))
        assert row is not None and row.status == "cancelled"


def test_r28_on_hold_and_completed_sessions_are_live(client, engine, scheduling, booked):
    with Session(engine) as session:
        for key, state in (("dec1", "on_hold"), ("dec10", "completed")):
            session.execute(update(ContactSession).where(ContactSession.id == uuid.UUID(booked[key]["id"])).values(status=state))
        session.commit()
    with at(NOW):
        items = timetable(client, scheduling.csw_headers()).json()["items"]
    assert [(i["session_id"], i["status"]) for i in items] == [
        (booked["dec1"]["id"], "on_hold"), (booked["dec10"]["id"], "completed"), (booked["dec28"]["id"], "booked"),
    ]


def test_r28_explicit_range_includes_both_local_days(client, scheduling, booked):
    with at(NOW):
        one_day = timetable(client, scheduling.csw_headers(), **{"from": "2026-12-10", "to": "2026-12-10"}).json()
        wide = timetable(client, scheduling.csw_headers(), **{"from": "2026-12-01", "to": "2027-01-31"}).json()
        only_from = timetable(client, scheduling.csw_headers(), **{"from": "2026-12-02"}).json()
    assert [i["session_id"] for i in one_day["items"]] == [booked["dec10"]["id"]]
    assert [i["session_id"] for i in wide["items"]] == [booked[k]["id"] for k in ("dec1", "dec10", "dec28", "dec29")]
    # `to` defaults to 28 days after `from`.
    assert only_from["to"] == "2026-12-30"
    assert [i["session_id"] for i in only_from["items"]] == [booked[k]["id"] for k in ("dec10", "dec28", "dec29")]


def test_r28_default_range_starts_on_the_local_day(client, scheduling, setting):
    # 23:30 UTC on 29 June is 00:30 on 30 June in London (BST): today is the 30th.
    with at("2027-06-29T23:30:00+00:00"):
        body = timetable(client, scheduling.csw_headers()).json()
    assert (body["from"], body["to"], body["items"]) == ("2027-06-30", "2027-07-28", [])


def test_r28_series_and_outside_sessions_carry_series_id_and_location(client, scheduling, setting):
    with at(NOW):
        series = book(scheduling, setting, "2026-12-03T16:00:00Z", "2026-12-03T17:00:00Z", rrule="FREQ=WEEKLY;COUNT=3")
        outside = book(
            scheduling, setting, "2026-12-04T16:00:00Z", "2026-12-04T17:00:00Z", room=None,
            outside={"location": "Bestwood Country Park", "exception": "no_outside_space_park_nearby", "risk_note": "Two staff."},
        )
        items = timetable(client, scheduling.csw_headers()).json()["items"]
    assert [i["series_id"] for i in items if i["series_id"]] == [series["series_id"]] * 3
    park = next(i for i in items if i["session_id"] == outside["id"])
    assert (park["location"], park["room_id"], park["room_name"], park["venue_id"], park["venue_name"]) == (
        "Bestwood Country Park", None, None, None, None,
    )


def test_r28_timetable_costs_the_same_statements_whatever_its_size(client, engine, scheduling, setting):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        statements.append(statement)

    with at(NOW):
        book(scheduling, setting, "2026-12-01T16:00:00Z", "2026-12-01T17:00:00Z")
        event.listen(engine, "before_cursor_execute", count)
        try:
            small = timetable(client, scheduling.csw_headers())
            small_count = len(statements)
            statements.clear()
        finally:
            event.remove(engine, "before_cursor_execute", count)
        for day in range(7, 12):
            book(scheduling, setting, f"2026-12-{day:02d}T16:00:00Z", f"2026-12-{day:02d}T17:00:00Z")
        event.listen(engine, "before_cursor_execute", count)
        try:
            large = timetable(client, scheduling.csw_headers())
            large_count = len(statements)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert len(small.json()["items"]) == 1 and len(large.json()["items"]) == 6
    assert small_count == large_count
    assert large_count <= 3  # BEGIN on SQLite, the staff row, the one joined query


# --- access ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (("csw-1", "contact_support_worker"), 200),
        (("csw-2", "contact_support_worker"), 403),
        (("tl-1", "team_leader"), 200),
        (("sm-1", "service_manager"), 200),
        (("sw-1", "social_worker"), 403),
        (("da-1", "data_analyst"), 403),
        (("csw-1", "social_worker"), 403),  # the same subject without the CSW role
        (None, 401),
    ],
)
@pytest.mark.parametrize("suffix", ["", ".ics"])
def test_r28_r06_who_reads_a_csws_timetable(client, auth, setting, booked, who, expected, suffix):
    with at(NOW):
        headers = auth(*who) if who else {}
        response = timetable(client, headers, suffix=suffix)
    assert response.status_code == expected, response.text
    if expected != 200:
        assert response.headers["content-type"] == "application/problem+json"
        assert "Amara" not in response.text


def test_r28_unknown_staff_is_404_for_a_team_leader_and_403_for_a_csw(client, auth, setting):
    with at(NOW):
        leader = timetable(client, auth("tl-1", "team_leader"), sub="nobody")
        leader_ics = timetable(client, auth("tl-1", "team_leader"), sub="nobody", suffix=".ics")
        csw = timetable(client, auth("csw-1", "contact_support_worker"), sub="nobody")
    assert (leader.status_code, leader_ics.status_code, csw.status_code) == (404, 404, 403)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-12-01T00:00:00Z"}, "from"),
        ({"from": "1764460800"}, "from"),
        ({"to": "tomorrow"}, "to"),
        ({"from": "2026-12-10", "to": "2026-12-09"}, "to"),
        ({"to": "2026-11-29"}, "to"),  # before today, the default `from`
        ({"from": "2026-12-01", "to": "2027-12-03"}, "to"),  # more than 366 days
    ],
)
@pytest.mark.parametrize("suffix", ["", ".ics"])
def test_r28_bad_range_is_422_naming_the_field(client, scheduling, setting, params, field, suffix):
    with at(NOW):
        response = timetable(client, scheduling.csw_headers(), suffix=suffix, **params)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert errors[0]["field"] == field and errors[0]["location"] == "query"


def test_r28_a_range_of_exactly_366_days_is_accepted(client, scheduling, setting):
    with at(NOW):
        response = timetable(client, scheduling.csw_headers(), **{"from": "2026-12-01", "to": "2027-12-02"})
    assert response.status_code == 200, response.text


# --- iCalendar ------------------------------------------------------------------------


def test_r28_ics_parses_back_with_one_event_per_live_session_in_utc(client, scheduling, setting, booked):
    with at(NOW):
        response = timetable(client, scheduling.csw_headers(), suffix=".ics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert "Supervised Contact Service" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Contact sessions – Jo Bennett"
    events = calendar.events
    assert [str(e["UID"]) for e in events] == [f"{booked[k]['id']}@contact-service" for k in ("dec1", "dec10", "dec28")]
    first = events[0]
    assert first.start == datetime(2026, 12, 1, 16, 0, tzinfo=UTC) and first.start.utcoffset().total_seconds() == 0
    assert first.end == datetime(2026, 12, 1, 17, 30, tzinfo=UTC)
    assert "DTSTART:20261201T160000Z" in response.text and "DTEND:20261201T173000Z" in response.text
    assert "DTSTAMP:" in response.text and "TZID" not in response.text
    assert str(first["SUMMARY"]) == "Supervised contact – Garden room"
    assert str(first["LOCATION"]) == "Mansfield, Garden room"
    assert str(first["STATUS"]) == "CONFIRMED"
    assert int(first["SEQUENCE"]) == 1
    assert str(events[1]["LOCATION"]) == "Mansfield, Blue room"


def test_r28_ics_never_carries_the_childs_name_or_address(client, scheduling, setting, booked):
    with at(NOW):
        book(
            scheduling, setting, "2026-12-04T16:00:00Z", "2026-12-04T17:00:00Z", room=None,
            outside={"location": "Bestwood Country Park", "exception": "no_outside_space_park_nearby", "risk_note": "Two staff."},
        )
        response = timetable(client, scheduling.csw_headers(), suffix=".ics")
    body = response.content.decode()
    for text in CHILD_DETAILS + ("Grace", "Sam"):
        assert text not in body, text
    park = [e for e in Calendar.from_ical(response.content).events if "Bestwood" in str(e.get("LOCATION"))]
    assert len(park) == 1 and str(park[0]["SUMMARY"]) == "Supervised contact – outside a venue"


def test_r28_ics_uids_are_stable_and_a_move_raises_the_sequence(client, scheduling, setting, booked):
    with at(NOW):
        first = timetable(client, scheduling.csw_headers(), suffix=".ics")
    with at("2026-11-30T11:00:00+00:00"):
        again = timetable(client, scheduling.csw_headers(), suffix=".ics")
        moved = client.post(
            f"/api/v1/sessions/{booked['dec1']['id']}/move",
            json={
                "arrangement_id": setting["arrangement"]["id"], "room_id": setting["room"]["id"], "csw_sub": "csw-1",
                "starts_at": "2026-12-01T16:30:00Z", "ends_at": "2026-12-01T18:00:00Z",
            },
            headers=scheduling.tl(),
        )
        assert moved.status_code == 200, moved.text
        after = timetable(client, scheduling.csw_headers(), suffix=".ics")
    # Nothing changed: the same document byte for byte, two hours later.
    assert first.content == again.content
    before_events = {str(e["UID"]): e for e in Calendar.from_ical(first.content).events}
    after_events = {str(e["UID"]): e for e in Calendar.from_ical(after.content).events}
    assert set(before_events) == set(after_events)
    uid = f"{booked['dec1']['id']}@contact-service"
    assert int(after_events[uid]["SEQUENCE"]) == 2
    assert after_events[uid].start == datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
    assert after_events[uid]["DTSTAMP"].dt > before_events[uid]["DTSTAMP"].dt


def test_r28_on_hold_is_tentative(client, engine, scheduling, booked):
    with Session(engine) as session:
        session.execute(update(ContactSession).where(ContactSession.id == uuid.UUID(booked["dec10"]["id"])).values(status="on_hold"))
        session.commit()
    with at(NOW):
        events = Calendar.from_ical(timetable(client, scheduling.csw_headers(), suffix=".ics").content).events
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "TENTATIVE", "CONFIRMED"]


def test_r28_an_empty_timetable_is_still_a_calendar(client, scheduling, setting):
    with at(NOW):
        response = timetable(client, scheduling.csw_headers("csw-2"), sub="csw-2", suffix=".ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert calendar.name == "VCALENDAR" and calendar.events == []


# --- feed tokens ----------------------------------------------------------------------


def counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            model.__tablename__: session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (FeedToken, AuditEntry, OutboxEvent)
        }


def issue(client, headers, sub: str = "csw-1"):
    return client.post(f"/api/v1/staff/{sub}/timetable/feed-token", headers=headers)


def test_r28_feed_token_serves_the_ics_without_a_jwt(client, feed_client, engine, scheduling, booked):
    with at(NOW):
        issued = issue(client, scheduling.csw_headers())
        assert issued.status_code == 201, issued.text
        body = issued.json()
        token = body["token"]
        assert body["feed_url"] == f"http://testserver/api/v1/feeds/{token}.ics" and body["sub"] == "csw-1"
        assert body["created_at"] == "2026-11-30T09:00:00Z" and len(token) >= 32
        assert issued.headers["cache-control"] == "no-store"
        feed = feed_client.get(body["feed_url"])
        authed = timetable(client, scheduling.csw_headers(), suffix=".ics")
    assert feed.status_code == 200, feed.text
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert feed.content == authed.content
    assert [str(e["UID"]) for e in Calendar.from_ical(feed.content).events] == [
        f"{booked[k]['id']}@contact-service" for k in ("dec1", "dec10", "dec28")
    ]
    with Session(engine) as session:
        row = session.get(FeedToken, "csw-1")
        assert row is not None and row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        audit = session.execute(select(AuditEntry).where(AuditEntry.action == "feed_token.issued")).scalar_one()
        outbox = session.execute(select(OutboxEvent).where(OutboxEvent.type == "feed_token.issued")).scalar_one()
    assert (audit.subject, audit.entity_id, audit.before) == ("csw-1", "csw-1", None)
    assert outbox.subject_id == "csw-1" and outbox.data == {"sub": "csw-1", "issued_at": STORED_NOW, "replaced": False}
    for stored in (json.dumps(audit.after), json.dumps(outbox.data)):
        assert token not in stored and row.token_hash not in stored


def test_r28_feed_takes_a_range_too(client, feed_client, scheduling, booked):
    with at(NOW):
        url = issue(client, scheduling.csw_headers()).json()["feed_url"]
        feed = feed_client.get(url, params={"from": "2026-12-29", "to": "2026-12-29"})
        bad = feed_client.get(url, params={"from": "2026-12-29", "to": "2026-12-01"})
    assert [str(e["UID"]) for e in Calendar.from_ical(feed.content).events] == [f"{booked['dec29']['id']}@contact-service"]
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "to"


def test_r28_a_new_feed_token_replaces_the_old_one(client, feed_client, engine, scheduling, booked):
    with at(NOW):
        old = issue(client, scheduling.csw_headers()).json()
        new = issue(client, scheduling.tl()).json()  # a team leader reissues it
        assert new["token"] != old["token"]
        assert feed_client.get(old["feed_url"]).status_code == 404
        assert feed_client.get(new["feed_url"]).status_code == 200
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(FeedToken)).scalar_one() == 1
        replaced = session.execute(
            select(OutboxEvent).where(OutboxEvent.type == "feed_token.issued").order_by(OutboxEvent.seq)
        ).scalars().all()
        audit = session.execute(select(AuditEntry).where(AuditEntry.action == "feed_token.issued").order_by(AuditEntry.seq)).scalars().all()
    assert [e.data["replaced"] for e in replaced] == [False, True]
    assert audit[1].subject == "tl-1" and audit[1].before == {"sub": "csw-1", "created_at": STORED_NOW}


def test_r28_deleting_the_feed_token_revokes_it(client, feed_client, engine, scheduling, booked):
    with at(NOW):
        url = issue(client, scheduling.csw_headers()).json()["feed_url"]
        assert feed_client.get(url).status_code == 200
        revoked = client.delete("/api/v1/staff/csw-1/timetable/feed-token", headers=scheduling.csw_headers())
        gone = feed_client.get(url)
        again = client.delete("/api/v1/staff/csw-1/timetable/feed-token", headers=scheduling.csw_headers())
    assert revoked.status_code == 200, revoked.text
    assert revoked.json() == {"sub": "csw-1", "revoked_at": "2026-11-30T09:00:00Z"}
    assert gone.status_code == 404 and gone.headers["content-type"] == "application/problem+json"
    assert again.status_code == 404
    with Session(engine) as session:
        assert session.get(FeedToken, "csw-1") is None
        outbox = session.execute(select(OutboxEvent).where(OutboxEvent.type == "feed_token.revoked")).scalar_one()
        audit = session.execute(select(AuditEntry).where(AuditEntry.action == "feed_token.revoked")).scalar_one()
    assert outbox.data == {"sub": "csw-1", "revoked_at": STORED_NOW}
    assert audit.after is None and audit.before == {"sub": "csw-1", "created_at": STORED_NOW}


@pytest.mark.parametrize(
    ("who", "sub", "expected"),
    [
        (("csw-1", "contact_support_worker"), "csw-1", 201),
        (("tl-1", "team_leader"), "csw-1", 201),
        (("csw-2", "contact_support_worker"), "csw-1", 403),
        (("sw-1", "social_worker"), "csw-1", 403),
        (("sm-1", "service_manager"), "csw-1", 403),
        (("tl-1", "team_leader"), "nobody", 404),
        (None, "csw-1", 401),
    ],
)
def test_r28_who_issues_a_feed_token(client, engine, auth, setting, who, sub, expected):
    before = counts(engine)
    with at(NOW):
        response = issue(client, auth(*who) if who else {}, sub=sub)
        revoke = client.delete(f"/api/v1/staff/{sub}/timetable/feed-token", headers=auth(*who) if who else {})
    assert response.status_code == expected, response.text
    if expected == 201:
        assert revoke.status_code == 200
        assert counts(engine)["feed_token"] == 0
    else:
        assert revoke.status_code == expected
        assert counts(engine) == before  # nothing written


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1/feeds/" + "A" * 43 + ".ics", 404),  # the shape of a token, but none issued
        ("/api/v1/feeds/short.ics", 422),
        ("/api/v1/feeds/" + "A" * 43 + "%20.ics", 422),
    ],
)
def test_r28_an_unknown_feed_token_is_refused(feed_client, setting, path, expected):
    response = feed_client.get(path)
    assert response.status_code == expected, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_r73_the_feed_token_never_reaches_the_access_log(client, feed_client, scheduling, booked, caplog):
    caplog.set_level(logging.INFO)
    with at(NOW):
        issued = issue(client, scheduling.csw_headers()).json()
        assert feed_client.get(issued["feed_url"]).status_code == 200
    formatter = JsonFormatter()
    logged = "\n".join(formatter.format(r) for r in caplog.records)
    assert issued["token"] not in logged
    paths = [json.loads(formatter.format(r))["path"] for r in caplog.records if r.name == "app.access"]
    assert "/api/v1/feeds/{token}.ics" in paths

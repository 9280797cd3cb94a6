"""R-22 under real concurrency: a real uvicorn server, real HTTP, many clients at once.

The server runs as a subprocess on a free 127.0.0.1 port against the test database (a
SQLite file, or PostgreSQL under TEST_DATABASE_URL). The venue, rooms, CSWs and
arrangements are made through the in-process client first (same database); then 30
threads, released together by a barrier, each POST a booking for the same slot. Exactly
one gets 201; every other gets a 409 naming the winner; nothing fails with a 5xx; the
database holds one live session in the slot. On SQLite the serialised write path (BEGIN
IMMEDIATE) decides; on PostgreSQL the exclusion constraints do, and they are checked
directly too.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import and_, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.sessions.models import ContactSession, SessionStatus
from tests.helpers import fire

LONDON = ZoneInfo("Europe/London")
CLIENTS = 30


def the_slot() -> tuple[str, str]:
    """16:00-17:00 local on a weekday two weeks ahead: open, after school, in working hours."""
    day = date.today() + timedelta(days=14)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    starts = datetime(day.year, day.month, day.day, 16, 0, tzinfo=LONDON)
    return starts.isoformat(), (starts + timedelta(hours=1)).isoformat()


@pytest.mark.server
@pytest.mark.parametrize("shared", ["everything", "room", "csw", "child", "room_and_child"])
def test_r22_concurrent_bookings_of_one_slot_give_one_201_and_409s_naming_it(server, engine, scheduling, auth, shared):
    venue = scheduling.venue()
    one_room = scheduling.room(venue)
    scheduling.csw("csw-0")
    one_arrangement = scheduling.arrangement(key="100000")
    distinct_rooms = shared in ("csw", "child")
    distinct_csws = shared in ("room", "child", "room_and_child")
    distinct_children = shared in ("room", "csw")
    rooms = [scheduling.room(venue, name=f"Room {i}")["id"] for i in range(CLIENTS)] if distinct_rooms else [one_room["id"]] * CLIENTS
    csws = [scheduling.csw(f"csw-{i}")["sub"] for i in range(CLIENTS)] if distinct_csws else ["csw-0"] * CLIENTS
    arrangements = (
        [scheduling.arrangement(key=str(200000 + i))["id"] for i in range(CLIENTS)] if distinct_children else [one_arrangement["id"]] * CLIENTS
    )
    starts, ends = the_slot()
    bodies = [
        {"arrangement_id": arrangements[i], "room_id": rooms[i], "csw_sub": csws[i], "starts_at": starts, "ends_at": ends}
        for i in range(CLIENTS)
    ]

    responses = fire(server["base"], auth("tl-1", "team_leader"), "/api/v1/sessions", bodies)

    statuses = sorted(r.status_code for r in responses)
    unhandled = [line for line in server["log"].read_text().splitlines() if "unhandled exception" in line]
    assert not [s for s in statuses if s >= 500], unhandled[:2]  # the error's type and frames
    assert statuses == [201] + [409] * (CLIENTS - 1), statuses
    [winner] = [r.json() for r in responses if r.status_code == 201]
    expected_on = {"everything": ["room", "csw", "child"], "room": ["room"], "csw": ["csw"], "child": ["child"], "room_and_child": ["room", "child"]}
    for response in responses:
        if response.status_code != 409:
            continue
        problem = response.json()
        assert response.headers["content-type"].startswith("application/problem+json")
        assert problem["type"] == "urn:contact-service:problem:booking-clash", problem
        assert [c["session_id"] for c in problem["clashes"]] == [winner["id"]], problem
        assert problem["clashes"][0]["on"] == expected_on[shared], problem
        assert winner["id"] in problem["detail"]

    starts_at = datetime.fromisoformat(starts)
    ends_at = datetime.fromisoformat(ends)
    with Session(engine) as session:
        live = session.execute(
            select(ContactSession.id).where(
                ContactSession.status != SessionStatus.cancelled,
                and_(ContactSession.starts_at < ends_at, ContactSession.ends_at > starts_at),
            )
        ).scalars().all()
        assert [str(i) for i in live] == [winner["id"]]
        assert session.execute(select(func.count()).select_from(ContactSession)).scalar_one() == 1
    assert "unhandled exception" not in server["log"].read_text()


# --- PostgreSQL: the database itself refuses overlaps ------------------------------------


@pytest.fixture
def postgres(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("exclusion constraints exist on PostgreSQL only")
    return engine


def test_r22_postgresql_has_the_three_exclusion_constraints(postgres):
    with postgres.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'contact_session'::regclass AND contype = 'x' ORDER BY conname"
            )
        ).all()
        assert connection.execute(text("SELECT count(*) FROM pg_extension WHERE extname = 'btree_gist'")).scalar_one() == 1
    assert [name for name, _ in rows] == ["ex_contact_session_child_id", "ex_contact_session_csw_sub", "ex_contact_session_room_id"]
    for name, definition in rows:
        column = name.removeprefix("ex_contact_session_")
        assert definition.startswith(f"EXCLUDE USING gist ({column} WITH =, tstzrange(starts_at, ends_at, '[)'::text) WITH &&)"), definition
        # held sessions free their slot too (R-52a, migration 0009)
        assert "WHERE (((status)::text <> ALL ((ARRAY['cancelled'::character varying, 'on_hold'::character varying])::text[])))" in definition, definition


def copy_session(connection, session_id: str, **changes) -> None:
    """INSERT a copy of a session straight into the table, bypassing the service."""
    columns = [c.name for c in ContactSession.__table__.columns]
    values = {name: f":{name}" if name in changes else name for name in columns}
    values["id"] = ":new_id"
    connection.execute(
        text(f"INSERT INTO contact_session ({', '.join(columns)}) SELECT {', '.join(values[c] for c in columns)} FROM contact_session WHERE id = :id"),
        {"id": uuid.UUID(session_id), "new_id": uuid.uuid4(), **changes},
    )


def test_r22_postgresql_refuses_an_overlapping_row_inserted_directly(postgres, scheduling, setting):
    other = scheduling.arrangement(key="654321")
    starts, ends = the_slot()
    booked = scheduling.book(
        arrangement_id=setting["arrangement"]["id"], room_id=setting["room"]["id"], csw_sub="csw-1", starts_at=starts, ends_at=ends
    )
    assert booked.status_code == 201, booked.text
    session_id = booked.json()["id"]
    room2 = uuid.UUID(setting["room2"]["id"])
    other_arrangement, other_child = uuid.UUID(other["id"]), uuid.UUID(other["child"]["id"])
    cases = {
        "ex_contact_session_room_id": {"csw_sub": "csw-2", "child_id": other_child, "arrangement_id": other_arrangement},
        "ex_contact_session_csw_sub": {"room_id": room2, "child_id": other_child, "arrangement_id": other_arrangement},
        "ex_contact_session_child_id": {"room_id": room2, "csw_sub": "csw-2"},
    }
    for constraint, changes in cases.items():
        with postgres.connect() as connection, connection.begin():
            with pytest.raises(IntegrityError) as refused:
                copy_session(connection, session_id, **changes)
            assert refused.value.orig.diag.constraint_name == constraint
            assert refused.value.orig.sqlstate == "23P01"  # exclusion_violation

    start_at, end_at = datetime.fromisoformat(starts), datetime.fromisoformat(ends)
    with postgres.connect() as connection, connection.begin() as transaction:
        # A cancelled or held copy is not live, and a session starting as this one ends does not overlap.
        copy_session(connection, session_id, status="cancelled")
        copy_session(connection, session_id, status="on_hold")
        copy_session(connection, session_id, starts_at=end_at, ends_at=end_at + timedelta(hours=1))
        copy_session(connection, session_id, starts_at=start_at - timedelta(hours=1), ends_at=start_at)
        transaction.rollback()


def test_r22_a_deadlock_or_serialization_failure_between_two_bookings_is_a_lost_race_not_a_500():
    # Exclusion constraints check after inserting: two bookings of one child's slot can each
    # wait for the other, and PostgreSQL aborts one with 40P01. That one lost the race (409).
    import psycopg
    from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

    from app.core.db import lost_race

    assert lost_race(OperationalError("INSERT", {}, psycopg.errors.DeadlockDetected()))
    assert lost_race(OperationalError("INSERT", {}, psycopg.errors.SerializationFailure()))
    assert lost_race(IntegrityError("INSERT", {}, psycopg.errors.ExclusionViolation()))
    assert not lost_race(OperationalError("INSERT", {}, psycopg.errors.QueryCanceled()))
    assert not lost_race(DBAPIError("INSERT", {}, psycopg.errors.DiskFull()))

"""R-52 under real concurrency: breaches sent at once to a real uvicorn server (a
subprocess on the test database, SQLite or PostgreSQL) count every one, and suspend the
arrangement exactly once: two racing third breaches do not both miss it, and a burst past
the third does not suspend twice. On SQLite the serialised write path decides; on
PostgreSQL the arrangement's row lock does."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlmodel import Session

from app.arrangements.models import Arrangement
from app.core.outbox import OutboxEvent
from app.sessions.models import ContactSession
from tests.helpers import fire
from tests.sessions.test_concurrency import the_slot


@pytest.mark.server
@pytest.mark.parametrize(("recorded", "racing"), [(1, 2), (2, 6)], ids=["two-racing-third-breaches", "a-burst-past-the-third"])
def test_r52_concurrent_breaches_all_count_and_suspend_exactly_once(server, engine, scheduling, recorded, racing):
    venue = scheduling.venue()
    room = scheduling.room(venue)
    scheduling.csw("csw-1")
    arrangement = scheduling.arrangement(key="520000")
    starts, ends = the_slot()
    booked = scheduling.book(arrangement_id=arrangement["id"], room_id=room["id"], csw_sub="csw-1", starts_at=starts, ends_at=ends)
    assert booked.status_code == 201, booked.text
    url = f"/api/v1/arrangements/{arrangement['id']}/breaches"
    body = {"severity": "ordinary", "description": "Arrived late without ringing.", "session_id": booked.json()["id"]}
    for _ in range(recorded):
        assert scheduling.client.post(url, json=body, headers=scheduling.tl()).status_code == 201

    responses = fire(server["base"], scheduling.tl(), url, [body] * racing)

    assert [r.status_code for r in responses] == [201] * racing, [r.text for r in responses if r.status_code != 201]
    assert sum(r.json()["suspended"] for r in responses) == 1
    assert sorted(r.json()["breach_count"] for r in responses) == list(range(recorded + 1, recorded + racing + 1))
    with Session(engine) as session:
        row = session.get(Arrangement, uuid.UUID(arrangement["id"]))
        assert (row.status.value, row.breach_count) == ("suspended", recorded + racing)
        suspended = session.execute(select(OutboxEvent).where(OutboxEvent.type == "arrangement.suspended")).scalars().all()
        assert len(suspended) == 1
        assert session.get(ContactSession, uuid.UUID(booked.json()["id"])).status.value == "on_hold"

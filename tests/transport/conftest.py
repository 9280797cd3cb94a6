"""Factories for transport: a child whose address is withheld, two booked sessions, drivers."""

from __future__ import annotations

import pytest

from tests.helpers import at as freeze
from tests.sessions.conftest import Scheduling

NOW = "2026-11-30T09:00:00+00:00"  # a Monday
ADDRESS = "12 Elm Road, Arnold, NG5 6AB"
WITHHELD = {"authorised_by": "tm-0042", "reason": "Risk of abduction."}


def at(text: str = NOW):
    return freeze(text)


@pytest.fixture
def world(client, auth):
    """An active arrangement with two booked sessions (Tue and Wed after school), a CSW, drivers."""
    s = Scheduling(client, auth)
    with at():
        venue = s.venue()
        room = s.room(venue)
        s.csw("csw-1")
        arrangement = s.arrangement(date_of_birth="2017-03-14", address_withheld=WITHHELD)
        sessions = []
        for day in ("2026-12-01", "2026-12-02"):
            r = s.book(
                arrangement_id=arrangement["id"], room_id=room["id"], csw_sub="csw-1",
                starts_at=f"{day}T16:00:00Z", ends_at=f"{day}T17:30:00Z",
            )
            assert r.status_code == 201, r.text
            sessions.append(r.json())
        drivers = []
        for name, expires in (("Pat", "2028-03-01"), ("Sam", "2028-03-01"), ("Old", "2026-12-01")):
            d = client.post("/api/v1/drivers", json={"name": name, "dbs_checked_on": "2024-01-10", "dbs_expires_on": expires}, headers=s.tl())
            assert d.status_code == 201, d.text
            drivers.append(d.json())
    return {"s": s, "arrangement": arrangement, "sessions": sessions, "drivers": drivers, "room": room}


def ask(client, auth, **body):
    payload = {"legs": ["to_venue", "from_venue"], "pickup_address": ADDRESS, "reason": "Carer works full time.", "evidence": "Rota supplied."}
    payload.update(body)
    with at():
        return client.post("/api/v1/transport-requests", json=payload, headers=auth("sw-1", "social_worker", team="north-1"))


def approve(client, auth, request_id):
    with at():
        r = client.post(f"/api/v1/transport-requests/{request_id}/decision", json={"approve": True}, headers=auth("tl-1", "team_leader"))
    assert r.status_code == 200, r.text
    return r.json()


def assign(client, auth, request_id, driver_id, when: str = NOW, **extra):
    with at(when):
        return client.post(
            f"/api/v1/transport-requests/{request_id}/driver", json={"driver_id": driver_id, **extra}, headers=auth("tl-1", "team_leader")
        )



"""R-06: a CSW reads what their sessions need: the child of a live session allocated to
them and its arrangement, never a withheld address (R-08), and nothing once the session
is cancelled."""

from __future__ import annotations

from tests.helpers import at
from tests.sessions.conftest import Scheduling

WITHHELD = {"authorised_by": "tm-0042", "reason": "Risk of abduction."}


def booked(client, auth):
    s = Scheduling(client, auth)
    with at("2026-11-30T09:00:00+00:00"):
        room = s.room(s.venue())
        s.csw("csw-1")
        s.csw("csw-2")
        arrangement = s.arrangement(date_of_birth="2017-03-14", address_withheld=WITHHELD)
        session = s.book(
            arrangement_id=arrangement["id"], room_id=room["id"], csw_sub="csw-1",
            starts_at="2026-12-01T16:00:00Z", ends_at="2026-12-01T17:00:00Z",
        )
        assert session.status_code == 201, session.text
    return s, arrangement, session.json()


def test_r06_a_csw_reads_the_child_and_arrangement_of_their_own_session(client, auth):
    _s, arrangement, _session = booked(client, auth)
    with at("2026-11-30T10:00:00+00:00"):
        mine = auth("csw-1", "contact_support_worker")
        child = client.get(f"/api/v1/children/{arrangement['child']['id']}", headers=mine)
        plan = client.get(f"/api/v1/arrangements/{arrangement['id']}", headers=mine)
        people = client.get(f"/api/v1/children/{arrangement['child']['id']}/people", headers=mine)
    assert child.status_code == 200 and child.json()["first_name"] == "Amara"
    assert child.json()["placement_address"] is None and "Elm Road" not in child.text
    assert plan.status_code == 200 and people.status_code == 200


def test_r06_another_csw_or_a_cancelled_session_gives_no_access(client, auth):
    s, arrangement, session = booked(client, auth)
    url = f"/api/v1/children/{arrangement['child']['id']}"
    with at("2026-11-30T10:00:00+00:00"):
        assert client.get(url, headers=auth("csw-2", "contact_support_worker")).status_code == 404
        cancelled = client.post(
            f"/api/v1/sessions/{session['id']}/cancel", json={"reason": "Room flooded.", "cancelled_by": "service"}, headers=s.tl()
        )
        assert cancelled.status_code == 200
        assert client.get(url, headers=auth("csw-1", "contact_support_worker")).status_code == 404
        assert client.get(f"/api/v1/arrangements/{arrangement['id']}", headers=auth("csw-1", "contact_support_worker")).status_code == 404

"""Transport answers that tell the caller what to do next (issue 16: a contract without surprises)."""

from __future__ import annotations

from tests.transport.conftest import approve, ask, assign
from tests.transport.test_router import counts


def test_r33_driver_before_approval_is_a_409_naming_the_approval_step(client, auth, engine, world):
    request = ask(client, auth, session_id=world["sessions"][0]["id"]).json()
    before = counts(engine)
    response = assign(client, auth, request["id"], world["drivers"][0]["id"])
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["type"].endswith(":wrong-state") and body["current_state"] == "requested"
    assert body["detail"].startswith("The request must be approved first: ")
    assert f"POST /api/v1/transport-requests/{request['id']}/decision" in body["detail"]
    assert counts(engine) == before
    # Once approved, the same driver is assigned.
    approve(client, auth, request["id"])
    assert assign(client, auth, request["id"], world["drivers"][0]["id"]).status_code == 200


def test_r35_dbs_expiry_before_the_check_names_dbs_expires_on(client, auth, engine):
    before = counts(engine)
    response = client.post(
        "/api/v1/drivers",
        json={"name": "X", "dbs_checked_on": "2026-01-01", "dbs_expires_on": "2025-01-01"},
        headers=auth("tl-1", "team_leader"),
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["errors"] == [{"field": "dbs_expires_on", "location": "body", "message": "must be after dbs_checked_on (2026-01-01)"}]
    assert body["detail"] == "1 field is not valid: dbs_expires_on"
    assert counts(engine) == before

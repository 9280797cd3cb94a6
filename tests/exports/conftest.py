"""Factories for exports: one arrangement carrying a row of every dataset (R-86), with
names, an address, a postcode and free text planted everywhere they can be, so a test can
prove none of it reaches a data analyst."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import at
from tests.sessions.conftest import Scheduling

NOW = "2026-11-30T09:00:00+00:00"  # a Monday
AFTER = "2026-12-01T19:00:00+00:00"  # after Tuesday's session
ADDRESS = "47 Bramblewick Lane, Kirkby, NG17 9XQ"
CHILD = {"first_name": "Zephyrine", "last_name": "Quillfeather", "date_of_birth": "2017-03-14", "placement_address": ADDRESS}
FREE_TEXT = {
    "decision": "Plantedreason decision text",
    "transport": "Plantedtransport reason text",
    "evidence": "Plantedevidence rota text",
    "expense": "Plantedexpense bus fare text",
    "review": "Plantedreview outcome text",
    "breach": "Plantedbreach description text",
    "restriction": "Plantedrestriction reason text",
    "observations": "Plantedobservation Zephyrine played",
}
PLANTED = ["Zephyrine", "Quillfeather", "Bramblewick", "Kirkby", "NG17 9XQ", "Grace", "Okafor", "Pat Driverson", "2017-03-14", *FREE_TEXT.values()]
STAFF = ["sw-1", "tm-1", "tl-1", "csw-1", "sm-1"]
DATASETS = ["children", "referrals", "decisions", "arrangements", "sessions", "records", "transport", "expenses", "breaches", "restrictions", "reviews"]


def ok(response: Any, *codes: int) -> dict:
    assert response.status_code in (codes or (200, 201)), response.text
    return response.json()


@pytest.fixture
def planted(client, auth) -> dict[str, Any]:
    """A child with two people, a decided referral, an arrangement, two sessions (one with a
    submitted record), transport with a driver, an expense, a review, a breach and a
    restriction: one row in each dataset, in the north."""
    s = Scheduling(client, auth)
    with at(NOW):
        sw = auth("sw-1", "social_worker", team="north-1")
        tl = auth("tl-1", "team_leader")
        venue = s.venue()
        room = s.room(venue)
        s.csw("csw-1")
        arrangement = s.arrangement(decision_reason=FREE_TEXT["decision"], **CHILD)
        sessions = [
            ok(s.book(arrangement_id=arrangement["id"], room_id=room["id"], csw_sub="csw-1", starts_at=f"{day}T16:00:00Z", ends_at=f"{day}T17:30:00Z"))
            for day in ("2026-12-01", "2026-12-02")
        ]
        people = arrangement["people"]
        transport = ok(client.post("/api/v1/transport-requests", headers=sw, json={
            "session_id": sessions[1]["id"], "legs": ["to_venue", "from_venue"], "pickup_address": ADDRESS,
            "reason": FREE_TEXT["transport"], "evidence": FREE_TEXT["evidence"],
        }))
        ok(client.post(f"/api/v1/transport-requests/{transport['id']}/decision", json={"approve": True}, headers=tl))
        driver = ok(client.post("/api/v1/drivers", json={"name": "Pat Driverson", "dbs_checked_on": "2025-01-10", "dbs_expires_on": "2029-01-10"}, headers=tl))
        ok(client.post(f"/api/v1/transport-requests/{transport['id']}/driver", json={"driver_id": driver["id"]}, headers=tl))
        expense = ok(client.post("/api/v1/expenses", headers=sw, json={
            "arrangement_id": arrangement["id"], "person_id": people[0]["id"], "amount_pence": 640,
            "purpose": FREE_TEXT["expense"], "incurred_on": "2026-11-27",
        }))
        ok(client.post(f"/api/v1/arrangements/{arrangement['id']}/reviews", headers=tl, json={
            "kind": "supervised", "held_on": "2026-11-30", "attended": ["team leader"], "outcome": FREE_TEXT["review"],
        }))
    with at(AFTER):
        csw = auth("csw-1", "contact_support_worker")
        tl = auth("tl-1", "team_leader")
        draft = client.put(
            f"/api/v1/sessions/{sessions[0]['id']}/record", json={"went_ahead": True, "observations": FREE_TEXT["observations"]},
            headers={**csw, "Idempotency-Key": "exports-record-1"},
        )
        assert draft.status_code == 201, draft.text
        ok(client.post(f"/api/v1/sessions/{sessions[0]['id']}/record/submit", headers={**csw, "If-Match": draft.headers["etag"]}))
        ok(client.post(f"/api/v1/arrangements/{arrangement['id']}/breaches", headers=tl, json={
            "severity": "ordinary", "description": FREE_TEXT["breach"], "session_id": sessions[0]["id"],
            "person_id": people[0]["id"], "occurred_at": "2026-12-01T16:30:00Z",
        }))
        ok(client.post(f"/api/v1/arrangements/{arrangement['id']}/restrictions", headers=auth("sm-1", "service_manager"), json={
            "kind": "restrict", "reason": FREE_TEXT["restriction"], "starts_on": "2026-12-01", "changes": {"duration_minutes": 60},
        }))
    return {
        "child": arrangement["child"], "people": people, "arrangement": arrangement, "sessions": sessions,
        "transport": transport, "driver": driver, "expense": expense,
    }

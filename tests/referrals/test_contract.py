"""The queue's filters are checked as every other area filter is (R-17, R-70; issue 16: a
contract without surprises)."""

from __future__ import annotations

from tests.helpers import at
from tests.referrals.test_queue import ids
from tests.referrals.test_queue import mixed as mixed  # noqa: F401 - a fixture, used by name

QUEUE = "/api/v1/referrals/queue"


def test_r17_queue_area_not_configured_is_a_422_naming_area_as_availability_does(client, referrals, mixed):
    with at("2026-11-25T08:00:00+00:00"):
        queue = client.get(QUEUE, params={"area": "west"}, headers=referrals.tl())
        availability = client.get(
            "/api/v1/availability",
            params={"area": "west", "duration_minutes": 60, "from": "2026-11-30T09:00:00Z", "to": "2026-12-01T09:00:00Z"},
            headers=referrals.tl(),
        )
        known = client.get(QUEUE, params={"area": "south"}, headers=referrals.tl())
    assert queue.status_code == availability.status_code == 422, queue.text
    assert queue.headers["content-type"] == "application/problem+json"
    body = queue.json()
    assert body["type"].endswith(":validation")
    assert body["errors"] == [{"field": "area", "location": "query", "message": "must be one of: north, central, south"}]
    assert body["detail"] == "area: must be one of: north, central, south"
    # One check, one wording: the availability endpoint answers the same.
    assert availability.json()["errors"] == body["errors"] and availability.json()["detail"] == body["detail"]
    assert ids(known.json()) == [mixed["old_plain"]["id"]]

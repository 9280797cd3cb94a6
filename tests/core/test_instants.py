"""Every instant the service writes, in bodies, event data, the audit log and error details,
is ISO 8601 in UTC with `Z`, with the same precision rule everywhere (API.md; issue 16)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from app.core.models import to_json, utc_z
from tests.helpers import at
from tests.records.test_router import AFTER, put, submit
from tests.records.test_router import booked as booked  # noqa: F401 - a fixture, used by name

INSTANT = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")
Z_FORM = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6})?Z$")


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_r01_instants_in_event_data_and_the_audit_log_are_utc_with_z(client, auth, booked):
    put(client, auth, booked)
    assert submit(client, auth, booked).status_code == 200
    with at(AFTER):
        events = client.get("/api/v1/events", params={"limit": 500}, headers=auth("sm-1", "service_manager")).json()["items"]
        audit = client.get("/api/v1/audit", params={"limit": 500}, headers=auth("sm-1", "service_manager")).json()["items"]
    found = [s for s in strings([e["data"] for e in events] + audit) if INSTANT.search(s) and not s.startswith("FREQ")]
    assert found and "2026-12-01T19:00:00Z" in found  # the record's submitted_at, in its event
    assert [s for s in found if not Z_FORM.match(s)] == []


def test_r01_one_precision_rule_for_every_instant():
    assert utc_z(datetime(2026, 12, 1, 13, 4, 47, 795263, tzinfo=UTC)) == "2026-12-01T13:04:47.795263Z"
    assert utc_z(datetime(2026, 12, 1, 23, 59, 59, 999000, tzinfo=UTC)) == "2026-12-01T23:59:59.999Z"
    assert utc_z(datetime(2026, 12, 1, 14, 0, tzinfo=timezone(timedelta(hours=1)))) == "2026-12-01T13:00:00Z"
    assert to_json({"at": datetime(2026, 12, 1, 13, 0, tzinfo=UTC), "on": datetime(2026, 12, 1).date()}) == {"at": "2026-12-01T13:00:00Z", "on": "2026-12-01"}

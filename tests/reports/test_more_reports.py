"""R-63: the numbers of triage timeliness, record timeliness, breaches and suspensions,
from data built through HTTP at frozen times."""

from __future__ import annotations

import pytest

from tests.helpers import at
from tests.reports.test_router import BUILT, NOVEMBER, book, get, rows_of


@pytest.fixture
def built():
    with at(BUILT) as traveller:
        yield traveller


@pytest.fixture
def world(built, setting):
    return setting


def urgent_referral(referrals, key: str, called_at: str) -> dict:
    child, people = referrals.child(key=key)
    draft = referrals.draft(child, people, urgent={"called_at": called_at, "caller": "sw-1"})
    referrals.client.post(f"/api/v1/referrals/{draft['id']}/approval", headers=referrals.tm())
    submitted = referrals.client.post(f"/api/v1/referrals/{draft['id']}/submit", headers=referrals.sw())
    assert submitted.status_code == 200, submitted.text
    return submitted.json()


def test_r63_triage_timeliness_is_the_share_of_urgent_referrals_triaged_within_24_hours(client, auth, built, referrals):
    built.move_to("2026-11-23T09:30:00+00:00")
    on_time, late, never = (urgent_referral(referrals, key, "2026-11-23T09:00:00Z") for key in ("u1", "u2", "u3"))
    referrals.child(key="n1")  # not urgent: not counted
    built.move_to("2026-11-24T08:00:00+00:00")
    assert client.post(f"/api/v1/referrals/{on_time['id']}/triage", headers=referrals.tl()).status_code == 200
    built.move_to("2026-11-24T10:00:00+00:00")
    assert client.post(f"/api/v1/referrals/{late['id']}/triage", headers=referrals.tl()).status_code == 200
    rows = rows_of(get(client, auth, f"/api/v1/reports/triage-timeliness?{NOVEMBER}&area=north").json())
    assert rows[("2026-11", "north")] == {"urgent": 3, "on_time": 1, "share": round(1 / 3, 4)}
    assert never["triage_due_at"] == "2026-11-24T09:00:00Z"


def record(client, auth, session_id: str) -> None:
    csw = auth("csw-1", "contact_support_worker")
    draft = client.put(
        f"/api/v1/sessions/{session_id}/record",
        json={"went_ahead": True, "observations": "Warm and relaxed."},
        headers={**csw, "Idempotency-Key": f"report-{session_id}"},
    )
    assert draft.status_code == 201, draft.text
    submitted = client.post(f"/api/v1/sessions/{session_id}/record/submit", headers={**csw, "If-Match": draft.headers["etag"]})
    assert submitted.status_code == 200, submitted.text


def test_r63_record_timeliness_is_the_share_submitted_within_24_hours(client, auth, built, world, scheduling):
    first, second, _third = (book(scheduling, world, day) for day in (10, 17, 24))
    built.move_to("2026-11-11T10:00:00+00:00")
    record(client, auth, first["id"])  # due 2026-11-11T17:30Z: on time
    built.move_to("2026-11-19T10:00:00+00:00")
    record(client, auth, second["id"])  # due 2026-11-18T17:30Z: late
    # the third, due 2026-11-25T17:30Z, is never written: overdue by the time of reading
    rows = rows_of(get(client, auth, f"/api/v1/reports/record-timeliness?{NOVEMBER}&area=north").json())
    assert rows[("2026-11", "north")] == {"records": 2, "on_time": 1, "share": 0.5}


def test_r63_breaches_are_counted_by_severity(client, auth, built, world, scheduling):
    first, second = (book(scheduling, world, day) for day in (10, 17))
    built.move_to("2026-11-20T10:00:00+00:00")
    arrangement = world["arrangement"]["id"]
    for session, severity in ((first, "ordinary"), (second, "ordinary")):
        response = client.post(
            f"/api/v1/arrangements/{arrangement}/breaches",
            json={"severity": severity, "description": "Talked about the court case.", "session_id": session["id"], "occurred_at": session["starts_at"]},
            headers=scheduling.tl(),
        )
        assert response.status_code == 201, response.text
    october = client.post(
        f"/api/v1/arrangements/{arrangement}/breaches",
        json={"severity": "serious", "description": "Shouted at the worker.", "occurred_at": "2026-10-30T16:30:00Z"},
        headers=scheduling.tl(),
    )
    assert october.status_code == 201, october.text
    rows = rows_of(get(client, auth, "/api/v1/reports/breaches?from=2026-10&to=2026-11&area=north").json())
    assert rows[("2026-11", "north")]["total"] == 2 and rows[("2026-11", "north")]["ordinary"] == 2
    assert rows[("2026-11", "north")]["serious"] == 0
    assert rows[("2026-10", "north")]["total"] == 1 and rows[("2026-10", "north")]["serious"] == 1


def test_r63_suspensions_are_restrictions_of_kind_suspend(client, auth, built, world, scheduling):
    arrangement = world["arrangement"]["id"]
    built.move_to("2026-11-06T10:00:00+00:00")
    sm = auth("sm-1", "service_manager")
    for kind, starts_on in (("restrict", "2026-11-03"), ("suspend", "2026-11-05")):
        body = {"kind": kind, "reason": "Assessment under way.", "starts_on": starts_on}
        if kind == "restrict":
            body["changes"] = {"frequency": "fortnightly"}
        response = client.post(f"/api/v1/arrangements/{arrangement}/restrictions", json=body, headers=sm)
        assert response.status_code == 201, response.text
    rows = rows_of(get(client, auth, f"/api/v1/reports/suspensions?{NOVEMBER}").json())
    assert rows[("2026-11", "north")] == {"suspensions": 1, "emergency": 0}
    assert rows[("2026-11", "south")] == {"suspensions": 0, "emergency": 0}


def test_r63_months_are_local_a_late_september_night_in_bst_is_october(client, auth, built, world, scheduling):
    """2026-09-30T23:30Z is 00:30 on 1 October in London (BST): October, not September."""
    arrangement = world["arrangement"]["id"]
    built.move_to("2026-12-01T09:00:00+00:00")
    for occurred_at in ("2026-09-30T22:30:00Z", "2026-09-30T23:30:00Z", "2026-10-31T23:30:00Z", "2026-11-30T23:59:59Z"):
        response = client.post(
            f"/api/v1/arrangements/{arrangement}/breaches",
            json={"severity": "ordinary", "description": "Late again.", "occurred_at": occurred_at},
            headers=scheduling.tl(),
        )
        assert response.status_code == 201, response.text
    rows = rows_of(get(client, auth, "/api/v1/reports/breaches?from=2026-09&to=2026-11&area=north").json())
    assert [rows[(m, "north")]["total"] for m in ("2026-09", "2026-10", "2026-11")] == [1, 2, 1]

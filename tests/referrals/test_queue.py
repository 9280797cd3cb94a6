"""The team leaders' queue (R-17): urgent first, then court arena, then earliest due; due
times, time left and overdue on each item; filters; cursor paging; no N+1."""

from __future__ import annotations


import pytest
from sqlalchemy import event
from tests.helpers import at


def submit(referrals, key: str, *, urgent_at: str | None = None, court_arena: bool = True, area: str = "north") -> dict:
    child, people = referrals.child(key=key, court_arena=court_arena, area=area)
    extra = {"urgent": {"called_at": urgent_at, "caller": "sw-1"}} if urgent_at else {}
    draft = referrals.draft(child, people, **extra)
    assert referrals.client.post(f"/api/v1/referrals/{draft['id']}/approval", headers=referrals.tm()).status_code == 200
    response = referrals.client.post(f"/api/v1/referrals/{draft['id']}/submit", headers=referrals.sw())
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def mixed(referrals) -> dict[str, dict]:
    """Five open referrals and one decided, submitted across a week."""
    made = {}
    with at("2026-11-16T10:00:00+00:00"):
        made["old_plain"] = submit(referrals, "old", court_arena=False, area="south")  # due 23 Nov: overdue by the 25th
    with at("2026-11-23T10:00:00+00:00"):
        made["court"] = submit(referrals, "court")
        made["plain"] = submit(referrals, "plain", court_arena=False)
        made["decided"] = submit(referrals, "done")
    with at("2026-11-24T10:00:00+00:00"):
        made["urgent_plain"] = submit(referrals, "u1", urgent_at="2026-11-24T09:00:00Z", court_arena=False)
        made["urgent_court"] = submit(referrals, "u2", urgent_at="2026-11-24T09:30:00Z")
        assert referrals.decide(made["decided"], outcome="accepted_core").status_code == 200
    return made


def ids(page: dict) -> list[str]:
    return [item["id"] for item in page["items"]]


def test_r17_queue_orders_urgent_then_court_arena_then_earliest_due(client, referrals, mixed):
    with at("2026-11-25T08:00:00+00:00"):
        response = client.get("/api/v1/referrals/queue", headers=referrals.tl())
    assert response.status_code == 200
    page = response.json()
    assert ids(page) == [mixed[k]["id"] for k in ("urgent_court", "urgent_plain", "court", "old_plain", "plain")]
    first = page["items"][0]
    assert first["urgent"] is True and first["court_arena"] is True
    assert first["due_at"] == first["triage_due_at"] == "2026-11-25T09:30:00Z"
    assert first["seconds_left"] == 5400 and first["overdue"] is False
    assert first["child_name"] == "Amara O."
    old = page["items"][3]
    assert old["due_at"] == old["decision_due_at"] == "2026-11-23T23:59:59.999Z"
    assert old["overdue"] is True and old["seconds_left"] < 0
    assert page["next_cursor"] is None


def test_r17_triaged_urgent_referral_is_next_due_for_its_decision(client, referrals, mixed):
    with at("2026-11-24T12:00:00+00:00"):
        client.post(f"/api/v1/referrals/{mixed['urgent_court']['id']}/triage", headers=referrals.tl())
    with at("2026-11-25T08:00:00+00:00"):
        item = client.get("/api/v1/referrals/queue", params={"urgent": True}, headers=referrals.tl()).json()["items"][0]
    assert item["id"] == mixed["urgent_court"]["id"]
    assert item["triaged_at"] == "2026-11-24T12:00:00Z"
    assert item["due_at"] == item["decision_due_at"] == "2026-12-01T23:59:59.999Z"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"urgent": True}, ["urgent_court", "urgent_plain"]),
        ({"urgent": False}, ["court", "old_plain", "plain"]),
        ({"court_arena": True}, ["urgent_court", "court"]),
        ({"area": "south"}, ["old_plain"]),
        ({"overdue": True}, ["old_plain"]),
        ({"overdue": False}, ["urgent_court", "urgent_plain", "court", "plain"]),
        ({"due_within_hours": 2}, ["urgent_court", "urgent_plain", "old_plain"]),
        ({"urgent": False, "court_arena": False, "overdue": False}, ["plain"]),
    ],
)
def test_r17_queue_filters(client, referrals, mixed, params, expected):
    with at("2026-11-25T08:00:00+00:00"):
        page = client.get("/api/v1/referrals/queue", params=params, headers=referrals.tl()).json()
    assert ids(page) == [mixed[k]["id"] for k in expected]


def test_r62_queue_pages_by_cursor_in_order(client, auth, referrals, mixed):
    seen, cursor = [], None
    with at("2026-11-25T08:00:00+00:00"):
        while True:
            params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = client.get("/api/v1/referrals/queue", params=params, headers=auth("sm-1", "service_manager")).json()
            seen += ids(page)
            cursor = page["next_cursor"]
            if not cursor:
                break
    assert seen == [mixed[k]["id"] for k in ("urgent_court", "urgent_plain", "court", "old_plain", "plain")]


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "contact_support_worker", "integration"])
def test_r17_queue_is_for_team_leaders_and_service_managers(client, auth, role):
    response = client.get("/api/v1/referrals/queue", headers=auth("u-1", role, act_for="sw-1", team="north-1"))
    assert response.status_code == 403


@pytest.mark.parametrize(("params", "field"), [({"due_within_hours": -1}, "due_within_hours"), ({"urgent": "sometimes"}, "urgent"), ({"cursor": "xyz"}, "cursor")])
def test_r17_bad_queue_filter_is_422(client, referrals, params, field):
    response = client.get("/api/v1/referrals/queue", params=params, headers=referrals.tl())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_r17_a_queue_page_costs_the_same_statements_whatever_its_size(client, engine, referrals):
    for n in range(12):
        submit(referrals, f"k{n}", urgent_at="2026-11-23T09:00:00Z" if n % 3 == 0 else None, court_arena=n % 2 == 0)
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        small = client.get("/api/v1/referrals/queue", params={"limit": 2}, headers=referrals.tl())
        small_count = len(statements)
        statements.clear()
        large = client.get("/api/v1/referrals/queue", params={"limit": 12}, headers=referrals.tl())
        large_count = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(small.json()["items"]) == 2 and len(large.json()["items"]) == 12
    assert small_count == large_count
    assert large_count <= 3  # BEGIN on SQLite, the page query; nothing per item

"""Reviews through HTTP (R-55, R-55a): the first reviews due when an arrangement opens, each
review moving its kind's next due date, LAC reviews and the exit plan expected by the
third, the breach meeting, the list of due and overdue reviews, and its sweep."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app import cli
from app.core.audit import AuditEntry
from app.core.outbox import OutboxEvent
from app.oversight.models import Review
from tests.conftest import AUDIT_KEY
from tests.transport.conftest import at

TL = ("tl-1", "team_leader")


def review(client, auth, world, **body):
    payload = {"kind": "supervised", "held_on": "2026-11-30", "attended": ["team leader", "social worker"], "outcome": "Contact continues.", **body}
    return client.post(f"/api/v1/arrangements/{world['arrangement']['id']}/reviews", json=payload, headers=auth(*TL))


def arrangement(client, auth, world) -> dict:
    return client.get(f"/api/v1/arrangements/{world['arrangement']['id']}", headers=auth(*TL)).json()


def events(engine, kind: str) -> list[OutboxEvent]:
    with Session(engine) as session:
        return list(session.execute(select(OutboxEvent).where(OutboxEvent.type == kind).order_by(OutboxEvent.seq)).scalars())


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_r55_an_arrangement_opens_with_its_first_contact_service_and_supervised_reviews_due(client, auth, world):
    with at():
        nexts = arrangement(client, auth, world)["next_reviews"]
    # opened on Monday 2026-11-30: 3 months, and 6 weeks (the configured 4 to 6)
    assert nexts == [
        {"kind": "supervised", "due_on": "2027-01-11", "overdue": False},
        {"kind": "contact_service", "due_on": "2027-02-28", "overdue": False},
    ]


def test_r55a_a_review_records_who_and_what_and_moves_its_kinds_next_due_date(client, auth, world, engine):
    with at("2026-12-15T12:00:00+00:00"):
        made = review(client, auth, world, held_on="2026-12-14")
        nexts = arrangement(client, auth, world)["next_reviews"]
        listed = client.get(f"/api/v1/arrangements/{world['arrangement']['id']}/reviews", headers=auth(*TL))
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["kind"], body["held_on"], body["next_due_on"], body["recorded_by"]) == ("supervised", "2026-12-14", "2027-01-25", "tl-1")
    assert {n["kind"]: n["due_on"] for n in nexts} == {"supervised": "2027-01-25", "contact_service": "2027-02-28"}
    assert [r["id"] for r in listed.json()["items"]] == [body["id"]]
    [event] = events(engine, "review.recorded")
    assert event.data["next_due_on"] == "2027-01-25" and "outcome" not in event.data


def test_r55a_a_third_lac_review_without_an_exit_plan_is_flagged_until_one_is_recorded(client, auth, world):
    with at():
        for number, held in ((1, "2026-06-01"), (2, "2026-09-01")):
            assert review(client, auth, world, kind="lac", lac_number=number, held_on=held).status_code == 201
        two = arrangement(client, auth, world)["flags"]
        third = review(client, auth, world, kind="lac", lac_number=3, held_on="2026-11-30", next_due_on="2027-05-30")
        three = arrangement(client, auth, world)
        planned = review(client, auth, world, kind="contact_service", exit_plan="Monthly community contact from March.")
        after = arrangement(client, auth, world)["flags"]
    assert "exit_plan_overdue" not in two
    assert third.status_code == 201 and "exit_plan_overdue" in three["flags"]
    assert {n["kind"]: n["due_on"] for n in three["next_reviews"]}["lac"] == "2027-05-30"
    assert planned.status_code == 201 and "exit_plan_overdue" not in after


def test_r52_r55a_the_breach_meeting_clears_the_suspensions_review_meeting(client, auth, world):
    with at():
        client.post(
            f"/api/v1/arrangements/{world['arrangement']['id']}/breaches",
            json={"severity": "serious", "description": "Tried to leave with the child."}, headers=auth(*TL),
        )
        due = arrangement(client, auth, world)
        held = review(client, auth, world, kind="breach_meeting", attended=["team leader", "social worker", "mum"])
        after = arrangement(client, auth, world)
    assert "review_meeting_due" in due["flags"] and due["review_meeting_due_by"] is not None
    assert held.status_code == 201 and held.json()["next_due_on"] is None
    assert after["review_meeting_due_by"] is None and "review_meeting_due" not in after["flags"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"held_on": "2026-12-01"}, "held_on"),  # a review in the future
        ({"kind": "lac"}, "lac_number"),
        ({"lac_number": 2}, "lac_number"),
        ({"next_due_on": "2026-11-30"}, "next_due_on"),
        ({"kind": "annual"}, "kind"),
        ({"attended": []}, "attended"),
        ({"outcome": "  "}, "outcome"),
    ],
)
def test_r55a_a_bad_review_is_422_naming_the_field_and_writes_nothing(client, auth, world, engine, body, field):
    before = (count(engine, Review), count(engine, AuditEntry), count(engine, OutboxEvent))
    with at():
        response = review(client, auth, world, **body)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert (count(engine, Review), count(engine, AuditEntry), count(engine, OutboxEvent)) == before


def test_r55a_reviews_due_lists_soonest_first_filters_and_pages(client, auth, world, scheduling):
    with at():
        south = scheduling.arrangement(key="r55-south", area="south")
        closed = scheduling.arrangement(key="r55-closed")
        client.post(f"/api/v1/arrangements/{closed['id']}/close", json={"reason": "Ended.", "exit_plan": "None."}, headers=auth(*TL))
    with at("2027-01-20T09:00:00+00:00"):  # the supervised reviews (due 11 January) are overdue
        sm = auth("sm-1", "service_manager")
        everything = client.get("/api/v1/reviews/due", headers=sm).json()["items"]
        north = client.get("/api/v1/reviews/due", params={"area": "north"}, headers=sm).json()["items"]
        overdue = client.get("/api/v1/reviews/due", params={"overdue": "true"}, headers=sm).json()["items"]
        not_yet = client.get("/api/v1/reviews/due", params={"overdue": "false", "kind": "contact_service"}, headers=sm).json()["items"]
        first = client.get("/api/v1/reviews/due", params={"limit": 1}, headers=sm).json()
        assert "next_cursor" in first, first
        second = client.get("/api/v1/reviews/due", params={"limit": 1, "cursor": first["next_cursor"]}, headers=sm).json()
        refused = client.get("/api/v1/reviews/due", headers=auth("sw-1", "social_worker", team="north-1"))
        bad = client.get("/api/v1/reviews/due", params={"kind": "annual"}, headers=sm)
    mine, theirs = world["arrangement"]["id"], south["id"]
    assert [(i["arrangement_id"], i["kind"]) for i in everything] == sorted(
        [(a, k) for a in (mine, theirs) for k in ("supervised", "contact_service")], key=lambda p: (p[1] != "supervised", p[0])
    )
    assert {i["area"] for i in north} == {"north"} and {i["arrangement_id"] for i in north} == {mine}
    assert {(i["kind"], i["overdue"]) for i in overdue} == {("supervised", True)}
    assert {i["kind"] for i in not_yet} == {"contact_service"} and not any(i["overdue"] for i in not_yet)
    assert len(first["items"]) == 1 and second["items"][0] == everything[1]
    assert refused.status_code == 403
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "kind"


def test_r55a_the_sweep_announces_each_overdue_review_once(client, auth, world, engine, settings, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("AUDIT_KEY", AUDIT_KEY)
    outputs = []
    for day in ("2027-01-11T12:00:00+00:00", "2027-01-12T12:00:00+00:00", "2027-01-13T12:00:00+00:00"):
        with at(day):
            assert cli.main(["sweep-reviews"]) == 0
        outputs.append(capsys.readouterr().out.strip())
    assert outputs == [f"{n} overdue review(s) announced" for n in (0, 1, 0)]
    [event] = events(engine, "review.overdue")
    assert (event.data["kind"], event.data["due_on"]) == ("supervised", "2027-01-11")


def test_r70_a_filter_value_that_is_only_unusual_whitespace_is_a_422_not_a_server_error(client, auth):
    # Found by schemathesis: U+0085 (NEL) as `area` was a 500.
    # Now an area must be one of AREAS, so it is the 422 naming `area` that any other value gets.
    response = client.get("/api/v1/reviews/due", params={"area": "\u0085"}, headers=auth("sm-1", "service_manager"))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "area"


def test_r55a_terminating_contact_keeps_the_exit_plan_a_review_recorded(client, auth, world):
    with at():
        for number in (1, 2, 3):
            review(client, auth, world, kind="lac", lac_number=number, held_on=f"2026-0{number + 5}-01")
        review(client, auth, world, kind="contact_service", exit_plan="Monthly community contact from March.")
        ended = client.post(
            f"/api/v1/arrangements/{world['arrangement']['id']}/restrictions",
            json={"kind": "terminate", "reason": "Contact is no longer safe.", "starts_on": "2026-11-30"},
            headers=auth("sm-1", "service_manager"),
        )
        flags = arrangement(client, auth, world)["flags"]
    assert ended.status_code == 201, ended.text
    assert flags == ["s34_application_needed"]  # not exit_plan_overdue: the plan survives the closure

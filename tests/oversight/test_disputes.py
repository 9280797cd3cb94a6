"""Disputes through HTTP (R-56, R-56a): raised by the social worker or a manager, climbed one
rung of the 004 s15 ladder at a time (a skipped or repeated step is a 409), each step with
when, who and the outcome, and resolved, an exceptionality setting a review date."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.core.audit import AuditEntry
from app.core.outbox import OutboxEvent
from app.oversight.models import LADDER, DisputeStepRecord
from tests.transport.conftest import at

TL = ("tl-1", "team_leader")


def raise_dispute(client, auth, world, who=("sw-1", "social_worker")):
    headers = auth(*who, team="north-1") if who[1] == "social_worker" else auth(*who)
    return client.post(
        f"/api/v1/arrangements/{world['arrangement']['id']}/disputes",
        json={"concern": "The social worker disagrees with reducing contact to fortnightly."}, headers=headers,
    )


def step(client, auth, dispute_id: str, name: str, caller=TL, **body):
    payload = {"step": name, "held_on": "2026-11-30", "who": ["team leader", "social worker"], "outcome": "No agreement yet.", **body}
    return client.post(f"/api/v1/disputes/{dispute_id}/steps", json=payload, headers=auth(*caller))


def events(engine, kind: str) -> list[OutboxEvent]:
    with Session(engine) as session:
        return list(session.execute(select(OutboxEvent).where(OutboxEvent.type == kind).order_by(OutboxEvent.seq)).scalars())


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_r56_a_dispute_climbs_the_whole_ladder_one_step_at_a_time_and_is_resolved(client, auth, world, engine):
    with at():
        raised = raise_dispute(client, auth, world)
        dispute_id = raised.json()["id"]
        climbed = [step(client, auth, dispute_id, rung.value) for rung in LADDER]
        beyond = step(client, auth, dispute_id, "group_manager")
        resolved = step(client, auth, dispute_id, "resolved", resolution="agreed", outcome="Weekly contact continues.")
        read = client.get(f"/api/v1/disputes/{dispute_id}", headers=auth(*TL))
        after = step(client, auth, dispute_id, "resolved", resolution="agreed")
    assert raised.status_code == 201, raised.text
    assert (raised.json()["status"], raised.json()["step"], raised.json()["next_step"]) == ("open", None, "team_leader")
    assert [r.status_code for r in climbed] == [201] * len(LADDER)
    assert [r.json()["next_step"] for r in climbed] == [rung.value for rung in LADDER[1:]] + [None]
    assert beyond.status_code == 409 and beyond.json()["next_step"] is None
    assert resolved.status_code == 201 and resolved.json()["status"] == "resolved"
    body = read.json()
    assert [s["step"] for s in body["steps"]] == [rung.value for rung in LADDER] + ["resolved"]
    assert body["steps"][0]["who"] == ["team leader", "social worker"] and body["steps"][0]["recorded_by"] == "tl-1"
    assert after.status_code == 409
    assert len(events(engine, "dispute.escalated")) == len(LADDER) and len(events(engine, "dispute.resolved")) == 1
    assert "concern" not in events(engine, "dispute.opened")[0].data


@pytest.mark.parametrize(("taken", "attempt"), [([], "review_form"), (["team_leader"], "management_team"), (["team_leader"], "team_leader")])
def test_r56a_a_skipped_or_repeated_step_is_a_409_naming_the_next_and_writes_nothing(client, auth, world, engine, taken, attempt):
    with at():
        dispute_id = raise_dispute(client, auth, world).json()["id"]
        for rung in taken:
            assert step(client, auth, dispute_id, rung).status_code == 201
        before = (count(engine, DisputeStepRecord), count(engine, AuditEntry))
        response = step(client, auth, dispute_id, attempt)
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["type"].endswith("dispute-step-out-of-order")
    assert problem["next_step"] == ("review_form" if taken else "team_leader")
    assert (count(engine, DisputeStepRecord), count(engine, AuditEntry)) == before


def test_r56a_an_exceptionality_outcome_sets_the_arrangements_review_date(client, auth, world, engine):
    with at():
        dispute_id = raise_dispute(client, auth, world, who=("tl-1", "team_leader")).json()["id"]
        step(client, auth, dispute_id, "team_leader")
        missing = step(client, auth, dispute_id, "resolved", resolution="exceptionality")
        resolved = step(client, auth, dispute_id, "resolved", resolution="exceptionality", review_on="2027-03-01")
        arrangement = client.get(f"/api/v1/arrangements/{world['arrangement']['id']}", headers=auth(*TL)).json()
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "review_on"
    assert resolved.status_code == 201 and resolved.json()["review_on"] == "2027-03-01"
    assert arrangement["review_by"] == "2027-03-01"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"held_on": "2026-12-25"}, "held_on"),
        ({"who": []}, "who"),
        ({"outcome": ""}, "outcome"),
        ({"resolution": "agreed"}, "resolution"),
        ({"step": "arbitration"}, "step"),
    ],
)
def test_r56a_a_bad_step_is_422_naming_the_field(client, auth, world, body, field):
    with at():
        dispute_id = raise_dispute(client, auth, world).json()["id"]
        response = step(client, auth, dispute_id, body.pop("step", "team_leader"), **body)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_r56_who_may_raise_climb_and_read_a_dispute(client, auth, world):
    with at():
        dispute_id = raise_dispute(client, auth, world).json()["id"]
        csw = raise_dispute(client, auth, world, who=("csw-1", "contact_support_worker"))
        other_sw = client.get(f"/api/v1/disputes/{dispute_id}", headers=auth("sw-2", "social_worker", team="south-3"))
        ghost = client.get("/api/v1/disputes/00000000-0000-4000-8000-000000000000", headers=auth("sw-2", "social_worker", team="south-3"))
        sm = client.get(f"/api/v1/disputes/{dispute_id}", headers=auth("sm-1", "service_manager"))
    assert csw.status_code == 403
    assert other_sw.status_code == 404 and other_sw.json() == ghost.json()
    assert sm.status_code == 200

"""Referrals through HTTP: drafting (R-10, R-12), approval (R-11), submission and its
deadlines (R-13, R-14), decisions (R-15, R-16), arrangements (R-18) and access (R-06)."""

from __future__ import annotations

import uuid


import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.arrangements.models import Arrangement
from app.core.audit import AuditEntry
from app.core.outbox import OutboxEvent
from app.referrals.models import Referral, ReferralPerson
from tests.conftest import child_body
from tests.helpers import at


def counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            m.__tablename__: session.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Referral, ReferralPerson, Arrangement, AuditEntry, OutboxEvent)
        }


def events(client, auth, type_: str) -> list[dict]:
    feed = client.get("/api/v1/events", params={"type": type_, "limit": 500}, headers=auth("sm-1", "service_manager"))
    assert feed.status_code == 200
    return feed.json()["items"]


class TestDraft:
    def test_r10_social_worker_drafts_a_referral(self, client, auth, engine, referrals):
        child, people = referrals.child()
        body = referrals.body(
            child,
            people,
            purpose=["relationships", "rehabilitation_evidence"],
            transport={"reason": "Carer works full time.", "evidence": "Rota supplied."},
            alternative_venue={"description": "Local park", "reason": "Child is calmer outdoors."},
        )
        response = client.post("/api/v1/referrals", json=body, headers=referrals.sw())
        assert response.status_code == 201, response.text
        referral = response.json()
        assert response.headers["location"] == f"/api/v1/referrals/{referral['id']}"
        assert referral["status"] == "draft"
        assert referral["social_worker_sub"] == "sw-1" and referral["team"] == "north-1"
        assert sorted(referral["people"]) == sorted(p["id"] for p in people)
        assert referral["frequency"] == {"times": 2, "per": "week"}
        assert referral["risk_assessment"]["factors"][0]["level"] == "medium"
        assert referral["transport"] == {"reason": "Carer works full time.", "evidence": "Rota supplied."}
        assert referral["alternative_venue"]["reason"] == "Child is calmer outdoors."
        assert referral["court_arena"] is True  # taken from the child
        assert referral["received_at"] is None and referral["decision"] is None
        assert [e["type"] for e in events(client, auth, "referral.drafted")] == ["referral.drafted"]
        with Session(engine) as session:
            assert session.execute(select(AuditEntry.action).where(AuditEntry.entity_id == referral["id"])).scalar_one() == "referral.drafted"

    def test_r10_integration_drafts_for_the_social_worker_it_acts_for(self, client, auth, referrals):
        child, people = referrals.child()
        response = client.post(
            "/api/v1/referrals", json=referrals.body(child, people), headers=auth("framework", "integration", act_for="sw-1")
        )
        assert response.status_code == 201
        assert response.json()["social_worker_sub"] == "sw-1"

    @pytest.mark.parametrize("who", ["unknown", "someone_elses"])
    def test_r10_unknown_or_unallocated_child_is_422_naming_child_id(self, client, auth, engine, referrals, who):
        child, people = referrals.child()
        body = referrals.body(child, people)
        headers = referrals.sw()
        if who == "unknown":
            body["child_id"] = str(uuid.uuid4())
        else:
            headers = referrals.sw("sw-2")
        before = counts(engine)
        response = client.post("/api/v1/referrals", json=body, headers=headers)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "child_id"
        assert counts(engine) == before

    def test_r10_people_outside_the_childs_network_are_named(self, client, auth, engine, referrals):
        child, people = referrals.child()
        _, others = referrals.child(key="999")
        body = referrals.body(child, [people[0], others[0]])
        body["people"].append(str(uuid.uuid4()))
        before = counts(engine)
        response = client.post("/api/v1/referrals", json=body, headers=referrals.sw())
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["people.1", "people.2"]
        assert counts(engine) == before

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"level": "unsupervised"}, "level"),
            ({"purpose": []}, "purpose"),
            ({"purpose": ["fun"]}, "purpose.0"),
            ({"frequency": {"times": 0, "per": "week"}}, "frequency.times"),
            ({"frequency": {"times": 1, "per": "year"}}, "frequency.per"),
            ({"duration_minutes": 5}, "duration_minutes"),
            ({"duration_minutes": 600}, "duration_minutes"),
            ({"people": []}, "people"),
            ({"risk_assessment": {"factors": [{"factor": "gambling", "level": "low", "note": "x"}]}}, "risk_assessment.factors.0.factor"),
            ({"risk_assessment": {"factors": [{"factor": "mental_health", "level": "severe", "note": "x"}]}}, "risk_assessment.factors.0.level"),
            ({"risk_assessment": {"factors": [{"factor": "mental_health", "level": "low"}]}}, "risk_assessment.factors.0.note"),
            ({"transport": {"reason": "Carer works."}}, "transport.evidence"),
            ({"transport": {"evidence": "Rota."}}, "transport.reason"),
            ({"alternative_venue": {"description": "Park"}}, "alternative_venue.reason"),
            ({"urgent": {"caller": "sw-1"}}, "urgent.called_at"),
            ({"urgent": {"called_at": "2026-11-23T09:00:00", "caller": "sw-1"}}, "urgent.called_at"),
            ({"status": "submitted"}, "status"),
            ({"received_at": "2026-11-20T09:00:00Z"}, "received_at"),
        ],
    )
    def test_r10_r12_bad_referral_is_422_naming_the_field(self, client, engine, referrals, change, field):
        child, people = referrals.child()
        before = counts(engine)
        response = client.post("/api/v1/referrals", json=referrals.body(child, people, **change), headers=referrals.sw())
        assert response.status_code == 422, response.text
        assert field in [e["field"] for e in response.json()["errors"]]
        assert counts(engine) == before

    def test_r10_each_risk_factor_once(self, client, referrals):
        child, people = referrals.child()
        factor = {"factor": "mental_health", "level": "low", "note": "x"}
        response = client.post(
            "/api/v1/referrals", json=referrals.body(child, people, risk_assessment={"factors": [factor, factor]}), headers=referrals.sw()
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "risk_assessment"

    def test_r14_urgent_call_in_the_future_is_422(self, client, referrals):
        child, people = referrals.child()
        urgent = {"called_at": "2999-01-01T09:00:00Z", "caller": "sw-1"}
        response = client.post("/api/v1/referrals", json=referrals.body(child, people, urgent=urgent), headers=referrals.sw())
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "urgent.called_at"

    @pytest.mark.parametrize("role", ["team_leader", "team_manager", "contact_support_worker", "data_analyst"])
    def test_r10_only_social_workers_and_integrations_refer(self, client, auth, referrals, role):
        child, people = referrals.child()
        response = client.post("/api/v1/referrals", json=referrals.body(child, people), headers=auth("u-1", role, team="north-1"))
        assert response.status_code == 403


class TestApprovalAndSubmission:
    def test_r11_submitting_before_approval_is_409_naming_the_state(self, client, engine, referrals):
        referral = referrals.draft()
        before = counts(engine)
        response = client.post(f"/api/v1/referrals/{referral['id']}/submit", headers=referrals.sw())
        assert response.status_code == 409
        assert response.json()["current_state"] == "draft"
        assert "approved by a team manager" in response.json()["detail"]
        assert counts(engine) == before

    def test_r11_team_manager_approval_records_who_and_when(self, client, auth, referrals):
        referral = referrals.draft()
        with at("2026-11-23T10:00:00+00:00"):
            response = client.post(f"/api/v1/referrals/{referral['id']}/approval", headers=referrals.tm())
        assert response.status_code == 200
        assert response.json()["status"] == "approved"
        assert response.json()["approved_by"] == "tm-1"
        assert response.json()["approved_at"] == "2026-11-23T10:00:00Z"
        assert [e["data"]["approved_by"] for e in events(client, auth, "referral.approved")] == ["tm-1"]

    @pytest.mark.parametrize(
        ("headers", "status"),
        [
            (("tm-2", "team_manager", {"team": "south-3"}), 404),
            (("sw-1", "social_worker", {}), 403),
            (("tl-1", "team_leader", {}), 403),
        ],
    )
    def test_r11_only_the_teams_manager_approves(self, client, auth, referrals, headers, status):
        referral = referrals.draft()
        sub, role, claims = headers
        response = client.post(f"/api/v1/referrals/{referral['id']}/approval", headers=auth(sub, role, **claims))
        assert response.status_code == status
        assert client.get(f"/api/v1/referrals/{referral['id']}", headers=referrals.sw()).json()["status"] == "draft"

    def test_r11_a_manager_does_not_approve_their_own_referral(self, client, auth, referrals):
        child, people = referrals.child(social_worker_sub="sw-1")
        both = auth("sw-1", "social_worker", "team_manager", team="north-1")
        referral = client.post("/api/v1/referrals", json=referrals.body(child, people), headers=both).json()
        assert client.post(f"/api/v1/referrals/{referral['id']}/approval", headers=both).status_code == 403

    def test_r11_approving_twice_is_409(self, client, referrals):
        referral = referrals.approved()
        response = client.post(f"/api/v1/referrals/{referral['id']}/approval", headers=referrals.tm())
        assert response.status_code == 409 and response.json()["current_state"] == "approved"

    def test_r13_submission_late_on_a_friday_is_due_end_of_the_fifth_working_day(self, client, auth, referrals):
        referral = referrals.approved()
        with at("2026-11-27T23:30:00+00:00"):
            response = client.post(f"/api/v1/referrals/{referral['id']}/submit", headers=referrals.sw())
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "submitted"
        assert body["received_at"] == "2026-11-27T23:30:00Z"
        assert body["decision_due_at"] == "2026-12-04T23:59:59.999Z"
        assert body["triage_due_at"] is None
        [event] = events(client, auth, "referral.submitted")
        assert event["data"]["decision_due_at"] == "2026-12-04T23:59:59.999Z"

    def test_r13_deadline_skips_christmas_bank_holidays(self, client, referrals):
        referral = referrals.approved()
        with at("2026-12-23T12:00:00+00:00"):
            body = client.post(f"/api/v1/referrals/{referral['id']}/submit", headers=referrals.sw()).json()
        # Thu 24, (Fri 25, Mon 28 bank holidays), Tue 29, Wed 30, Thu 31, (Fri 1 Jan), Mon 4 Jan.
        assert body["decision_due_at"] == "2027-01-04T23:59:59.999Z"

    def test_r13_integration_may_backdate_receipt(self, client, auth, referrals):
        referral = referrals.approved()
        with at("2026-11-25T12:00:00+00:00"):
            response = client.post(
                f"/api/v1/referrals/{referral['id']}/submit",
                json={"received_at": "2026-11-23T16:00:00+00:00"},
                headers=auth("framework", "integration", act_for="sw-1"),
            )
        assert response.status_code == 200
        assert response.json()["received_at"] == "2026-11-23T16:00:00Z"
        assert response.json()["decision_due_at"] == "2026-11-30T23:59:59.999Z"

    @pytest.mark.parametrize(
        ("received_at", "who"),
        [("2026-11-26T12:00:00+00:00", "integration"), ("2026-11-23T12:00:00+00:00", "social_worker"), ("yesterday", "integration")],
    )
    def test_r13_future_or_unauthorised_received_at_is_422_and_nothing_changes(self, client, auth, engine, referrals, received_at, who):
        referral = referrals.approved()
        before = counts(engine)
        with at("2026-11-25T12:00:00+00:00"):
            headers = auth("framework", "integration", act_for="sw-1") if who == "integration" else referrals.sw()
            response = client.post(f"/api/v1/referrals/{referral['id']}/submit", json={"received_at": received_at}, headers=headers)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "received_at"
        assert counts(engine) == before
        assert client.get(f"/api/v1/referrals/{referral['id']}", headers=referrals.sw()).json()["status"] == "approved"

    def test_r14_urgent_referral_is_due_for_triage_24_hours_after_the_call(self, client, referrals):
        urgent = {"called_at": "2026-10-24T09:10:00+01:00", "caller": "sw-1"}
        with at("2026-10-24T09:00:00+01:00"):
            referral = referrals.approved(urgent=None)
        with at("2026-10-24T09:30:00+01:00"):
            child, people = referrals.child(key="u1")
            draft = referrals.draft(child, people, urgent=urgent)
            referrals.client.post(f"/api/v1/referrals/{draft['id']}/approval", headers=referrals.tm())
            body = referrals.client.post(f"/api/v1/referrals/{draft['id']}/submit", headers=referrals.sw()).json()
        # 24 clock hours across the clock change: 08:10 GMT on the Sunday.
        assert body["urgent"] == {"called_at": "2026-10-24T08:10:00Z", "caller": "sw-1"}
        assert body["triage_due_at"] == "2026-10-25T08:10:00Z"
        assert referral["urgent"] is None

    def test_r10_withdrawn_referral_cannot_be_submitted(self, client, referrals):
        referral = referrals.approved()
        withdrawn = client.post(f"/api/v1/referrals/{referral['id']}/withdraw", json={"reason": "Family moved away."}, headers=referrals.sw())
        assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
        response = client.post(f"/api/v1/referrals/{referral['id']}/submit", headers=referrals.sw())
        assert response.status_code == 409 and response.json()["current_state"] == "withdrawn"


class TestDecision:
    def test_r15_r18_core_acceptance_opens_an_active_arrangement(self, client, auth, engine, referrals):
        referral = referrals.submitted()
        response = referrals.decide(referral, outcome="accepted_core")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == "decided"
        assert body["decision"]["outcome"] == "accepted_core"
        assert body["arrangement_id"] == body["decision"]["arrangement_id"]
        arrangement = client.get(f"/api/v1/arrangements/{body['arrangement_id']}", headers=referrals.sw())
        assert arrangement.status_code == 200
        assert arrangement.json()["status"] == "active"
        assert arrangement.json()["basis"] == "accepted_core"
        assert arrangement.json()["breach_count"] == 0 and arrangement.json()["flags"] == []
        assert [e["data"]["arrangement_id"] for e in events(client, auth, "arrangement.opened")] == [body["arrangement_id"]]

    def test_r16_the_social_worker_is_notified_with_what_they_need(self, client, auth, referrals):
        referral = referrals.submitted()
        with at("2026-11-24T10:00:00+00:00"):
            body = referrals.decide(referral, outcome="declined", reason="The foster carer can support contact.").json()
        assert body["decision"]["notified_at"] == "2026-11-24T10:00:00Z"
        assert body["decision"]["missed_deadline"] is False
        [event] = events(client, auth, "referral.decided")
        assert event["subject_id"] == referral["id"]
        assert event["data"]["outcome"] == "declined"
        assert event["data"]["reason"] == "The foster carer can support contact."
        assert event["data"]["social_worker_sub"] == "sw-1"
        assert event["data"]["arrangement_id"] is None
        assert "Elm Road" not in str(event)

    def test_r15_exceptional_acceptance_needs_rationale_and_review_date(self, client, engine, referrals):
        referral = referrals.submitted()
        before = counts(engine)
        missing = referrals.decide(referral, outcome="accepted_exceptional", rationale="Risk to placement.")
        assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "review_by"
        missing = referrals.decide(referral, outcome="accepted_exceptional", review_by="2999-01-01")
        assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "rationale"
        past = referrals.decide(referral, outcome="accepted_exceptional", rationale="Risk.", review_by="2020-01-01")
        assert past.status_code == 422 and past.json()["errors"][0]["field"] == "review_by"
        assert counts(engine) == before
        ok = referrals.decide(referral, outcome="accepted_exceptional", rationale="Risk to placement.", review_by="2999-01-01")
        assert ok.status_code == 200
        assert ok.json()["decision"]["review_by"] == "2999-01-01"
        arrangement = client.get(f"/api/v1/arrangements/{ok.json()['arrangement_id']}", headers=referrals.tl()).json()
        assert arrangement["basis"] == "accepted_exceptional" and arrangement["review_by"] == "2999-01-01"

    def test_r15_decline_needs_a_reason(self, engine, referrals):
        referral = referrals.submitted()
        before = counts(engine)
        response = referrals.decide(referral, outcome="declined")
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "reason"
        assert counts(engine) == before

    def test_r15_capacity_decline_names_the_resources_service(self, engine, referrals):
        referral = referrals.submitted()
        body = referrals.decide(referral, outcome="declined_capacity").json()
        assert body["decision"]["alternative_route"] == "resources_service"
        assert body["arrangement_id"] is None
        assert counts(engine)["arrangement"] == 0

    def test_r15_core_offer_outside_the_court_arena_needs_the_risk(self, referrals):
        referral = referrals.submitted(court_arena=False)
        response = referrals.decide(referral, outcome="accepted_core")
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "reason"
        ok = referrals.decide(referral, outcome="accepted_core", reason="Significant risk of harm; no alternative supervisor.")
        assert ok.status_code == 200

    def test_r15_room_only_is_for_supported_contact(self, referrals):
        supervised = referrals.submitted()
        response = referrals.decide(supervised, outcome="accepted_core", room_only=True)
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "room_only"
        child, people = referrals.child(key="s2")
        supported = referrals.draft(child, people, level="supported")
        referrals.client.post(f"/api/v1/referrals/{supported['id']}/approval", headers=referrals.tm())
        referrals.client.post(f"/api/v1/referrals/{supported['id']}/submit", headers=referrals.sw())
        ok = referrals.decide(supported, outcome="accepted_core", room_only=True)
        assert ok.status_code == 200 and ok.json()["decision"]["room_only"] is True

    def test_r15_unknown_outcome_is_422(self, engine, referrals):
        referral = referrals.submitted()
        response = referrals.decide(referral, outcome="maybe")
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "outcome"

    def test_r15_decision_on_a_referral_not_submitted_is_409(self, engine, referrals):
        referral = referrals.approved()
        before = counts(engine)
        response = referrals.decide(referral, outcome="accepted_core")
        assert response.status_code == 409 and response.json()["current_state"] == "approved"
        assert counts(engine) == before

    def test_r15_second_decision_is_409_and_changes_nothing(self, engine, referrals):
        referral = referrals.submitted()
        assert referrals.decide(referral, outcome="accepted_core").status_code == 200
        before = counts(engine)
        again = referrals.decide(referral, outcome="declined", reason="Changed my mind.")
        assert again.status_code == 409
        assert again.json()["type"].endswith(":already-decided") and again.json()["current_state"] == "decided"
        assert counts(engine) == before

    @pytest.mark.parametrize("role", ["social_worker", "team_manager", "service_manager", "contact_support_worker"])
    def test_r15_only_team_leaders_decide(self, client, auth, referrals, role):
        referral = referrals.submitted()
        response = client.post(
            f"/api/v1/referrals/{referral['id']}/decision", json={"outcome": "accepted_core"}, headers=auth("sw-1", role, team="north-1")
        )
        assert response.status_code == 403

    def test_r16_decline_notified_after_the_deadline_is_a_missed_service_level(self, client, auth, referrals):
        with at("2026-11-23T10:00:00+00:00"):
            referral = referrals.submitted()
        with at("2026-12-01T09:00:00+00:00"):
            body = referrals.decide(referral, outcome="declined", reason="Not meeting the criteria.").json()
        assert body["decision_due_at"] == "2026-11-30T23:59:59.999Z"
        assert body["decision"]["missed_deadline"] is True
        assert events(client, auth, "referral.decided")[0]["data"]["missed_deadline"] is True

    def test_r16_acceptance_after_the_deadline_is_not_a_missed_decline(self, referrals):
        with at("2026-11-23T10:00:00+00:00"):
            referral = referrals.submitted()
        with at("2026-12-01T09:00:00+00:00"):
            body = referrals.decide(referral, outcome="accepted_core").json()
        assert body["decision"]["missed_deadline"] is False


class TestTriage:
    def urgent(self, referrals, called_at: str) -> dict:
        child, people = referrals.child(key=called_at[:13].replace(":", ""))
        draft = referrals.draft(child, people, urgent={"called_at": called_at, "caller": "sw-1"})
        referrals.client.post(f"/api/v1/referrals/{draft['id']}/approval", headers=referrals.tm())
        return referrals.client.post(f"/api/v1/referrals/{draft['id']}/submit", headers=referrals.sw()).json()

    def test_r14_triage_within_24_hours_is_on_time(self, client, referrals):
        with at("2026-11-23T09:30:00+00:00"):
            referral = self.urgent(referrals, "2026-11-23T09:00:00Z")
        with at("2026-11-24T08:00:00+00:00"):
            response = client.post(f"/api/v1/referrals/{referral['id']}/triage", json={"note": "Seen."}, headers=referrals.tl())
        assert response.status_code == 200
        assert response.json()["triaged_at"] == "2026-11-24T08:00:00Z"
        assert response.json()["triage_missed"] is False

    def test_r16_triage_after_24_hours_is_a_missed_service_level(self, client, auth, referrals):
        with at("2026-11-23T09:30:00+00:00"):
            referral = self.urgent(referrals, "2026-11-23T09:00:00Z")
        with at("2026-11-24T09:00:01+00:00"):
            response = client.post(f"/api/v1/referrals/{referral['id']}/triage", headers=referrals.tl())
        assert response.json()["triage_missed"] is True
        assert events(client, auth, "referral.triaged")[0]["data"]["missed"] is True

    def test_r14_a_decision_counts_as_triage(self, referrals):
        with at("2026-11-23T09:30:00+00:00"):
            referral = self.urgent(referrals, "2026-11-23T09:00:00Z")
        with at("2026-11-25T09:00:00+00:00"):
            body = referrals.decide(referral, outcome="accepted_core").json()
        assert body["triaged_at"] == "2026-11-25T09:00:00Z" and body["triage_missed"] is True

    def test_r14_only_urgent_referrals_are_triaged_once(self, client, referrals):
        plain = referrals.submitted()
        assert client.post(f"/api/v1/referrals/{plain['id']}/triage", headers=referrals.tl()).status_code == 409
        with at("2026-11-23T09:30:00+00:00"):
            urgent = self.urgent(referrals, "2026-11-23T09:00:00Z")
            assert client.post(f"/api/v1/referrals/{urgent['id']}/triage", headers=referrals.tl()).status_code == 200
            again = client.post(f"/api/v1/referrals/{urgent['id']}/triage", headers=referrals.tl())
        assert again.status_code == 409 and again.json()["type"].endswith(":already-triaged")


class TestAccess:
    @pytest.mark.parametrize(
        ("sub", "roles", "claims", "status"),
        [
            ("sw-1", ("social_worker",), {}, 200),
            ("fw", ("integration",), {"act_for": "sw-1"}, 200),
            ("tm-1", ("team_manager",), {"team": "north-1"}, 200),
            ("tl-9", ("team_leader",), {}, 200),
            ("sm-1", ("service_manager",), {}, 200),
            ("sw-2", ("social_worker",), {}, 404),
            # bound to the child's source, an integration reads what hangs off its children.
            ("fw", ("integration",), {"act_for": "sw-2"}, 200),
            ("mosaic-prod", ("integration",), {"act_for": "sw-1"}, 404),
            ("tm-2", ("team_manager",), {"team": "south-3"}, 404),
            ("csw-1", ("contact_support_worker",), {}, 403),
            ("da-1", ("data_analyst",), {}, 403),
            ("iro-1", ("iro",), {}, 403),
        ],
    )
    def test_r06_who_may_read_a_referral(self, client, auth, referrals, sub, roles, claims, status):
        referral = referrals.draft()
        response = client.get(f"/api/v1/referrals/{referral['id']}", headers=auth(sub, *roles, **claims))
        assert response.status_code == status

    def test_r06_unknown_referral_is_404(self, client, referrals):
        assert client.get(f"/api/v1/referrals/{uuid.uuid4()}", headers=referrals.tl()).status_code == 404

    def test_r06_arrangement_follows_the_childs_allocation(self, client, auth, referrals):
        referral = referrals.submitted()
        arrangement_id = referrals.decide(referral, outcome="accepted_core").json()["arrangement_id"]
        url = f"/api/v1/arrangements/{arrangement_id}"
        assert client.get(url, headers=auth("sw-2", "social_worker")).status_code == 404
        assert client.get(url, headers=auth("da-1", "data_analyst")).status_code == 403
        assert client.get(f"/api/v1/arrangements/{uuid.uuid4()}", headers=referrals.tl()).status_code == 404
        client.put(
            "/api/v1/children/framework/123456",
            json=child_body(social_worker_sub="sw-2"),
            headers=auth("tl-1", "team_leader"),
        )
        assert client.get(url, headers=auth("sw-2", "social_worker")).status_code == 200
        assert client.get(url, headers=auth("sw-1", "social_worker")).status_code == 404


class TestCalendar:
    @pytest.mark.parametrize(
        ("params", "due"),
        [
            ({"from": "2026-11-27T23:30:00Z", "working_days": 5}, "2026-12-04T23:59:59.999Z"),
            ({"from": "2026-04-02T09:00:00+01:00", "working_days": 1}, "2026-04-07T22:59:59.999Z"),
            ({"from": "2026-10-24T09:10:00+01:00", "hours": 24}, "2026-10-25T08:10:00Z"),
        ],
    )
    def test_r01_r04_due_endpoint_gives_the_services_deadlines(self, client, auth, params, due):
        response = client.get("/api/v1/calendar/due", params=params, headers=auth("csw-1", "contact_support_worker"))
        assert response.status_code == 200, response.text
        assert response.json() == {"due_at": due}

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"from": "2026-11-27T23:30:00", "working_days": 5}, "from"),
            ({"from": "next friday", "working_days": 5}, "from"),
            ({"working_days": 5}, "from"),
            ({"from": "2026-11-27T23:30:00Z"}, "working_days"),
            ({"from": "2026-11-27T23:30:00Z", "working_days": 5, "hours": 24}, "working_days"),
            ({"from": "2026-11-27T23:30:00Z", "working_days": -1}, "working_days"),
        ],
    )
    def test_r01_bad_due_query_is_422_naming_the_parameter(self, client, auth, params, field):
        response = client.get("/api/v1/calendar/due", params=params, headers=auth("csw-1", "contact_support_worker"))
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == field

    def test_r71_due_endpoint_needs_a_token(self, client):
        assert client.get("/api/v1/calendar/due", params={"from": "2026-11-27T23:30:00Z", "hours": 1}).status_code == 401

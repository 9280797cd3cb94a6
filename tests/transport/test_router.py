"""Transport, drivers and expenses through HTTP (R-31 to R-35, R-08)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.core.audit import AuditEntry
from app.core.outbox import OutboxEvent
from app.transport.models import Driver, Expense, TransportRequest
from tests.transport.conftest import ADDRESS, approve, ask, assign, at


def counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            m.__tablename__: session.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (TransportRequest, Driver, Expense, AuditEntry, OutboxEvent)
        }


class TestRequests:
    def test_r31_social_worker_asks_for_transport_for_one_session(self, client, auth, world):
        response = ask(client, auth, session_id=world["sessions"][0]["id"])
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["status"] == "requested" and body["provider"] == "volunteer"
        assert body["legs"] == ["to_venue", "from_venue"]
        assert body["pickup_address"] == ADDRESS  # the child's own social worker sees it
        assert body["address_withheld"] is True

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"legs": ["to_school"]}, "legs.0"),
            ({"legs": []}, "legs"),
            ({"legs": ["to_venue", "to_venue"]}, "legs"),
            ({"reason": ""}, "reason"),
            ({"evidence": None}, "evidence"),
            ({"pickup_address": ""}, "pickup_address"),
        ],
    )
    def test_r31_bad_request_is_422_and_writes_nothing(self, client, auth, engine, world, change, field):
        before = counts(engine)
        response = ask(client, auth, session_id=world["sessions"][0]["id"], **change)
        assert response.status_code == 422, response.text
        assert field in [e["field"] for e in response.json()["errors"]]
        assert counts(engine) == before

    def test_r31_needs_exactly_one_of_session_and_arrangement(self, client, auth, world):
        both = ask(client, auth, session_id=world["sessions"][0]["id"], arrangement_id=world["arrangement"]["id"])
        neither = ask(client, auth)
        assert both.status_code == neither.status_code == 422

    def test_r31_cancelled_or_past_session_is_refused(self, client, auth, engine, world):
        s = world["s"]
        with at():
            client.post(f"/api/v1/sessions/{world['sessions'][1]['id']}/cancel", json={"reason": "Mum unwell.", "cancelled_by": "parent"}, headers=s.tl())
        before = counts(engine)
        cancelled = ask(client, auth, session_id=world["sessions"][1]["id"])
        assert cancelled.status_code == 409 and cancelled.json()["current_state"] == "cancelled"
        with at("2026-12-01T16:30:00+00:00"):
            started = client.post(
                "/api/v1/transport-requests",
                json={"session_id": world["sessions"][0]["id"], "legs": ["from_venue"], "pickup_address": ADDRESS, "reason": "r", "evidence": "e"},
                headers=auth("sw-1", "social_worker"),
            )
        assert started.status_code == 422 and started.json()["errors"][0]["field"] == "session_id"
        assert counts(engine)["transport_request"] == before["transport_request"]

    def test_r06_another_social_worker_cannot_ask_for_this_child(self, client, auth, world):
        with at():
            response = client.post(
                "/api/v1/transport-requests",
                json={"session_id": world["sessions"][0]["id"], "legs": ["to_venue"], "pickup_address": "x", "reason": "r", "evidence": "e"},
                headers=auth("sw-2", "social_worker"),
            )
        assert response.status_code == 422

    @pytest.mark.parametrize("field", ["session_id", "arrangement_id"])
    def test_r06_anothers_row_answers_exactly_as_a_row_that_does_not_exist(self, client, auth, world, engine, field):
        """No existence oracle: "not yours" and "no such" are the same answer."""
        real = world["sessions"][0]["id"] if field == "session_id" else world["arrangement"]["id"]
        before = counts(engine)
        with at():
            answers = [
                client.post(
                    "/api/v1/transport-requests",
                    json={field: target, "legs": ["to_venue"], "pickup_address": "x", "reason": "r", "evidence": "e"},
                    headers=auth("sw-2", "social_worker"),
                )
                for target in (real, str(uuid.uuid4()))
            ]
        assert [a.status_code for a in answers] == [422, 422]
        assert answers[0].json() == answers[1].json()
        assert [e["field"] for e in answers[0].json()["errors"]] == [field]
        assert counts(engine) == before

    def test_r31_cancelling_the_session_cancels_its_transport_on_the_outbox(self, client, auth, world):
        request = ask(client, auth, session_id=world["sessions"][0]["id"]).json()
        with at():
            r = client.post(f"/api/v1/sessions/{world['sessions'][0]['id']}/cancel", json={"reason": "Child unwell.", "cancelled_by": "carer"}, headers=world["s"].tl())
            assert r.status_code == 200
            got = client.get(f"/api/v1/transport-requests/{request['id']}", headers=auth("tl-1", "team_leader"))
            events = client.get("/api/v1/events", params={"type": "transport.cancelled"}, headers=auth("sm-1", "service_manager")).json()["items"]
        assert got.json()["status"] == "cancelled"
        assert [e["subject_id"] for e in events] == [request["id"]]
        assert ADDRESS not in str(events)


class TestIfa:
    def test_r32_ifa_placement_is_transported_by_the_agency(self, client, auth, world):
        s = world["s"]
        with at():
            arrangement = s.arrangement(key="ifa-1", placement_type="ifa", date_of_birth="2017-03-14")
        response = ask(client, auth, arrangement_id=arrangement["id"])
        assert response.status_code == 201 and response.json()["provider"] == "ifa_agency"
        approve(client, auth, response.json()["id"])
        refused = assign(client, auth, response.json()["id"], world["drivers"][0]["id"])
        assert refused.status_code == 409 and refused.json()["type"].endswith(":agency-transport")

    def test_r32_unless_the_placement_agreement_says_otherwise(self, client, auth, world):
        with at():
            arrangement = world["s"].arrangement(key="ifa-2", placement_type="ifa", date_of_birth="2017-03-14")
        response = ask(client, auth, arrangement_id=arrangement["id"], agency_agreement_excludes_transport=True)
        assert response.json()["provider"] == "volunteer"


class TestDrivers:
    def test_r33_assigning_a_driver_and_keeping_them_for_the_arrangement(self, client, auth, engine, world):
        first = ask(client, auth, session_id=world["sessions"][0]["id"]).json()
        approve(client, auth, first["id"])
        pat, sam = world["drivers"][0]["id"], world["drivers"][1]["id"]
        assigned = assign(client, auth, first["id"], pat)
        assert assigned.status_code == 200, assigned.text
        assert assigned.json()["status"] == "driver_assigned" and assigned.json()["driver_id"] == pat
        second = ask(client, auth, session_id=world["sessions"][1]["id"]).json()
        approve(client, auth, second["id"])
        before = counts(engine)
        other = assign(client, auth, second["id"], sam)
        assert other.status_code == 422 and other.json()["errors"][0]["field"] == "change_reason"
        assert counts(engine) == before
        changed = assign(client, auth, second["id"], sam, when="2026-11-30T09:05:00+00:00", change_reason="Pat is on holiday.")
        assert changed.status_code == 200 and changed.json()["driver_change_reason"] == "Pat is on holiday."
        same = ask(client, auth, arrangement_id=world["arrangement"]["id"]).json()
        approve(client, auth, same["id"])
        # the usual driver is now the latest one assigned (Sam)
        # Sam is now the usual driver (no change_reason needed), but already drives 2 December.
        clash = assign(client, auth, same["id"], sam, when="2026-11-30T09:10:00+00:00")
        assert clash.status_code == 409 and clash.json()["type"].endswith(":driver-clash")

    def test_r35_expired_dbs_by_the_journey_date_cannot_be_assigned(self, client, auth, engine, world):
        request = ask(client, auth, session_id=world["sessions"][1]["id"]).json()  # 2 December
        approve(client, auth, request["id"])
        before = counts(engine)
        response = assign(client, auth, request["id"], world["drivers"][2]["id"])  # expires 1 December
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "driver_id"
        assert "DBS" in response.json()["detail"]
        assert counts(engine) == before

    def test_r33_unknown_driver_is_422(self, client, auth, world):
        request = ask(client, auth, session_id=world["sessions"][0]["id"]).json()
        approve(client, auth, request["id"])
        response = assign(client, auth, request["id"], str(uuid.uuid4()))
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "driver_id"

    def test_r33_a_driver_is_never_double_booked(self, client, auth, engine, world):
        s = world["s"]
        with at():
            s.csw("csw-2")
            other = s.arrangement(key="other", date_of_birth="2017-03-14")
            room2 = s.room(s.venue(name="Arnold"), name="Red room")
            r = s.book(arrangement_id=other["id"], room_id=room2["id"], csw_sub="csw-2", starts_at="2026-12-01T16:30:00Z", ends_at="2026-12-01T17:30:00Z")
            assert r.status_code == 201, r.text
        mine = ask(client, auth, session_id=world["sessions"][0]["id"]).json()
        theirs = ask(client, auth, session_id=r.json()["id"]).json()
        for request in (mine, theirs):
            approve(client, auth, request["id"])
        assert assign(client, auth, mine["id"], world["drivers"][0]["id"]).status_code == 200
        before = counts(engine)
        clash = assign(client, auth, theirs["id"], world["drivers"][0]["id"])
        assert clash.status_code == 409 and clash.json()["type"].endswith(":driver-clash")
        assert clash.json()["clashes"][0]["transport_request_id"] == mine["id"]
        assert counts(engine) == before

    def test_r33_team_leaders_see_a_drivers_journeys(self, client, auth, world):
        request = ask(client, auth, session_id=world["sessions"][0]["id"]).json()
        approve(client, auth, request["id"])
        assign(client, auth, request["id"], world["drivers"][0]["id"])
        with at():
            journeys = client.get(f"/api/v1/drivers/{world['drivers'][0]['id']}/journeys", headers=auth("tl-1", "team_leader")).json()
            denied = client.get(f"/api/v1/drivers/{world['drivers'][0]['id']}/journeys", headers=auth("csw-1", "contact_support_worker"))
        assert [(j["leg"], j["starts_at"], j["ends_at"]) for j in journeys["items"]] == [
            ("to_venue", "2026-12-01T15:00:00Z", "2026-12-01T16:00:00Z"),
            ("from_venue", "2026-12-01T17:30:00Z", "2026-12-01T18:30:00Z"),
        ]
        assert denied.status_code == 403

    def test_r35_driver_dbs_dates_must_be_in_order(self, client, auth, engine):
        before = counts(engine)
        r = client.post("/api/v1/drivers", json={"name": "X", "dbs_checked_on": "2026-01-01", "dbs_expires_on": "2025-01-01"}, headers=auth("tl-1", "team_leader"))
        assert r.status_code == 422 and counts(engine) == before

    def test_r15_declined_transport_needs_a_reason(self, client, auth, world):
        request = ask(client, auth, session_id=world["sessions"][0]["id"]).json()
        with at():
            r = client.post(f"/api/v1/transport-requests/{request['id']}/decision", json={"approve": False}, headers=auth("tl-1", "team_leader"))
            ok = client.post(f"/api/v1/transport-requests/{request['id']}/decision", json={"approve": False, "reason": "Carer can drive."}, headers=auth("tl-1", "team_leader"))
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
        assert ok.json()["status"] == "declined" and ok.json()["decline_reason"] == "Carer can drive."


class TestWithheldPickup:
    @pytest.mark.parametrize(
        ("sub", "roles", "claims", "sees"),
        [
            ("sw-1", ("social_worker",), {}, True),
            ("tl-1", ("team_leader",), {}, True),
            ("sm-1", ("service_manager",), {}, True),
            ("csw-1", ("contact_support_worker",), {}, False),
            ("fw", ("integration",), {"act_for": "sw-1"}, False),
            ("tm-1", ("team_manager",), {"team": "north-1"}, False),
        ],
    )
    def test_r08_pickup_address_follows_the_withheld_address(self, client, auth, world, sub, roles, claims, sees):
        request = ask(client, auth, session_id=world["sessions"][0]["id"]).json()
        with at():
            response = client.get(f"/api/v1/transport-requests/{request['id']}", headers=auth(sub, *roles, **claims))
        assert response.status_code == 200, response.text
        if sees:
            assert response.json()["pickup_address"] == ADDRESS
        else:
            assert response.json()["pickup_address"] is None
            assert "Elm Road" not in response.text and "NG5" not in response.text

    def test_r06_other_csw_and_analysts_do_not_read_transport(self, client, auth, world):
        request = ask(client, auth, session_id=world["sessions"][0]["id"]).json()
        with at():
            assert client.get(f"/api/v1/transport-requests/{request['id']}", headers=auth("csw-9", "contact_support_worker")).status_code == 404
            assert client.get(f"/api/v1/transport-requests/{request['id']}", headers=auth("da-1", "data_analyst")).status_code == 403


class TestExpenses:
    def expense(self, client, auth, world, **change):
        body = {
            "arrangement_id": world["arrangement"]["id"],
            "person_id": world["arrangement"]["people"][0]["id"],
            "amount_pence": 640,
            "purpose": "Return bus fare",
            "incurred_on": "2026-11-20",
        }
        body.update(change)
        with at():
            return client.post("/api/v1/expenses", json=body, headers=auth("sw-1", "social_worker"))

    def test_r34_expense_recorded_approved_and_totalled(self, client, auth, world):
        a = self.expense(client, auth, world)
        b = self.expense(client, auth, world, amount_pence=1280, incurred_on="2026-11-27")
        c = self.expense(client, auth, world, amount_pence=500, incurred_on="2026-10-30", kind="activity", purpose="Soft play")
        assert a.status_code == b.status_code == c.status_code == 201, a.text
        with at():
            tl = auth("tl-1", "team_leader")
            assert client.post(f"/api/v1/expenses/{a.json()['id']}/approval", json={"approve": True}, headers=tl).json()["status"] == "approved"
            assert client.post(f"/api/v1/expenses/{b.json()['id']}/approval", json={"approve": True}, headers=tl).status_code == 200
            rejected = client.post(f"/api/v1/expenses/{c.json()['id']}/approval", json={"approve": False}, headers=tl)
            assert rejected.status_code == 422 and rejected.json()["errors"][0]["field"] == "reason"
            again = client.post(f"/api/v1/expenses/{a.json()['id']}/approval", json={"approve": False, "reason": "x"}, headers=tl)
            assert again.status_code == 409
            totals = client.get("/api/v1/expenses/totals", params={"arrangement_id": world["arrangement"]["id"]}, headers=tl).json()["items"]
        assert [(t["month"], t["status"], t["count"], t["amount_pence"]) for t in totals] == [
            ("2026-10", "submitted", 1, 500),
            ("2026-11", "approved", 2, 1920),
        ]

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"amount_pence": -5}, "amount_pence"),
            ({"amount_pence": 0}, "amount_pence"),
            ({"amount_pence": 100001}, "amount_pence"),
            ({"amount_pence": 12.5}, "amount_pence"),
            ({"incurred_on": "2027-06-01"}, "incurred_on"),
            ({"incurred_on": "20/11/2026"}, "incurred_on"),
            ({"purpose": ""}, "purpose"),
            ({"kind": "hotel"}, "kind"),
            ({"person_id": "00000000-0000-0000-0000-000000000000"}, "person_id"),
        ],
    )
    def test_r34_bad_expense_is_422_and_writes_nothing(self, client, auth, engine, world, change, field):
        before = counts(engine)
        response = self.expense(client, auth, world, **change)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field
        assert counts(engine) == before

    def test_r34_totals_are_for_team_leaders_and_service_managers(self, client, auth):
        assert client.get("/api/v1/expenses/totals", headers=auth("sw-1", "social_worker")).status_code == 403
        assert client.get("/api/v1/expenses/totals", headers=auth("sm-1", "service_manager")).status_code == 200

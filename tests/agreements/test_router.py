"""Written agreements and breaches through HTTP (R-50, R-50a, R-51, R-52, R-52a): versions
and signatures, the booking refused until every party signed, breaches counted, and the
suspension a third or serious breach makes, then resuming and closing."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.agreements.models import Agreement, Breach, Signature
from app.core.audit import AuditEntry
from app.core.outbox import OutboxEvent
from app.sessions.models import ContactSession
from app.transport.models import TransportRequest
from tests.transport.conftest import ask, at

def api(world) -> str:
    return f"/api/v1/arrangements/{world['arrangement']['id']}"


def agreement_body(world, **overrides) -> dict:
    body = {
        "expectations": ["Arrive ten minutes early.", "No talk of the court case."],
        "breach_consequences": "A third breach, or a serious one, suspends contact.",
        "parties": [{"person_id": p["id"], "role": "parent"} for p in world["arrangement"]["people"]],
    }
    return {**body, **overrides}


def events(engine, kind: str) -> list[OutboxEvent]:
    with Session(engine) as session:
        return list(session.execute(select(OutboxEvent).where(OutboxEvent.type == kind).order_by(OutboxEvent.seq)).scalars())


def audited(engine, action: str) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)).scalar_one()


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def book(world, day: str = "2026-12-07", arrangement_id: str | None = None) -> httpx.Response:
    return world["s"].book(
        arrangement_id=arrangement_id or world["arrangement"]["id"], room_id=world["room"]["id"], csw_sub="csw-1",
        starts_at=f"{day}T16:00:00Z", ends_at=f"{day}T17:00:00Z",
    )


def breach(client, world, severity: str = "ordinary", headers=None, **body) -> httpx.Response:
    payload = {"severity": severity, "description": "Arrived 25 minutes late.", "session_id": world["sessions"][0]["id"], **body}
    return client.post(f"{api(world)}/breaches", json=payload, headers=headers or world["s"].tl())


# --- R-50, R-50a: the written agreement ---------------------------------------------------


class TestAgreement:
    def test_r50_a_booking_needs_every_party_signature_and_names_the_unsigned(self, client, world, engine):
        with at():
            unsigned = world["s"].arrangement(key="r50-1", signed=False)
            nothing = book(world, arrangement_id=unsigned["id"])
            url = f"/api/v1/arrangements/{unsigned['id']}"
            written = client.put(f"{url}/agreement", json=agreement_body({"arrangement": unsigned}), headers=world["s"].tl())
            mum, dad = unsigned["people"]
            client.post(f"{url}/agreement/signatures", json={"person_id": mum["id"], "signed_at": written.json()["written_at"], "method": "remote"}, headers=world["s"].tl())
            half = book(world, arrangement_id=unsigned["id"])
            client.post(f"{url}/agreement/signatures", json={"person_id": dad["id"], "signed_at": written.json()["written_at"], "method": "meeting"}, headers=world["s"].tl())
            booked = book(world, arrangement_id=unsigned["id"])
        assert nothing.status_code == 409 and nothing.json()["type"].endswith("agreement-unsigned")
        assert nothing.json()["unsigned_parties"] == []
        assert half.status_code == 409 and half.json()["type"].endswith("agreement-unsigned")
        assert half.json()["unsigned_parties"] == [{"person_id": dad["id"], "role": "parent"}]
        assert booked.status_code == 201, booked.text
        with Session(engine) as session:
            assert session.execute(select(func.count()).select_from(ContactSession).where(ContactSession.arrangement_id == uuid.UUID(unsigned["id"]))).scalar_one() == 1

    def test_r50a_changing_a_signed_agreement_makes_an_unsigned_version_and_booked_sessions_stay(self, client, world, engine):
        with at():
            changed = client.put(f"{api(world)}/agreement", json=agreement_body(world, expectations=["Ring if late."]), headers=world["s"].tl())
            refused = book(world)
            read = client.get(f"{api(world)}/agreement", headers=world["s"].tl())
            arrangement = client.get(api(world), headers=world["s"].tl())
            session = client.get(f"/api/v1/sessions/{world['sessions'][0]['id']}", headers=world["s"].tl())
        assert changed.status_code == 201, changed.text
        body = changed.json()
        assert (body["version"], body["fully_signed"], body["signatures"], len(body["unsigned"])) == (2, False, [], 2)
        assert refused.status_code == 409 and len(refused.json()["unsigned_parties"]) == 2
        assert read.json()["version"] == 2 and read.json()["expectations"] == ["Ring if late."]
        assert arrangement.json()["agreement"] == {"version": 2, "fully_signed": False, "unsigned": 2}
        assert session.json()["status"] == "booked"
        with Session(engine) as db:
            assert [a.version for a in db.execute(select(Agreement).order_by(Agreement.version)).scalars()] == [1, 2]
        assert [e.data["version"] for e in events(engine, "agreement.written")] == [1, 2]

    def test_r50a_before_any_signature_a_change_rewrites_the_version_and_the_same_text_changes_nothing(self, client, world, engine):
        with at():
            fresh = world["s"].arrangement(key="r50-2", signed=False)
            url = f"/api/v1/arrangements/{fresh['id']}/agreement"
            first = client.put(url, json=agreement_body({"arrangement": fresh}), headers=world["s"].tl())
            rewritten = client.put(url, json=agreement_body({"arrangement": fresh}, breach_consequences="Suspension."), headers=world["s"].tl())
            audits = audited(engine, "agreement.written")
            again = client.put(url, json=agreement_body({"arrangement": fresh}, breach_consequences="Suspension."), headers=world["s"].tl())
        assert (first.status_code, rewritten.status_code, again.status_code) == (201, 200, 200)
        assert rewritten.json()["version"] == 1 and rewritten.json()["breach_consequences"] == "Suspension."
        assert audited(engine, "agreement.written") == audits  # the same text again wrote nothing

    def test_r50_a_signature_records_who_when_and_how_and_a_retry_changes_nothing(self, client, world, engine):
        with at():
            fresh = world["s"].arrangement(key="r50-3", signed=False)
            url = f"/api/v1/arrangements/{fresh['id']}/agreement"
            written = client.put(url, json=agreement_body({"arrangement": fresh}), headers=world["s"].tl())
            mum = fresh["people"][0]
            sig = {"person_id": mum["id"], "signed_at": written.json()["written_at"], "method": "remote"}
            signed = client.post(f"{url}/signatures", json=sig, headers=world["s"].tl())
            retried = client.post(f"{url}/signatures", json=sig, headers=world["s"].tl())
            other = client.post(f"{url}/signatures", json={**sig, "method": "in_person"}, headers=world["s"].tl())
        assert (signed.status_code, retried.status_code, other.status_code) == (201, 200, 409)
        [signature] = signed.json()["signatures"]
        assert (signature["person_id"], signature["method"], signature["recorded_by"]) == (mum["id"], "remote", "tl-1")
        assert signature["signed_at"] == written.json()["written_at"]
        [event] = [e for e in events(engine, "agreement.signed") if e.data["arrangement_id"] == fresh["id"]]
        assert event.data["person_id"] == mum["id"] and event.data["fully_signed"] is False
        assert "Okafor" not in str(event.data)

    @pytest.mark.parametrize(
        ("signature", "field"),
        [
            ({"person_id": "00000000-0000-4000-8000-000000000000"}, "person_id"),
            ({"signed_at": "2026-12-25T10:00:00Z"}, "signed_at"),
            ({"signed_at": "2020-01-01T10:00:00Z"}, "signed_at"),
            ({"method": "carrier_pigeon"}, "method"),
        ],
    )
    def test_r50_a_bad_signature_is_422_naming_the_field_and_writes_nothing(self, client, world, engine, signature, field):
        with at():
            url = f"{api(world)}/agreement"
            client.put(url, json=agreement_body(world, expectations=["Be kind."]), headers=world["s"].tl())
            before = (count(engine, Signature), count(engine, AuditEntry))
            sig = {"person_id": world["arrangement"]["people"][0]["id"], "signed_at": "2026-11-30T09:00:00Z", "method": "remote", **signature}
            response = client.post(f"{url}/signatures", json=sig, headers=world["s"].tl())
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == [field]
        assert (count(engine, Signature), count(engine, AuditEntry)) == before

    def test_r50_a_party_outside_the_childs_network_is_422_naming_it(self, client, world, engine):
        with at():
            other = world["s"].arrangement(key="r50-4", signed=False)
            body = agreement_body(world, parties=[{"person_id": world["arrangement"]["people"][0]["id"], "role": "parent"},
                                                  {"person_id": other["people"][0]["id"], "role": "parent"}])
            before = count(engine, Agreement)
            response = client.put(f"/api/v1/arrangements/{other['id']}/agreement", json=body, headers=world["s"].tl())
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["parties.0.person_id"]
        assert count(engine, Agreement) == before

    def test_r50_no_agreement_yet_is_a_404_and_the_arrangement_says_none(self, client, world):
        with at():
            fresh = world["s"].arrangement(key="r50-5", signed=False)
            response = client.get(f"/api/v1/arrangements/{fresh['id']}/agreement", headers=world["s"].tl())
            arrangement = client.get(f"/api/v1/arrangements/{fresh['id']}", headers=world["s"].tl())
        assert response.status_code == 404 and response.json()["detail"] == "No agreement with that id that you may see."
        assert arrangement.json()["agreement"] is None


# --- breaches and the suspension they make ---------------------------------------


class TestBreaches:
    def test_r51_a_breach_is_recorded_counted_audited_and_on_the_outbox(self, client, world, engine):
        with at():
            response = breach(client, world, person_id=world["arrangement"]["people"][0]["id"])
            listed = client.get(f"{api(world)}/breaches", headers=world["s"].tl())
        assert response.status_code == 201, response.text
        body = response.json()
        assert (body["status"], body["breach_count"], body["suspended"], body["agreement_version"]) == ("active", 1, False, 1)
        assert [b["id"] for b in listed.json()["items"]] == [body["id"]] and listed.json()["next_cursor"] is None
        [event] = events(engine, "breach.recorded")
        assert event.data["breach_id"] == body["id"] and event.data["breach_count"] == 1
        assert "description" not in event.data  # text stays out of events
        assert audited(engine, "breach.recorded") == 1

    def test_r52_the_third_breach_suspends_holds_future_sessions_and_transport_and_dates_the_meeting(self, client, world, engine, auth):
        request = ask(client, auth, session_id=world["sessions"][1]["id"])
        assert request.status_code == 201, request.text
        with at():
            first, second = breach(client, world), breach(client, world)
            third = breach(client, world)
            arrangement = client.get(api(world), headers=world["s"].tl())
        assert (first.json()["status"], second.json()["status"]) == ("active", "active")
        assert third.status_code == 201 and third.json()["status"] == "suspended" and third.json()["suspended"] is True
        assert third.json()["review_meeting_due_by"] == "2026-12-03T23:59:59.999Z"  # the end of the 3rd working day after Monday
        assert arrangement.json()["status"] == "suspended" and arrangement.json()["breach_count"] == 3
        assert arrangement.json()["review_meeting_due_by"] == "2026-12-03T23:59:59.999Z"
        with Session(engine) as session:
            statuses = {str(r.id): r.status.value for r in session.execute(select(ContactSession)).scalars()}
            transport = session.get(TransportRequest, uuid.UUID(request.json()["id"]))
        assert statuses == {world["sessions"][0]["id"]: "on_hold", world["sessions"][1]["id"]: "on_hold"}
        assert transport.status.value == "on_hold" and transport.held_from.value == "requested"
        [suspended] = events(engine, "arrangement.suspended")
        assert suspended.data["notify"] == ["social_worker"] and suspended.data["breach_id"] == third.json()["id"]
        assert suspended.data["review_meeting_due_by"].startswith("2026-12-03T23:59:59.999")
        assert len(events(engine, "session.held")) == 2 and len(events(engine, "transport.held")) == 1
        # in the same transaction as the breach: its event sits right before the suspension's
        with Session(engine) as session:
            seqs = [e.type for e in session.execute(select(OutboxEvent).order_by(OutboxEvent.seq)).scalars()][-5:]
        assert seqs == ["breach.recorded", "arrangement.suspended", "session.held", "session.held", "transport.held"]

    def test_r52_a_serious_breach_suspends_at_once_and_a_later_one_does_not_suspend_again(self, client, world, engine):
        with at():
            serious = breach(client, world, "serious", description="Tried to leave with the child.")
            later = breach(client, world, "serious")
        assert serious.json()["status"] == "suspended" and serious.json()["suspended"] is True
        assert later.status_code == 201 and later.json()["suspended"] is False and later.json()["breach_count"] == 2
        assert len(events(engine, "arrangement.suspended")) == 1

    def test_r52_a_session_already_started_is_not_held(self, client, world, engine):
        with at("2026-12-01T16:30:00+00:00"):  # during Tuesday's session
            breach(client, world, "serious")
        with Session(engine) as session:
            statuses = {str(r.id): r.status.value for r in session.execute(select(ContactSession)).scalars()}
        assert statuses == {world["sessions"][0]["id"]: "booked", world["sessions"][1]["id"]: "on_hold"}

    def test_r51_a_csw_records_breaches_in_their_own_sessions_only(self, client, world, auth):
        with at():
            world["s"].csw("csw-2")
            theirs = breach(client, world, headers=auth("csw-1", "contact_support_worker"))
            not_theirs = breach(client, world, headers=auth("csw-2", "contact_support_worker"))
            no_session = breach(client, world, headers=auth("csw-1", "contact_support_worker"), session_id=None)
        assert theirs.status_code == 201, theirs.text
        assert not_theirs.status_code == 404  # csw-2 supervises nothing of this child
        assert no_session.status_code == 403 and no_session.json()["errors"][0]["field"] == "session_id"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"session_id": "other"}, "session_id"),
            ({"person_id": "00000000-0000-4000-8000-000000000000"}, "person_id"),
            ({"occurred_at": "2026-12-31T10:00:00Z"}, "occurred_at"),
            ({"severity": "catastrophic"}, "severity"),
            ({"description": ""}, "description"),
        ],
    )
    def test_r51_a_bad_breach_is_422_naming_the_field_and_writes_nothing(self, client, world, engine, body, field):
        with at():
            if body.get("session_id") == "other":
                other = world["s"].arrangement(key="r51-1")
                body = {"session_id": book(world, arrangement_id=other["id"]).json()["id"]}
            before = (count(engine, Breach), count(engine, AuditEntry), count(engine, OutboxEvent))
            response = breach(client, world, **body)
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == [field]
        assert (count(engine, Breach), count(engine, AuditEntry), count(engine, OutboxEvent)) == before


# --- R-52a: resuming and closing ---------------------------------------------------------------


class TestResumeAndClose:
    def test_r52a_resuming_books_held_sessions_where_still_free_and_answers_the_clashes(self, client, world, engine, auth):
        request = ask(client, auth, session_id=world["sessions"][1]["id"])
        with at():
            breach(client, world, "serious")
            other = world["s"].arrangement(key="r52a-1")
            # Tuesday's slot, freed by the hold, goes to another child in the same room
            taken = world["s"].book(
                arrangement_id=other["id"], room_id=world["room"]["id"], csw_sub="csw-1",
                starts_at="2026-12-01T16:00:00Z", ends_at="2026-12-01T17:00:00Z",
            )
            resumed = client.post(f"{api(world)}/resume", headers=world["s"].tl())
            again = client.post(f"{api(world)}/resume", headers=world["s"].tl())
        assert taken.status_code == 201, taken.text
        assert resumed.status_code == 200, resumed.text
        body = resumed.json()
        assert body["status"] == "active" and body["resumed_sessions"] == [world["sessions"][1]["id"]]
        [clash] = body["clashes"]
        assert clash["session_id"] == world["sessions"][0]["id"] and clash["clashes"][0]["session_id"] == taken.json()["id"]
        assert again.status_code == 409
        with Session(engine) as session:
            assert session.get(TransportRequest, uuid.UUID(request.json()["id"])).status.value == "requested"
            statuses = {str(r.id): r.status.value for r in session.execute(select(ContactSession).where(ContactSession.arrangement_id == uuid.UUID(world["arrangement"]["id"]))).scalars()}
        assert statuses == {world["sessions"][0]["id"]: "on_hold", world["sessions"][1]["id"]: "booked"}
        assert len(events(engine, "arrangement.resumed")) == 1 and len(events(engine, "session.resumed")) == 1

    def test_r52a_closing_cancels_what_is_to_come_and_the_arrangement_accepts_nothing_more(self, client, world, engine, auth):
        request = ask(client, auth, session_id=world["sessions"][0]["id"])
        with at():
            closed = client.post(f"{api(world)}/close", json={"reason": "Review meeting: contact ends.", "exit_plan": "Letterbox contact."}, headers=world["s"].tl())
            after = {
                "breach": breach(client, world),
                "agreement": client.put(f"{api(world)}/agreement", json=agreement_body(world, expectations=["New."]), headers=world["s"].tl()),
                "booking": book(world),
                "resume": client.post(f"{api(world)}/resume", headers=world["s"].tl()),
                "close": client.post(f"{api(world)}/close", json={"reason": "Again.", "exit_plan": "None."}, headers=world["s"].tl()),
            }
        assert closed.status_code == 200, closed.text
        assert sorted(closed.json()["cancelled_sessions"]) == sorted(s["id"] for s in world["sessions"])
        assert {k: r.status_code for k, r in after.items()} == dict.fromkeys(after, 409)
        assert after["breach"].json()["type"].endswith("arrangement-closed")
        with Session(engine) as session:
            rows = session.execute(select(ContactSession)).scalars().all()
            assert {(r.status.value, r.cancelled_by.value, r.cancel_reason) for r in rows} == {("cancelled", "service", "Review meeting: contact ends.")}
            assert session.get(TransportRequest, uuid.UUID(request.json()["id"])).status.value == "cancelled"
        [event] = events(engine, "arrangement.closed")
        assert event.data["status"] == "closed" and "exit_plan" not in event.data

    def test_r52a_resume_and_close_are_for_team_leaders_and_service_managers(self, client, world, auth):
        with at():
            refused = client.post(f"{api(world)}/resume", headers=auth("sw-1", "social_worker", team="north-1"))
            csw = client.post(f"{api(world)}/close", json={"reason": "x", "exit_plan": "y"}, headers=auth("csw-1", "contact_support_worker"))
        assert refused.status_code == 403 and csw.status_code == 403


def test_r40_r51_a_session_record_links_the_breaches_recorded_for_its_session(client, world, auth):
    url = f"/api/v1/sessions/{world['sessions'][0]['id']}/record"
    with at("2026-12-01T17:40:00+00:00"):
        ours = breach(client, world).json()["id"]
        theirs = breach(client, world, session_id=world["sessions"][1]["id"]).json()["id"]
        csw = {**auth("csw-1", "contact_support_worker")}
        refused = client.put(url, json={"went_ahead": True, "breaches": [ours, theirs]}, headers={**csw, "Idempotency-Key": "r40-breach-1"})
        saved = client.put(url, json={"went_ahead": True, "breaches": [ours]}, headers={**csw, "Idempotency-Key": "r40-breach-2"})
    assert refused.status_code == 422 and [e["field"] for e in refused.json()["errors"]] == ["breaches.1"]
    assert saved.status_code == 201, saved.text
    assert saved.json()["fields"]["breaches"] == [ours]

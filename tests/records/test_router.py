"""Session records through HTTP (R-40 to R-45): drafts with idempotency keys and ETags,
the anonymisation check on submit, the lock, amendments with versions, the court PDF,
the overdue list and who may read what."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.core.audit import AuditEntry
from app.core.outbox import OutboxEvent
from app.records.models import IdempotencyKey, RecordVersion, SessionRecord
from tests.sessions.conftest import Scheduling
from tests.helpers import at

BOOKED_AT = "2026-11-30T09:00:00+00:00"
DURING = "2026-12-01T16:30:00+00:00"
AFTER = "2026-12-01T19:00:00+00:00"
LATE = "2026-12-02T18:00:00+00:00"


def counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            m.__tablename__: session.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (SessionRecord, RecordVersion, IdempotencyKey, AuditEntry, OutboxEvent)
        }


@pytest.fixture
def booked(client, auth):
    s = Scheduling(client, auth)
    with at(BOOKED_AT):
        venue = s.venue()
        room = s.room(venue)
        s.csw("csw-1")
        arrangement = s.arrangement(
            date_of_birth="2017-03-14", iro_sub="iro-9", address_withheld={"authorised_by": "tm-1", "reason": "Risk."}
        )
        mum, dad = arrangement["people"]
        r = s.book(
            arrangement_id=arrangement["id"], room_id=room["id"], csw_sub="csw-1",
            starts_at="2026-12-01T16:00:00Z", ends_at="2026-12-01T17:30:00Z", attendees=[mum["id"], dad["id"]],
        )
        assert r.status_code == 201, r.text
    return {"session": r.json(), "mum": mum, "dad": dad, "child": arrangement["child"]}


def csw(auth):
    return auth("csw-1", "contact_support_worker")


def body(booked, **change):
    b = {
        "went_ahead": True,
        "arrived_at": "2026-12-01T15:58:00Z",
        "left_at": "2026-12-01T17:29:00Z",
        "attendees": [booked["mum"]["id"]],
        "observations": "Amara ran to mum and hugged her. They played snakes and ladders.",
        "child_views": "Amara said she wants to see mum more often.",
        "parent_views": "Mum said it went well.",
    }
    b.update(change)
    return b


def put(client, auth, booked, key="key-00000001", when=DURING, if_match=None, **change):
    with at(when):
        headers = {**csw(auth), "Idempotency-Key": key}
        if if_match:
            headers["If-Match"] = if_match
        return client.put(f"/api/v1/sessions/{booked['session']['id']}/record", json=body(booked, **change), headers=headers)


def submit(client, auth, booked, if_match='"1"', when=AFTER):
    with at(when):
        return client.post(f"/api/v1/sessions/{booked['session']['id']}/record/submit", headers={**csw(auth), "If-Match": if_match})


class TestDrafts:
    def test_r43_first_save_creates_a_draft_with_an_etag(self, client, auth, engine, booked):
        response = put(client, auth, booked)
        assert response.status_code == 201, response.text
        assert response.headers["etag"] == '"1"'
        assert response.json()["status"] == "draft" and response.json()["version"] == 1
        assert response.json()["due_at"] == "2026-12-02T17:30:00Z"
        assert counts(engine)["session_record"] == 1

    def test_r43_replaying_the_same_key_returns_the_same_bytes_and_changes_nothing(self, client, auth, engine, booked):
        first = put(client, auth, booked)
        before = counts(engine)
        again = put(client, auth, booked)
        assert again.status_code == first.status_code == 201
        assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
        assert counts(engine) == before

    def test_r43_same_key_with_another_body_is_422(self, client, auth, engine, booked):
        put(client, auth, booked)
        before = counts(engine)
        other = put(client, auth, booked, observations="Something else entirely.")
        assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"
        assert counts(engine) == before

    def test_r43_update_needs_the_current_etag(self, client, auth, engine, booked):
        put(client, auth, booked)
        missing = put(client, auth, booked, key="key-00000002", observations="v2")
        assert missing.status_code == 428
        ok = put(client, auth, booked, key="key-00000003", if_match='"1"', observations="v2")
        assert ok.status_code == 200 and ok.headers["etag"] == '"2"'
        before = counts(engine)
        stale = put(client, auth, booked, key="key-00000004", if_match='"1"', observations="v3 from another tablet")
        assert stale.status_code == 412 and stale.json()["current_etag"] == '"2"'
        assert counts(engine) == before
        with at(DURING):
            assert client.get(f"/api/v1/sessions/{booked['session']['id']}/record", headers=csw(auth)).json()["fields"]["observations"] == "v2"

    @pytest.mark.parametrize(
        ("headers", "change", "field"),
        [
            ({}, {}, "Idempotency-Key"),
            ({"Idempotency-Key": "short"}, {}, "Idempotency-Key"),
            ({"Idempotency-Key": "key-00000009", "If-Match": "7"}, {}, "If-Match"),
            ({"Idempotency-Key": "key-00000009"}, {"observations": "x" * 20001}, "observations"),
            ({"Idempotency-Key": "key-00000009"}, {"not_ahead_reason": "bored"}, "not_ahead_reason"),
            ({"Idempotency-Key": "key-00000009"}, {"attendees": ["00000000-0000-0000-0000-000000000000"]}, "attendees.0"),
            ({"Idempotency-Key": "key-00000009"}, {"left_at": "2026-12-01T15:00:00Z"}, "left_at"),
        ],
    )
    def test_r43_bad_draft_is_422_naming_the_field_and_writes_nothing(self, client, auth, engine, booked, headers, change, field):
        if field == "If-Match":
            put(client, auth, booked, key="key-00000001")
        before = counts(engine)
        with at(DURING):
            response = client.put(
                f"/api/v1/sessions/{booked['session']['id']}/record", json=body(booked, **change), headers={**csw(auth), **headers}
            )
        assert response.status_code == 422, response.text
        assert field.lower() in [e["field"].lower() for e in response.json()["errors"]]
        assert counts(engine) == before

    @pytest.mark.parametrize(("sub", "role", "status"), [("csw-2", "contact_support_worker", 404), ("tl-1", "team_leader", 403), ("sw-1", "social_worker", 403)])
    def test_r40_only_the_sessions_csw_writes_the_record(self, client, auth, engine, booked, sub, role, status):
        with at(DURING):
            response = client.put(
                f"/api/v1/sessions/{booked['session']['id']}/record", json=body(booked), headers={**auth(sub, role), "Idempotency-Key": "key-00000001"}
            )
        assert response.status_code == status
        assert counts(engine)["session_record"] == 0

    def test_r40_a_cancelled_session_has_no_record(self, client, auth, engine, booked):
        with at(BOOKED_AT):
            client.post(f"/api/v1/sessions/{booked['session']['id']}/cancel", json={"reason": "Mum unwell.", "cancelled_by": "parent"}, headers=auth("tl-1", "team_leader"))
        assert put(client, auth, booked).status_code == 409


class TestSubmit:
    def test_r41_r44_submit_locks_the_record_and_tells_the_social_worker(self, client, auth, engine, booked):
        put(client, auth, booked)
        response = submit(client, auth, booked)
        assert response.status_code == 200, response.text
        record = response.json()
        assert record["status"] == "submitted" and record["late"] is False
        assert record["submitted_at"] == "2026-12-01T19:00:00Z"
        assert [v["number"] for v in record["versions"]] == [record["version"]] == [2]  # one sequence with the ETag
        assert response.headers["etag"] == '"2"'
        with at(AFTER):
            events = client.get("/api/v1/events", params={"type": "record.submitted"}, headers=auth("sm-1", "service_manager")).json()["items"]
            locked = put(client, auth, booked, key="key-00000005", when=AFTER, if_match=response.headers["etag"], observations="changed")
            sw = client.get(f"/api/v1/sessions/{booked['session']['id']}/record", headers=auth("sw-1", "social_worker"))
        assert [e["data"]["session_id"] for e in events] == [booked["session"]["id"]]
        assert "hugged" not in str(events)  # notes never travel on the outbox
        assert locked.status_code == 409
        assert sw.status_code == 200 and sw.json()["fields"]["child_views"].startswith("Amara said")

    def test_r41_a_record_after_24_hours_is_late(self, client, auth, booked):
        put(client, auth, booked)
        assert submit(client, auth, booked, when=LATE).json()["late"] is True

    def test_r42_submit_refuses_names_addresses_and_postcodes(self, client, auth, engine, booked):
        put(client, auth, booked, observations="Grace Okafor arrived from 12 Elm Road, NG5 6AB with Amara.")
        before = counts(engine)
        response = submit(client, auth, booked)
        assert response.status_code == 422
        kinds = {f["kind"] for f in response.json()["findings"]}
        assert {"name", "address", "postcode"} <= kinds
        assert counts(engine) == before

    def test_r42_check_endpoint_finds_without_saving(self, client, auth, engine, booked):
        with at(DURING):
            response = client.post(
                f"/api/v1/sessions/{booked['session']['id']}/record/check",
                json=body(booked, observations="Amara Okafor was happy."),
                headers=csw(auth),
            )
        assert response.status_code == 200
        [finding] = response.json()["findings"]
        assert (finding["field"], finding["text"], finding["kind"], finding["suggestion"]) == ("observations", "Amara Okafor", "name", "Amara")
        assert counts(engine)["session_record"] == 0

    def test_r41_a_session_that_has_not_ended_cannot_be_submitted(self, client, auth, booked):
        put(client, auth, booked)
        response = submit(client, auth, booked, when=DURING)
        assert response.status_code == 409 and response.json()["type"].endswith(":session-not-ended")

    def test_r40_went_ahead_is_required_to_submit_and_a_reason_if_not(self, client, auth, booked):
        put(client, auth, booked, went_ahead=None)
        assert submit(client, auth, booked).json()["errors"][0]["field"] == "went_ahead"
        put(client, auth, booked, key="key-00000002", if_match='"1"', went_ahead=False)
        assert submit(client, auth, booked, if_match='"2"').json()["errors"][0]["field"] == "not_ahead_reason"

    def test_r43_submit_needs_the_current_etag(self, client, auth, booked):
        put(client, auth, booked)
        assert submit(client, auth, booked, if_match='"9"').status_code == 412


class TestAmendments:
    def test_r44_amendments_make_versions_and_keep_every_earlier_one(self, client, auth, booked):
        put(client, auth, booked)
        submit(client, auth, booked)
        with at(LATE):
            first = client.post(
                f"/api/v1/sessions/{booked['session']['id']}/record/amendments",
                json={"reason": "Corrected when mum arrived.", "changes": {"arrived_at": "2026-12-01T16:05:00Z"}},
                headers={**csw(auth), "If-Match": '"2"'},
            )
            second = client.post(
                f"/api/v1/sessions/{booked['session']['id']}/record/amendments",
                json={"reason": "Added the dad's apology.", "changes": {"parent_views": "Dad sent an apology."}},
                headers={**auth("tl-1", "team_leader"), "If-Match": first.headers["etag"]},
            )
        assert first.status_code == second.status_code == 201, first.text
        versions = second.json()["versions"]
        assert [v["number"] for v in versions] == [2, 3, 4] and second.headers["etag"] == '"4"'
        assert versions[0]["fields"]["arrived_at"] == "2026-12-01T15:58:00Z"
        assert versions[1]["fields"]["arrived_at"] == "2026-12-01T16:05:00Z" and versions[1]["reason"] == "Corrected when mum arrived."
        assert versions[2]["author_sub"] == "tl-1" and versions[2]["author_role"] == "team_leader"
        assert second.json()["fields"]["parent_views"] == "Dad sent an apology."

    def test_r44_an_amendment_needs_a_reason_and_is_checked_too(self, client, auth, engine, booked):
        put(client, auth, booked)
        submit(client, auth, booked)
        url = f"/api/v1/sessions/{booked['session']['id']}/record/amendments"
        before = counts(engine)
        with at(LATE):
            no_reason = client.post(url, json={"changes": {"incidents": "none"}}, headers={**csw(auth), "If-Match": '"2"'})
            named = client.post(url, json={"reason": "x", "changes": {"incidents": "Sam Okafor shouted."}}, headers={**csw(auth), "If-Match": '"2"'})
        assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
        assert named.status_code == 422 and named.json()["findings"][0]["suggestion"] == "dad"
        assert counts(engine) == before

    def test_r44_a_draft_is_not_amended(self, client, auth, booked):
        put(client, auth, booked)
        with at(AFTER):
            r = client.post(f"/api/v1/sessions/{booked['session']['id']}/record/amendments", json={"reason": "x", "changes": {"incidents": "y"}}, headers=csw(auth))
        assert r.status_code == 409


class TestReading:
    @pytest.mark.parametrize(
        ("sub", "roles", "claims", "draft", "submitted"),
        [
            ("csw-1", ("contact_support_worker",), {}, 200, 200),
            ("tl-1", ("team_leader",), {}, 200, 200),
            ("sw-1", ("social_worker",), {}, 404, 200),
            ("fw", ("integration",), {"act_for": "sw-1"}, 404, 200),
            ("tm-1", ("team_manager",), {"team": "north-1"}, 404, 200),
            ("sm-1", ("service_manager",), {}, 404, 200),
            ("iro-9", ("iro",), {}, 404, 200),
            ("iro-8", ("iro",), {}, 404, 404),
            ("sw-2", ("social_worker",), {}, 404, 404),
            ("csw-2", ("contact_support_worker",), {}, 404, 404),
            ("da-1", ("data_analyst",), {}, 403, 403),
        ],
    )
    def test_r44_who_reads_a_record(self, client, auth, booked, sub, roles, claims, draft, submitted):
        put(client, auth, booked)
        url = f"/api/v1/sessions/{booked['session']['id']}/record"
        with at(AFTER):
            assert client.get(url, headers=auth(sub, *roles, **claims)).status_code == draft
        submit(client, auth, booked)
        with at(AFTER):
            assert client.get(url, headers=auth(sub, *roles, **claims)).status_code == submitted

    def test_r45_court_pdf_has_the_record_and_its_history_and_no_address(self, client, auth, booked):
        from pypdf import PdfReader

        put(client, auth, booked)
        submit(client, auth, booked)
        with at(LATE):
            client.post(
                f"/api/v1/sessions/{booked['session']['id']}/record/amendments",
                json={"reason": "Corrected when mum arrived.", "changes": {"arrived_at": "2026-12-01T16:05:00Z"}},
                headers={**csw(auth), "If-Match": '"2"'},
            )
            response = client.get(f"/api/v1/sessions/{booked['session']['id']}/record.pdf", headers=auth("sw-1", "social_worker"))
        assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        assert f"CSR-2026-{booked['session']['id'][:8].upper()}" in text
        assert "Corrected when mum arrived." in text and "Amara" in text
        assert "Elm Road" not in text and "NG5" not in text and "Okafor" not in text

    def test_r41_overdue_records_are_listed_for_team_leaders(self, client, auth, booked):
        with at(LATE):
            listed = client.get("/api/v1/records/overdue", headers=auth("tl-1", "team_leader")).json()["items"]
            denied = client.get("/api/v1/records/overdue", headers=auth("csw-1", "contact_support_worker"))
        assert [i["session_id"] for i in listed] == [booked["session"]["id"]]
        assert listed[0]["record_status"] is None and denied.status_code == 403
        put(client, auth, booked)
        submit(client, auth, booked, when=LATE)
        with at(LATE):
            assert client.get("/api/v1/records/overdue", headers=auth("tl-1", "team_leader")).json()["items"] == []


def test_r43_keys_are_kept_seven_days_then_purged(client, auth, engine, booked, settings, monkeypatch, capsys):
    from app import cli

    put(client, auth, booked)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    with at("2026-12-07T16:00:00+00:00"):
        assert cli.main(["purge-idempotency-keys"]) == 0  # six days old: kept
    with at("2026-12-08T16:31:00+00:00"):
        assert cli.main(["purge-idempotency-keys"]) == 0  # over seven days: gone
    assert "0 idempotency key(s)" in capsys.readouterr().out.splitlines()[0]
    assert counts(engine)["idempotency_key"] == 0 and counts(engine)["session_record"] == 1
    with pytest.raises(SystemExit):
        cli.main(["purge-idempotency-keys", "--days", "1"])

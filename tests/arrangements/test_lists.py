"""What hangs off an arrangement, listed for integrators (R-83, R-62): its sessions, its
session records (metadata only, never note text) and its transport requests, cursor-paged
by time, filtered by status and by local day, under each row's own access rule (R-06, R-08,
R-80): an arrangement the caller may not read is the same 404 as none."""

from __future__ import annotations

from functools import partial

import uuid

import pytest
from sqlalchemy import select
from sqlmodel import Session

from app.records.models import SessionRecord
from app.sessions.models import ContactSession
from app.transport.models import TransportRequest
from tests.conftest import child_body
from tests import helpers
from tests.helpers import at, sign_agreement, ids, paged_get, who
from tests.sessions.conftest import Scheduling

BOOKED_AT = "2027-03-01T09:00:00+00:00"  # a Monday, GMT
LATER = "2027-03-10T12:00:00+00:00"
SESSION_DAYS = ["2027-03-02", "2027-03-03", "2027-03-04", "2027-03-09"]
PICKUP = "12 Elm Road, Arnold, NG5 6AB"
NOTES = {
    "observations": "They played snakes and ladders at the window table.",
    "child_views": "Wants the next visit at the park.",
    "parent_views": "Said the visit went well.",
    "incidents": "A cup of juice was spilt.",
}
RECORD_KEYS = {
    "id", "session_id", "session_starts_at", "csw_sub", "status", "version", "went_ahead", "not_ahead_reason",
    "due_at", "submitted_at", "submitted_by", "late", "amendments", "updated_at",
}


def send(client, auth, when: str, method: str, url: str, sub: str, role: str, **kwargs):
    with at(when):
        headers = {**auth(sub, role, **({"team": "north-1"} if role == "social_worker" else {})), **kwargs.pop("headers", {})}
        response = client.request(method, url, headers=headers, **kwargs)
    assert response.status_code in (200, 201), (url, response.text)
    return response


@pytest.fixture
def arranged(client, auth):
    """Child A's arrangement (sw-1, team north-1, address withheld) with four sessions: S1
    (csw-1, its record submitted then amended once: completed), S2 (csw-2, a draft record
    saying it did not go ahead), S3 (csw-1, cancelled, so its transport too) and S4 (csw-1,
    booked); a transport request for each, asked on different days: T1 approved, T2
    declined, T3 cancelled with its session, T4 requested. Child B's arrangement (sw-2) has a
    session of its own."""
    s = Scheduling(client, auth)
    with at(BOOKED_AT):
        venue = s.venue()
        room = s.room(venue)
        s.csw("csw-1")
        s.csw("csw-2")
        arrangement = s.arrangement(key="A-1", team="north-1", address_withheld={"authorised_by": "tm-1", "reason": "Risk."})
        sessions = []
        for day, csw in zip(SESSION_DAYS, ("csw-1", "csw-2", "csw-1", "csw-1"), strict=True):
            booked = s.book(arrangement_id=arrangement["id"], room_id=room["id"], csw_sub=csw, starts_at=f"{day}T16:00:00Z", ends_at=f"{day}T17:30:00Z")
            assert booked.status_code == 201, booked.text
            sessions.append(booked.json()["id"])
    other = other_arrangement(client, auth, s, room)
    requests = []
    for session_id, when in zip(sessions, ("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z", "2027-03-01T12:00:00Z", "2027-03-02T09:00:00Z"), strict=True):
        body = {"session_id": session_id, "legs": ["to_venue"], "pickup_address": PICKUP, "reason": "Carer works.", "evidence": "Rota."}
        requests.append(send(client, auth, when, "POST", "/api/v1/transport-requests", "sw-1", "social_worker", json=body).json()["id"])
    decide = "/api/v1/transport-requests/{}/decision"
    send(client, auth, "2027-03-01T13:00:00Z", "POST", decide.format(requests[0]), "tl-1", "team_leader", json={"approve": True})
    send(client, auth, "2027-03-01T13:00:00Z", "POST", decide.format(requests[1]), "tl-1", "team_leader", json={"approve": False, "reason": "Carer free."})
    cancel = {"reason": "Unwell today.", "cancelled_by": "parent"}
    send(client, auth, "2027-03-02T10:00:00Z", "POST", f"/api/v1/sessions/{sessions[2]}/cancel", "tl-1", "team_leader", json=cancel)
    record = "/api/v1/sessions/{}/record"
    s1 = {"went_ahead": True, "arrived_at": "2027-03-02T15:58:00Z", "left_at": "2027-03-02T17:29:00Z", **NOTES}
    draft = send(client, auth, "2027-03-02T16:30:00Z", "PUT", record.format(sessions[0]), "csw-1", "contact_support_worker",
                 json=s1, headers={"Idempotency-Key": "lists-0001"})
    submitted = send(client, auth, "2027-03-02T19:00:00Z", "POST", record.format(sessions[0]) + "/submit", "csw-1", "contact_support_worker",
                     headers={"If-Match": draft.headers["etag"]})
    send(client, auth, "2027-03-03T10:00:00Z", "POST", record.format(sessions[0]) + "/amendments", "csw-1", "contact_support_worker",
         json={"reason": "Corrected the arrival time.", "changes": {"arrived_at": "2027-03-02T16:02:00Z"}}, headers={"If-Match": submitted.headers["etag"]})
    s2 = {"went_ahead": False, "not_ahead_reason": "parent_did_not_attend", **NOTES}
    send(client, auth, "2027-03-03T17:45:00Z", "PUT", record.format(sessions[1]), "csw-2", "contact_support_worker",
         json=s2, headers={"Idempotency-Key": "lists-0002"})
    return {"arrangement": arrangement, "sessions": sessions, "requests": requests, "other": other}


def other_arrangement(client, auth, s: Scheduling, room: dict) -> dict:
    """Child B, allocated to sw-2 of team south-3, with one session (csw-2)."""
    with at(BOOKED_AT):
        sw2 = auth("sw-2", "social_worker", team="south-3")
        child = client.put("/api/v1/children/framework/B-1", json=child_body(social_worker_sub="sw-2", team="south-3"), headers=s.tl()).json()
        mum = client.post(f"/api/v1/children/{child['id']}/people", json={"first_name": "Ada", "last_name": "Stone", "relationship": "mum"}, headers=sw2).json()
        referral = client.post("/api/v1/referrals", json=s.referrals.body(child, [mum]), headers=sw2).json()
        client.post(f"/api/v1/referrals/{referral['id']}/approval", headers=auth("tm-2", "team_manager", team="south-3"))
        client.post(f"/api/v1/referrals/{referral['id']}/submit", headers=sw2)
        arrangement_id = s.referrals.decide(referral, outcome="accepted_core").json()["arrangement_id"]
        sign_agreement(client, s.tl(), arrangement_id, [mum])
        booked = s.book(arrangement_id=arrangement_id, room_id=room["id"], csw_sub="csw-2", starts_at="2027-03-05T16:00:00Z", ends_at="2027-03-05T17:30:00Z")
        assert booked.status_code == 201, booked.text
    return {"id": arrangement_id, "session": booked.json()["id"]}


get = partial(paged_get, moment=LATER)
walk = partial(helpers.walk, moment=LATER)


def tl(auth):
    return who(auth, "tl-1", "team_leader")


def sw(auth):
    return who(auth, "sw-1", "social_worker", team="north-1")


def hidden_the_same(client, auth, arranged, what: str) -> None:
    """Unknown, another team's social worker, another source's system and a CSW with no
    session of it: one 404, the same body."""
    url = f"/api/v1/arrangements/{arranged['arrangement']['id']}/{what}"
    answers = [
        get(client, tl(auth), f"/api/v1/arrangements/{uuid.uuid4()}/{what}"),
        get(client, who(auth, "sw-2", "social_worker", team="south-3"), url),
        get(client, who(auth, "tm-2", "team_manager", team="south-3"), url),
        get(client, who(auth, "mosaic-prod", "integration"), url),
        get(client, who(auth, "csw-9", "contact_support_worker"), url),
    ]
    assert [a.status_code for a in answers] == [404] * len(answers)
    assert all(a.json() == answers[0].json() for a in answers)
    assert get(client, who(auth, "da-1", "data_analyst"), url).status_code == 403
    assert get(client, who(auth, "admin-1", "admin"), url).status_code == 403


BAD_FILTERS = [
    ({"status": "bogus"}, "status.0"),
    ({"status": ["booked", "bogus"]}, "status.1"),
    ({"from": "2027-02-30"}, "from"),
    ({"to": "2027-03-01T00:00:00Z"}, "to"),
    ({"from": "2027-03-04", "to": "2027-03-03"}, "to"),
    ({"from": "0001-01-01"}, "from"),
    ({"limit": 501}, "limit"),
    ({"cursor": "eyJhIjoxfQ"}, "cursor"),
]


class TestSessions:
    def url(self, arranged) -> str:
        return f"/api/v1/arrangements/{arranged['arrangement']['id']}/sessions"

    def test_r83_an_arrangements_sessions_come_earliest_first_as_each_reads_alone(self, client, auth, engine, arranged):
        response = get(client, tl(auth), self.url(arranged))
        assert ids(response) == arranged["sessions"]
        items = response.json()["items"]
        assert [i["status"] for i in items] == ["completed", "booked", "cancelled", "booked"]
        assert [i["starts_at"] for i in items] == [f"{day}T16:00:00Z" for day in SESSION_DAYS]
        assert response.json()["next_cursor"] is None
        with at(LATER):
            alone = client.get(f"/api/v1/sessions/{arranged['sessions'][2]}", headers=tl(auth)()).json()
        assert items[2] == alone and alone["cancel_reason"] == "Unwell today."
        assert arranged["other"]["session"] not in ids(response)
        with Session(engine) as session:
            stored = session.execute(
                select(ContactSession.id).where(ContactSession.arrangement_id == uuid.UUID(arranged["arrangement"]["id"])).order_by(ContactSession.starts_at)
            ).scalars().all()
        assert [str(i) for i in stored] == arranged["sessions"]

    @pytest.mark.parametrize("limit", [1, 3])
    def test_r83_r62_paging_with_a_small_limit_walks_every_session_once_in_order(self, client, auth, arranged, limit):
        seen, pages = walk(client, tl(auth), self.url(arranged), limit)
        assert seen == arranged["sessions"] and pages == -(-4 // limit)

    def test_r83_status_and_day_filters(self, client, auth, arranged):
        s1, s2, s3, s4 = arranged["sessions"]
        assert ids(get(client, tl(auth), self.url(arranged), status="cancelled")) == [s3]
        assert ids(get(client, tl(auth), self.url(arranged), status=["booked", "completed"])) == [s1, s2, s4]
        assert ids(get(client, tl(auth), self.url(arranged), **{"from": "2027-03-03", "to": "2027-03-04"})) == [s2, s3]
        assert ids(get(client, tl(auth), self.url(arranged), **{"from": "2027-03-05"})) == [s4]
        assert ids(get(client, tl(auth), self.url(arranged), to="2027-03-02")) == [s1]
        assert walk(client, tl(auth), self.url(arranged), 1, status="booked", **{"from": "2027-03-03"})[0] == [s2, s4]

    @pytest.mark.parametrize(("params", "field"), BAD_FILTERS)
    def test_r83_r70_a_bad_filter_is_a_422_naming_it(self, client, auth, arranged, params, field):
        response = get(client, tl(auth), self.url(arranged), **params)
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == [field]

    def test_r06_r83_a_csw_lists_only_the_sessions_allocated_to_them(self, client, auth, arranged):
        s1, s2, s3, s4 = arranged["sessions"]
        assert ids(get(client, who(auth, "csw-1", "contact_support_worker"), self.url(arranged))) == [s1, s3, s4]
        assert ids(get(client, who(auth, "csw-2", "contact_support_worker"), self.url(arranged))) == [s2]
        assert ids(get(client, sw(auth), self.url(arranged))) == arranged["sessions"]
        assert ids(get(client, who(auth, "fw", "integration"), self.url(arranged))) == arranged["sessions"]

    def test_r06_r80_r83_an_unknown_or_unreadable_arrangement_is_the_same_404(self, client, auth, arranged):
        hidden_the_same(client, auth, arranged, "sessions")


class TestRecords:
    def url(self, arranged) -> str:
        return f"/api/v1/arrangements/{arranged['arrangement']['id']}/records"

    def test_r83_records_are_listed_by_session_start_with_metadata_and_never_note_text(self, client, auth, engine, arranged):
        s1, s2 = arranged["sessions"][:2]
        response = get(client, tl(auth), self.url(arranged))
        assert response.status_code == 200, response.text
        first, second = response.json()["items"]
        assert [first["session_id"], second["session_id"]] == [s1, s2]
        assert set(first) == set(second) == RECORD_KEYS
        for text in NOTES.values():
            assert text not in response.text
        assert "Corrected the arrival time." not in response.text  # an amendment's reason is text too
        with at(LATER):
            full = client.get(f"/api/v1/sessions/{s1}/record", headers=tl(auth)())
        assert first["id"] == full.json()["id"] and f'"{first["version"]}"' == full.headers["etag"]
        assert first | {"version": 0} == {
            "id": full.json()["id"], "session_id": s1, "session_starts_at": "2027-03-02T16:00:00Z", "csw_sub": "csw-1",
            "status": "submitted", "version": 0, "went_ahead": True, "not_ahead_reason": None, "due_at": "2027-03-03T17:30:00Z",
            "submitted_at": "2027-03-02T19:00:00Z", "submitted_by": "csw-1", "late": False, "amendments": 1, "updated_at": "2027-03-03T10:00:00Z",
        }
        assert len(full.json()["versions"]) == 2  # the submitted version and the amendment
        assert second["status"] == "draft" and second["went_ahead"] is False and second["not_ahead_reason"] == "parent_did_not_attend"
        assert second["submitted_at"] is None and second["amendments"] == 0 and second["csw_sub"] == "csw-2"
        with Session(engine) as session:
            stored = session.execute(select(SessionRecord).where(SessionRecord.arrangement_id == uuid.UUID(arranged["arrangement"]["id"]))).scalars().all()
        assert sorted(str(r.id) for r in stored) == sorted([first["id"], second["id"]])
        assert all(r.fields["observations"] == NOTES["observations"] for r in stored)  # the text is there, and stays in

    def test_r06_r44_r83_a_draft_is_listed_only_to_its_csw_and_team_leaders(self, client, auth, arranged):
        s1, s2 = arranged["sessions"][:2]
        listed = lambda headers: [i["session_id"] for i in get(client, headers, self.url(arranged)).json()["items"]]  # noqa: E731
        assert listed(tl(auth)) == [s1, s2]
        assert listed(sw(auth)) == [s1]
        assert listed(who(auth, "tm-1", "team_manager", team="north-1")) == [s1]
        assert listed(who(auth, "sm-1", "service_manager")) == [s1]
        assert listed(who(auth, "fw", "integration")) == [s1]
        assert listed(who(auth, "csw-1", "contact_support_worker")) == [s1]
        assert listed(who(auth, "csw-2", "contact_support_worker")) == [s2]  # their own draft; not csw-1's record

    def test_r83_r62_paging_status_and_day_filters(self, client, auth, arranged):
        everything = ids(get(client, tl(auth), self.url(arranged)))
        seen, pages = walk(client, tl(auth), self.url(arranged), 1)
        assert seen == everything and pages == 2
        assert ids(get(client, tl(auth), self.url(arranged), status="draft")) == everything[1:]
        assert ids(get(client, tl(auth), self.url(arranged), status=["draft", "submitted"])) == everything
        assert ids(get(client, tl(auth), self.url(arranged), **{"from": "2027-03-03"})) == everything[1:]
        assert ids(get(client, tl(auth), self.url(arranged), to="2027-03-02")) == everything[:1]
        assert ids(get(client, tl(auth), self.url(arranged), **{"from": "2027-03-04"})) == []

    @pytest.mark.parametrize(("params", "field"), [({"status": "amended"}, "status.0"), *BAD_FILTERS[2:]])
    def test_r83_r70_a_bad_filter_is_a_422_naming_it(self, client, auth, arranged, params, field):
        response = get(client, tl(auth), self.url(arranged), **params)
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == [field]

    def test_r06_r80_r83_an_unknown_or_unreadable_arrangement_is_the_same_404(self, client, auth, arranged):
        hidden_the_same(client, auth, arranged, "records")


class TestTransport:
    def url(self, arranged) -> str:
        return f"/api/v1/arrangements/{arranged['arrangement']['id']}/transport-requests"

    def test_r83_transport_requests_come_oldest_first_as_each_reads_alone(self, client, auth, engine, arranged):
        response = get(client, sw(auth), self.url(arranged))
        assert ids(response) == arranged["requests"]
        items = response.json()["items"]
        assert [i["status"] for i in items] == ["approved", "declined", "cancelled", "requested"]
        assert [i["session_id"] for i in items] == arranged["sessions"]
        assert {i["pickup_address"] for i in items} == {PICKUP}  # the child's own social worker
        with at(LATER):
            alone = client.get(f"/api/v1/transport-requests/{arranged['requests'][1]}", headers=sw(auth)()).json()
        assert items[1] == alone
        with Session(engine) as session:
            cancelled = session.get(TransportRequest, uuid.UUID(arranged["requests"][2]))
            assert cancelled is not None and cancelled.status.value == "cancelled"  # with its session

    def test_r08_r83_a_withheld_pickup_address_stays_out_of_the_list(self, client, auth, arranged):
        for headers in (who(auth, "fw", "integration"), who(auth, "csw-1", "contact_support_worker"), who(auth, "tm-1", "team_manager", team="north-1")):
            response = get(client, headers, self.url(arranged))
            assert response.status_code == 200, response.text
            assert response.json()["items"] and all(i["pickup_address"] is None and i["address_withheld"] for i in response.json()["items"])
            assert "Elm Road" not in response.text
        assert {i["pickup_address"] for i in get(client, tl(auth), self.url(arranged)).json()["items"]} == {PICKUP}

    def test_r06_r83_a_csw_lists_the_requests_of_their_own_sessions(self, client, auth, arranged):
        t1, t2, t3, t4 = arranged["requests"]
        assert ids(get(client, who(auth, "csw-1", "contact_support_worker"), self.url(arranged))) == [t1, t3, t4]
        assert ids(get(client, who(auth, "csw-2", "contact_support_worker"), self.url(arranged))) == [t2]
        assert get(client, who(auth, "iro-1", "iro"), self.url(arranged)).status_code == 403

    def test_r83_r62_paging_status_and_day_filters(self, client, auth, arranged):
        t1, t2, t3, t4 = arranged["requests"]
        seen, pages = walk(client, tl(auth), self.url(arranged), 3)
        assert seen == arranged["requests"] and pages == 2
        assert ids(get(client, tl(auth), self.url(arranged), status="cancelled")) == [t3]
        assert ids(get(client, tl(auth), self.url(arranged), status=["approved", "declined"])) == [t1, t2]
        assert ids(get(client, tl(auth), self.url(arranged), **{"from": "2027-03-02"})) == [t4]
        assert ids(get(client, tl(auth), self.url(arranged), to="2027-03-01")) == [t1, t2, t3]
        assert walk(client, tl(auth), self.url(arranged), 1, status=["requested", "approved"], to="2027-03-02")[0] == [t1, t4]

    @pytest.mark.parametrize(("params", "field"), [({"status": "assigned"}, "status.0"), *BAD_FILTERS[2:]])
    def test_r83_r70_a_bad_filter_is_a_422_naming_it(self, client, auth, arranged, params, field):
        response = get(client, tl(auth), self.url(arranged), **params)
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == [field]

    def test_r06_r80_r83_an_unknown_or_unreadable_arrangement_is_the_same_404(self, client, auth, arranged):
        hidden_the_same(client, auth, arranged, "transport-requests")

"""Venue check-in through HTTP (R-30): visitors sign in and out of a session with the time
and whether their identity was checked; who may record and read it (R-06); every write
audited and on the outbox without a name (R-60, R-61, R-73); bad input is 422 naming the
field with nothing written (R-70).

The session is on Tuesday 1 December 2026, 16:00-17:30 (GMT), booked on the Monday before.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.core.audit import AuditEntry
from app.core.outbox import OutboxEvent
from app.visits.models import Visit
from tests.helpers import at

BOOKED_AT = "2026-11-30T09:00:00+00:00"
ARRIVAL = "2026-12-01T15:50:00+00:00"
EVENT_KEYS = {"visit_id", "session_id", "person_id", "signed_in_at", "signed_out_at"}


def counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            model.__tablename__: session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Visit, AuditEntry, OutboxEvent)
        }


@pytest.fixture
def contact(scheduling, setting) -> dict:
    """The session, with the child's mum and dad."""
    with at(BOOKED_AT):
        response = scheduling.book(
            arrangement_id=setting["arrangement"]["id"],
            room_id=setting["room"]["id"],
            csw_sub="csw-1",
            starts_at="2026-12-01T16:00:00Z",
            ends_at="2026-12-01T17:30:00Z",
        )
        assert response.status_code == 201, response.text
    mum, dad = setting["arrangement"]["people"]
    return {"session": response.json(), "mum": mum, "dad": dad}


def visits_url(contact: dict) -> str:
    return f"/api/v1/sessions/{contact['session']['id']}/visits"


def sign_in(client, contact, headers, **body):
    return client.post(visits_url(contact), json=body, headers=headers)


def sign_out(client, contact, visit_id, headers, **body):
    return client.post(f"{visits_url(contact)}/{visit_id}/sign-out", json=body or None, headers=headers)


def test_r30_csw_signs_a_parent_in_and_out(client, engine, scheduling, contact):
    with at(ARRIVAL):
        response = sign_in(client, contact, scheduling.csw_headers(), person_id=contact["mum"]["id"], identity_checked=True)
    assert response.status_code == 201, response.text
    visit = response.json()
    assert visit == {
        "id": visit["id"],
        "session_id": contact["session"]["id"],
        "person_id": contact["mum"]["id"],
        "visitor_name": None,
        "identity_checked": True,
        "signed_in_at": "2026-12-01T15:50:00Z",
        "signed_out_at": None,
        "recorded_by": "csw-1",
    }
    with at("2026-12-01T17:40:00+00:00"):
        out = sign_out(client, contact, visit["id"], scheduling.csw_headers())
    assert out.status_code == 200, out.text
    assert out.json()["signed_out_at"] == "2026-12-01T17:40:00Z"
    with Session(engine) as session:
        row = session.get(Visit, uuid.UUID(visit["id"]))
        assert row is not None
        assert (row.person_id, row.identity_checked, row.recorded_by) == (uuid.UUID(contact["mum"]["id"]), True, "csw-1")
        assert row.signed_in_at == datetime(2026, 12, 1, 15, 50, tzinfo=UTC)
        assert row.signed_out_at == datetime(2026, 12, 1, 17, 40, tzinfo=UTC)
        audit = session.execute(
            select(AuditEntry).where(AuditEntry.entity_type == "visit").order_by(AuditEntry.seq)
        ).scalars().all()
        events = session.execute(
            select(OutboxEvent).where(OutboxEvent.type.like("visit.%")).order_by(OutboxEvent.seq)
        ).scalars().all()
    assert [(a.action, a.subject, a.entity_id) for a in audit] == [
        ("visit.signed_in", "csw-1", visit["id"]), ("visit.signed_out", "csw-1", visit["id"]),
    ]
    assert audit[1].before["signed_out_at"] is None and audit[1].after["signed_out_at"] is not None
    assert [e.type for e in events] == ["visit.signed_in", "visit.signed_out"]
    assert events[1].subject_id == visit["id"]
    assert events[1].data == {
        "visit_id": visit["id"],
        "session_id": contact["session"]["id"],
        "person_id": contact["mum"]["id"],
        "signed_in_at": "2026-12-01T15:50:00Z",
        "signed_out_at": "2026-12-01T17:40:00Z",
    }


def test_r30_a_named_visitor_with_an_earlier_time_and_no_name_on_the_outbox(client, engine, scheduling, contact):
    with at(ARRIVAL):
        response = sign_in(
            client, contact, scheduling.tl(),
            visitor_name="Kasia Nowak (interpreter)", identity_checked=False, signed_in_at="2026-12-01T15:45:00+00:00",
        )
        out = sign_out(client, contact, response.json()["id"], scheduling.tl(), signed_out_at="2026-12-01T15:49:00Z")
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["visitor_name"], body["person_id"], body["identity_checked"]) == ("Kasia Nowak (interpreter)", None, False)
    assert body["signed_in_at"] == "2026-12-01T15:45:00Z" and body["recorded_by"] == "tl-1"
    assert out.status_code == 200 and out.json()["signed_out_at"] == "2026-12-01T15:49:00Z"
    with Session(engine) as session:
        events = session.execute(select(OutboxEvent).where(OutboxEvent.type.like("visit.%"))).scalars().all()
    assert len(events) == 2
    for event in events:
        assert set(event.data) == EVENT_KEYS
        assert "Kasia" not in json.dumps(event.data) and "Nowak" not in json.dumps(event.data)


def test_r30_a_second_sign_out_is_409_and_changes_nothing(client, engine, scheduling, contact):
    with at(ARRIVAL):
        visit = sign_in(client, contact, scheduling.csw_headers(), person_id=contact["dad"]["id"], identity_checked=True).json()
        first = sign_out(client, contact, visit["id"], scheduling.csw_headers())
        before = counts(engine)
    with at("2026-12-01T17:40:00+00:00"):
        second = sign_out(client, contact, visit["id"], scheduling.csw_headers())
    assert first.status_code == 200
    assert second.status_code == 409, second.text
    assert second.json()["type"].endswith("already-signed-out")
    assert counts(engine) == before
    with Session(engine) as session:
        assert session.get(Visit, uuid.UUID(visit["id"])).signed_out_at == datetime(2026, 12, 1, 15, 50, tzinfo=UTC)


def test_r30_a_person_signed_in_is_not_signed_in_again_until_they_leave(client, engine, scheduling, contact):
    with at(ARRIVAL):
        first = sign_in(client, contact, scheduling.csw_headers(), person_id=contact["mum"]["id"], identity_checked=True)
        again = sign_in(client, contact, scheduling.csw_headers(), person_id=contact["mum"]["id"], identity_checked=True)
        sign_out(client, contact, first.json()["id"], scheduling.csw_headers())
        back = sign_in(client, contact, scheduling.csw_headers(), person_id=contact["mum"]["id"], identity_checked=True)
    assert (first.status_code, again.status_code, back.status_code) == (201, 409, 201)
    assert again.json()["visit_id"] == first.json()["id"]
    assert counts(engine)["visit"] == 2


def test_r30_a_cancelled_session_takes_no_sign_in(client, engine, scheduling, contact):
    with at(BOOKED_AT):
        cancelled = client.post(
            f"/api/v1/sessions/{contact['session']['id']}/cancel",
            json={"reason": "Mum is unwell.", "cancelled_by": "parent"},
            headers=scheduling.tl(),
        )
        assert cancelled.status_code == 200, cancelled.text
    before = counts(engine)
    with at(ARRIVAL):
        response = sign_in(client, contact, scheduling.csw_headers(), person_id=contact["mum"]["id"], identity_checked=True)
    assert response.status_code == 409, response.text
    assert response.json()["current_state"] == "cancelled"
    assert counts(engine) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"visitor_name": "Kasia Nowak"}, "visitor_name"),  # both person_id and visitor_name
        ({"person_id": None}, "person_id"),  # neither
        ({"identity_checked": None}, "identity_checked"),
        ({"identity_checked": "yes"}, "identity_checked"),
        ({"identity_checked": 1}, "identity_checked"),
        ({"signed_in_at": "2026-12-01T15:51:00Z"}, "signed_in_at"),  # a minute in the future
        ({"signed_in_at": "2026-12-01T15:45:00"}, "signed_in_at"),  # no offset
        ({"signed_in_at": 1764604000}, "signed_in_at"),
        ({"person_id": "not-a-uuid"}, "person_id"),
        ({"person_id": str(uuid.uuid4())}, "person_id"),  # nobody in the network
        ({"recorded_by": "someone-else"}, "recorded_by"),
        ({"signed_out_at": "2026-12-01T15:45:00Z"}, "signed_out_at"),
    ],
)
def test_r30_r70_bad_sign_in_is_422_naming_the_field_and_writes_nothing(client, engine, scheduling, contact, change, field):
    body = {"person_id": contact["mum"]["id"], "identity_checked": True, **change}
    body = {key: value for key, value in body.items() if value is not None}
    before = counts(engine)
    with at(ARRIVAL):
        response = client.post(visits_url(contact), json=body, headers=scheduling.csw_headers())
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert counts(engine) == before


def test_r30_r09_a_person_from_another_childs_network_is_422(client, engine, scheduling, contact):
    _other_child, other_people = scheduling.referrals.child(key="999999", first_name="Ben")
    before = counts(engine)
    with at(ARRIVAL):
        response = sign_in(client, contact, scheduling.csw_headers(), person_id=other_people[0]["id"], identity_checked=True)
    assert response.status_code == 422
    assert response.json()["errors"][0] == {"field": "person_id", "location": "body", "message": "is not in this child's network"}
    assert counts(engine) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"signed_out_at": "2026-12-01T15:49:59Z"}, "signed_out_at"),  # before the sign-in
        ({"signed_out_at": "2026-12-01T18:00:00Z"}, "signed_out_at"),  # in the future
        ({"signed_out_at": "soon"}, "signed_out_at"),
        ({"visitor_name": "x"}, "visitor_name"),
    ],
)
def test_r30_r70_bad_sign_out_is_422_naming_the_field_and_writes_nothing(client, engine, scheduling, contact, body, field):
    with at(ARRIVAL):
        visit = sign_in(client, contact, scheduling.csw_headers(), person_id=contact["mum"]["id"], identity_checked=True).json()
    before = counts(engine)
    with at("2026-12-01T17:30:00+00:00"):
        response = sign_out(client, contact, visit["id"], scheduling.csw_headers(), **body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert counts(engine) == before
    with Session(engine) as session:
        assert session.get(Visit, uuid.UUID(visit["id"])).signed_out_at is None


def test_r30_sign_out_of_an_unknown_visit_or_one_of_another_session_is_404(client, scheduling, setting, contact):
    with at(BOOKED_AT):
        other = scheduling.book(
            arrangement_id=setting["arrangement"]["id"], room_id=setting["room"]["id"], csw_sub="csw-1",
            starts_at="2026-12-01T18:00:00Z", ends_at="2026-12-01T18:45:00Z",
        ).json()
    with at(ARRIVAL):
        visit = sign_in(client, contact, scheduling.csw_headers(), person_id=contact["mum"]["id"], identity_checked=True).json()
        unknown = sign_out(client, contact, uuid.uuid4(), scheduling.csw_headers())
        elsewhere = client.post(f"/api/v1/sessions/{other['id']}/visits/{visit['id']}/sign-out", headers=scheduling.csw_headers())
    assert (unknown.status_code, elsewhere.status_code) == (404, 404)


def test_r30_r62_visits_are_listed_by_sign_in_time_a_page_at_a_time(client, scheduling, contact):
    with at(ARRIVAL):
        late = sign_in(client, contact, scheduling.csw_headers(), person_id=contact["dad"]["id"], identity_checked=False)
        early = sign_in(
            client, contact, scheduling.csw_headers(), person_id=contact["mum"]["id"], identity_checked=True,
            signed_in_at="2026-12-01T15:40:00Z",
        )
        first = client.get(visits_url(contact), params={"limit": 1}, headers=scheduling.csw_headers())
        second = client.get(
            visits_url(contact), params={"limit": 1, "cursor": first.json()["next_cursor"]}, headers=scheduling.csw_headers()
        )
        bad = client.get(visits_url(contact), params={"cursor": "nonsense"}, headers=scheduling.csw_headers())
    assert first.status_code == 200, first.text
    assert [v["id"] for v in first.json()["items"]] == [early.json()["id"]]
    assert [v["id"] for v in second.json()["items"]] == [late.json()["id"]]
    assert second.json()["next_cursor"] is None
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"


@pytest.mark.parametrize(
    ("who", "write", "read"),
    [
        (("csw-1", "contact_support_worker"), 201, 200),  # the session's CSW
        (("tl-1", "team_leader"), 201, 200),
        (("csw-2", "contact_support_worker"), 404, 404),  # not their session: they may not know it exists
        (("sw-1", "social_worker"), 403, 200),  # the child's social worker reads, does not record
        (("sw-9", "social_worker"), 403, 404),
        (("sm-1", "service_manager"), 403, 200),
        (("da-1", "data_analyst"), 403, 403),
        (None, 401, 401),
    ],
)
def test_r30_r06_who_records_and_reads_visits(client, engine, auth, contact, who, write, read):
    before = counts(engine)
    with at(ARRIVAL):
        headers = auth(*who) if who else {}
        created = sign_in(client, contact, headers, person_id=contact["mum"]["id"], identity_checked=True)
        listed = client.get(visits_url(contact), headers=headers)
    assert created.status_code == write, created.text
    assert listed.status_code == read, listed.text
    if write != 201:
        assert counts(engine) == before
    if read == 200:
        assert len(listed.json()["items"]) == (1 if write == 201 else 0)


def test_r30_only_the_sessions_csw_or_a_team_leader_signs_out(client, auth, scheduling, contact):
    with at(ARRIVAL):
        visit = sign_in(client, contact, scheduling.csw_headers(), person_id=contact["mum"]["id"], identity_checked=True).json()
        social_worker = sign_out(client, contact, visit["id"], auth("sw-1", "social_worker"))
        other_csw = sign_out(client, contact, visit["id"], auth("csw-2", "contact_support_worker"))
        leader = sign_out(client, contact, visit["id"], auth("tl-1", "team_leader"))
    assert (social_worker.status_code, other_csw.status_code, leader.status_code) == (403, 404, 200)


def test_r30_unknown_session_is_404(client, scheduling, setting):
    with at(ARRIVAL):
        response = client.post(
            f"/api/v1/sessions/{uuid.uuid4()}/visits",
            json={"visitor_name": "Kasia Nowak", "identity_checked": True},
            headers=scheduling.tl(),
        )
    assert response.status_code == 404

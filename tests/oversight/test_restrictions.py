"""Restrictions and the s34 flag through HTTP (R-53, R-53a, R-54, R-54a): who may suspend,
restrict or terminate contact, what each does to the arrangement, the emergency one's
24 hours to tell the placing authority, and the court application a long suspension or a
termination of a child in proceedings needs."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app import cli
from app.children.models import LegalStatus
from app.core.audit import AuditEntry
from app.core.outbox import OutboxEvent
from app.oversight.models import Restriction, RestrictionKind
from app.oversight.rules import s34_application_due
from app.sessions.models import ContactSession
from tests.conftest import AUDIT_KEY
from tests.transport.conftest import at

SM = ("sm-1", "service_manager")
TL = ("tl-1", "team_leader")


def url(world, tail: str = "restrictions") -> str:
    return f"/api/v1/arrangements/{world['arrangement']['id']}/{tail}"


def restrict(client, auth, world, who=SM, **body):
    payload = {"kind": "suspend", "reason": "Concerns from the last session are being assessed.", "starts_on": "2026-11-30", **body}
    return client.post(url(world), json=payload, headers=auth(*who))


def arrangement(client, auth, world) -> dict:
    return client.get(f"/api/v1/arrangements/{world['arrangement']['id']}", headers=auth(*SM)).json()


def events(engine, kind: str) -> list[OutboxEvent]:
    with Session(engine) as session:
        return list(session.execute(select(OutboxEvent).where(OutboxEvent.type == kind).order_by(OutboxEvent.seq)).scalars())


def statuses(engine, world) -> set[str]:
    with Session(engine) as session:
        rows = session.execute(select(ContactSession.status).where(ContactSession.arrangement_id == uuid.UUID(world["arrangement"]["id"])))
        return {s.value for s in rows.scalars()}


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


class TestRestrictions:
    def test_r53_a_service_manager_suspends_holds_the_sessions_and_records_the_notices(self, client, auth, world, engine):
        notice = {"recipient": "mum", "sent_at": "2026-11-30T08:30:00Z", "method": "letter"}
        with at():
            made = restrict(client, auth, world, ends_on="2026-12-04", notices=[notice])
            read = arrangement(client, auth, world)
            listed = client.get(url(world), headers=auth(*SM))
        assert made.status_code == 201, made.text
        body = made.json()
        assert (body["kind"], body["authorised_by"], body["emergency"], body["placing_authority_notify_by"]) == ("suspend", "sm-1", False, None)
        assert body["notices"] == [notice]
        assert read["status"] == "suspended" and read["review_meeting_due_by"] is None  # no breach meeting
        assert statuses(engine, world) == {"on_hold"}
        assert [r["id"] for r in listed.json()["items"]] == [body["id"]]
        [restricted] = events(engine, "arrangement.restricted")
        assert restricted.data["kind"] == "suspend" and "reason" not in restricted.data
        [suspended] = events(engine, "arrangement.suspended")
        assert suspended.data["restriction_id"] == body["id"]

    def test_r53_a_team_leader_restricts_only_in_an_emergency_and_the_placing_authority_is_due_in_24_hours(self, client, auth, world, engine):
        with at():
            refused = restrict(client, auth, world, who=TL)
            made = restrict(client, auth, world, who=TL, emergency=True)
            flagged = arrangement(client, auth, world)["flags"]
        assert refused.status_code == 403 and refused.json()["errors"][0]["field"] == "emergency"
        assert made.status_code == 201, made.text
        assert made.json()["placing_authority_notify_by"] == "2026-12-01T09:00:00Z"  # 24 hours after
        assert "placing_authority_notification_due" in flagged
        with at("2026-11-30T15:00:00+00:00"):
            told = client.post(
                f"/api/v1/restrictions/{made.json()['id']}/notices",
                json={"recipient": "placing_authority", "sent_at": "2026-11-30T14:00:00Z", "method": "email"},
                headers=auth(*TL),
            )
            cleared = arrangement(client, auth, world)["flags"]
        assert told.status_code == 201, told.text
        assert told.json()["placing_authority_notified_at"] == "2026-11-30T14:00:00Z"
        assert "placing_authority_notification_due" not in cleared

    def test_r53a_restrict_records_what_changes_and_leaves_contact_running(self, client, auth, world, engine):
        changes = {"frequency": "fortnightly", "level": "supervised", "duration_minutes": 60}
        with at():
            made = restrict(client, auth, world, kind="restrict", changes=changes)
            read = arrangement(client, auth, world)
        assert made.status_code == 201, made.text
        assert made.json()["changes"] == changes
        assert read["status"] == "active" and "restricted" in read["flags"]
        assert statuses(engine, world) == {"booked"}

    def test_r53_r54a_terminating_contact_closes_the_arrangement_and_flags_the_s34_application(self, client, auth, world, engine):
        with at():
            made = restrict(client, auth, world, kind="terminate", reason="Contact is no longer safe.")
            read = arrangement(client, auth, world)
            more = restrict(client, auth, world, kind="restrict", changes={"frequency": "monthly"})
        assert made.status_code == 201, made.text
        assert read["status"] == "closed" and read["flags"] == ["s34_application_needed"]
        assert statuses(engine, world) == {"cancelled"}
        assert more.status_code == 409
        [flag] = events(engine, "s34.flagged")
        assert flag.data["arrangement_id"] == world["arrangement"]["id"]

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"reason": ""}, "reason"),
            ({"reason": None}, "reason"),
            ({"ends_on": "2026-11-29"}, "ends_on"),
            ({"starts_on": "2026-12-02"}, "starts_on"),
            ({"kind": "restrict"}, "changes"),
            ({"kind": "restrict", "changes": {}}, "changes"),
            ({"changes": {"frequency": "weekly"}}, "changes"),
            ({"notices": [{"recipient": "mum", "sent_at": "2026-12-25T10:00:00Z", "method": "letter"}]}, "notices.0.sent_at"),
            ({"kind": "ban"}, "kind"),
        ],
    )
    def test_r53a_a_bad_restriction_is_422_naming_the_field_and_writes_nothing(self, client, auth, world, engine, body, field):
        before = (count(engine, Restriction), count(engine, AuditEntry), count(engine, OutboxEvent))
        with at():
            response = restrict(client, auth, world, **body)
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == [field]
        assert (count(engine, Restriction), count(engine, AuditEntry), count(engine, OutboxEvent)) == before
        assert statuses(engine, world) == {"booked"}


class TestS34:
    def test_r54a_a_suspension_set_to_last_over_7_days_is_flagged_at_once_and_7_days_is_not(self, client, auth, world, scheduling, engine):
        with at():
            long = restrict(client, auth, world, ends_on="2026-12-08")  # 8 days
            other = scheduling.arrangement(key="s34-short")
            short = client.post(
                f"/api/v1/arrangements/{other['id']}/restrictions",
                json={"kind": "suspend", "reason": "Assessment.", "starts_on": "2026-11-30", "ends_on": "2026-12-07"},
                headers=auth(*SM),
            )
            flags = arrangement(client, auth, world)["flags"]
            short_flags = client.get(f"/api/v1/arrangements/{other['id']}", headers=auth(*SM)).json()["flags"]
        assert long.status_code == 201 and short.status_code == 201
        assert "s34_application_needed" in flags and "s34_application_needed" not in short_flags

    def test_r54a_a_child_not_in_proceedings_nor_on_an_order_needs_no_application(self, client, auth, scheduling, world):
        with at():
            other = scheduling.arrangement(
                key="s34-s20", legal_status="s20_accommodated", court_arena=False,
                decision_reason="Significant risk of abduction; no alternative.",
            )
            made = client.post(
                f"/api/v1/arrangements/{other['id']}/restrictions",
                json={"kind": "terminate", "reason": "The child asked to stop.", "starts_on": "2026-11-30"},
                headers=auth(*SM),
            )
            flags = client.get(f"/api/v1/arrangements/{other['id']}", headers=auth(*SM)).json()["flags"]
        assert made.status_code == 201 and flags == []

    def test_r54a_the_sweep_flags_an_open_suspension_once_it_has_lasted_over_7_days(self, client, auth, world, engine, settings, monkeypatch, capsys):
        with at():
            breach = client.post(
                url(world, "breaches"), json={"severity": "serious", "description": "Tried to leave with the child."}, headers=auth(*TL)
            )
        assert breach.json()["status"] == "suspended"
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
        monkeypatch.setenv("AUDIT_KEY", AUDIT_KEY)
        outputs = []
        for day in ("2026-12-07T12:00:00+00:00", "2026-12-08T12:00:00+00:00", "2026-12-09T12:00:00+00:00"):
            with at(day):
                assert cli.main(["s34-sweep"]) == 0
            outputs.append(capsys.readouterr().out.strip())
        assert outputs == [f"{n} arrangement(s) flagged: s34 application needed" for n in (0, 1, 0)]
        [flag] = events(engine, "s34.flagged")
        assert flag.data["arrangement_id"] == world["arrangement"]["id"]
        with Session(engine) as session:
            entry = session.execute(select(AuditEntry).where(AuditEntry.action == "arrangement.s34_flagged")).scalar_one()
        assert entry.subject == "system:s34-sweep"

    def test_r54a_recording_the_application_clears_the_flag(self, client, auth, world, engine):
        with at():
            sw = auth("sw-1", "social_worker", team="north-1")
            restrict(client, auth, world, kind="terminate", reason="Contact is no longer safe.")
            future = client.post(url(world, "s34-application"), json={"applied_on": "2026-12-02", "court_reference": "NG26C00123"}, headers=sw)
            recorded = client.post(url(world, "s34-application"), json={"applied_on": "2026-11-30", "court_reference": "NG26C00123"}, headers=sw)
            tm = client.post(url(world, "s34-application"), json={"applied_on": "2026-11-30", "court_reference": "X"}, headers=auth("tl-1", "team_leader"))
        assert future.status_code == 422 and future.json()["errors"][0]["field"] == "applied_on"
        assert recorded.status_code == 200, recorded.text
        body = recorded.json()
        assert body["flags"] == [] and (body["s34_applied_on"], body["s34_court_reference"]) == ("2026-11-30", "NG26C00123")
        assert tm.status_code == 403
        assert len(events(engine, "s34.applied")) == 1


@pytest.mark.parametrize(
    ("legal_status", "court_arena", "kind", "starts", "ends", "today", "due"),
    [
        (LegalStatus.interim_care_order, False, RestrictionKind.terminate, "2026-12-01", None, "2026-12-01", True),
        (LegalStatus.care_order, False, RestrictionKind.suspend, "2026-12-01", "2026-12-09", "2026-12-01", True),  # set to last 8 days
        (LegalStatus.care_order, False, RestrictionKind.suspend, "2026-12-01", "2026-12-08", "2026-12-20", False),  # lasted 7
        (LegalStatus.care_order, False, RestrictionKind.suspend, "2026-12-01", None, "2026-12-08", False),  # 7 days so far
        (LegalStatus.care_order, False, RestrictionKind.suspend, "2026-12-01", None, "2026-12-09", True),  # 8 days so far
        (LegalStatus.s20_accommodated, True, RestrictionKind.terminate, "2026-12-01", None, "2026-12-01", True),  # in proceedings
        (LegalStatus.s20_accommodated, False, RestrictionKind.terminate, "2026-12-01", None, "2026-12-01", False),
        (LegalStatus.placement_order, False, RestrictionKind.suspend, "2026-12-01", None, "2027-01-01", False),
        (LegalStatus.care_order, False, RestrictionKind.restrict, "2026-12-01", None, "2027-01-01", False),
    ],
)
def test_r54a_the_s34_rule(legal_status, court_arena, kind, starts, ends, today, due):
    assert s34_application_due(
        legal_status=legal_status, court_arena=court_arena, kind=kind, starts_on=date.fromisoformat(starts),
        ends_on=date.fromisoformat(ends) if ends else None, today=date.fromisoformat(today),
    ) is due


def test_r54a_the_managers_list_of_flags_shows_each_flagged_arrangement_and_filters(client, auth, world, scheduling):
    with at():
        restrict(client, auth, world, kind="terminate", reason="Contact is no longer safe.")
        emergency = scheduling.arrangement(key="flags-emergency")
        client.post(f"/api/v1/arrangements/{emergency['id']}/restrictions", headers=auth(*TL), json={
            "kind": "restrict", "reason": "Fewer sessions.", "starts_on": "2026-11-30", "changes": {"frequency": "monthly"}, "emergency": True,
        })
        scheduling.arrangement(key="flags-none")
        sm = auth(*SM)
        everything = client.get("/api/v1/flags", headers=sm).json()["items"]
        s34 = client.get("/api/v1/flags", params={"flag": "s34_application_needed"}, headers=sm).json()["items"]
        south = client.get("/api/v1/flags", params={"area": "south"}, headers=sm).json()["items"]
        refused = client.get("/api/v1/flags", headers=auth("sw-1", "social_worker", team="north-1"))
        bad = client.get("/api/v1/flags", params={"flag": "unhappy"}, headers=sm)
    assert {i["arrangement_id"]: i["flags"] for i in everything} == {
        world["arrangement"]["id"]: ["s34_application_needed"],
        emergency["id"]: ["placing_authority_notification_due", "restricted"],
    }
    assert [i["arrangement_id"] for i in s34] == [world["arrangement"]["id"]] and s34[0]["status"] == "closed"
    assert south == []
    assert refused.status_code == 403
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "flag"


def test_r53a_a_later_notice_sent_in_the_future_is_422_naming_sent_at(client, auth, world):
    with at():
        made = restrict(client, auth, world, kind="restrict", changes={"frequency": "monthly"})
        response = client.post(
            f"/api/v1/restrictions/{made.json()['id']}/notices",
            json={"recipient": "mum", "sent_at": "2026-12-25T10:00:00Z", "method": "letter"}, headers=auth(*SM),
        )
        read = client.get(url(world), headers=auth(*SM)).json()["items"][0]
    assert response.status_code == 422 and [e["field"] for e in response.json()["errors"]] == ["sent_at"]
    assert read["notices"] == []

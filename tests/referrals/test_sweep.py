"""Missed deadlines of open referrals reach subscribers once (R-16, R-60)."""

from __future__ import annotations


from app import cli
from tests.helpers import at


def feed(client, auth, event_type: str) -> list[dict]:
    response = client.get("/api/v1/events", params={"type": event_type}, headers=auth("sm-1", "service_manager"))
    return response.json()["items"]


def submitted(client, referrals, key: str) -> dict:
    child, people = referrals.child(key=key)
    draft = referrals.draft(child, people)
    client.post(f"/api/v1/referrals/{draft['id']}/approval", headers=referrals.tm())
    return client.post(f"/api/v1/referrals/{draft['id']}/submit", headers=referrals.sw()).json()


def test_r16_r60_sweep_announces_each_missed_deadline_once(client, auth, referrals, settings, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    with at("2026-11-23T09:30:00+00:00"):
        child, people = referrals.child(key="urgent")
        urgent = referrals.draft(child, people, urgent={"called_at": "2026-11-23T09:00:00Z", "caller": "sw-1"})
        client.post(f"/api/v1/referrals/{urgent['id']}/approval", headers=referrals.tm())
        client.post(f"/api/v1/referrals/{urgent['id']}/submit", headers=referrals.sw())
        plain = submitted(client, referrals, "plain")
        decided = submitted(client, referrals, "decided")
    with at("2026-11-23T10:00:00+00:00"):
        assert referrals.decide(decided, outcome="accepted_core").status_code == 200
    with at("2026-11-24T08:00:00+00:00"):
        assert cli.main(["sweep-deadlines"]) == 0  # nothing is due yet
    with at("2026-11-24T09:00:01+00:00"):
        assert cli.main(["sweep-deadlines"]) == 0
        assert cli.main(["sweep-deadlines"]) == 0  # a second run adds nothing
        [triage] = feed(client, auth, "referral.triage_overdue")
    assert triage["subject_id"] == urgent["id"]
    assert triage["data"]["due_at"] == "2026-11-24T09:00:00Z"
    with at("2026-12-01T00:00:00+00:00"):
        assert cli.main(["sweep-deadlines"]) == 0
        overdue = feed(client, auth, "referral.decision_overdue")
    assert sorted(e["subject_id"] for e in overdue) == sorted([urgent["id"], plain["id"]])
    assert decided["id"] not in {e["subject_id"] for e in overdue}
    assert "Amara" not in str(overdue)
    out = capsys.readouterr().out
    assert "0 missed deadline(s)" in out and "1 missed deadline(s)" in out and "2 missed deadline(s)" in out

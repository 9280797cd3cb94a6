"""Audit log and outbox (R-60, R-61): written with the change in one transaction, the
chain tamper-evident and intact under concurrent writers, the feed cursor-paged."""

from __future__ import annotations

import hashlib
import re
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select, text
from sqlmodel import Session

from app import cli
from app.children.models import Child
from app.core.audit import (
    AuditCheckpoint,
    AuditEntry,
    _hashed_fields,
    checkpoint_mac,
    entry_hash,
    hash_halves,
    verify_chain,
    verify_checkpoints,
)
from app.core.outbox import OutboxEvent
from app.core.publish import AUDIT_COLUMNS, EVENT_COLUMNS
from tests.conftest import AUDIT_KEY, child_body
from tests.helpers import at

SW = ("sw-1", "social_worker")
VERSIONS = Path(__file__).parents[2] / "migrations" / "versions"


def latest_publish_function() -> str:
    """The `FUNCTION` text of the newest migration that (re)defines `audit_publish`."""
    found = {}
    for path in VERSIONS.glob("*.py"):
        text = path.read_text()
        match = re.search(r'^FUNCTION = """(.*?)"""', text, flags=re.S | re.M)
        if match and "FUNCTION audit_publish" in match[1]:
            found[re.search(r"^revision: str = '(\d+)'", text, flags=re.M)[1]] = match[1]
    return found[max(found)]


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def put_child(client, auth, key="1", **overrides):
    return client.put(f"/api/v1/children/framework/{key}", json=child_body(**overrides), headers=auth(*SW))


class TestSameTransaction:
    def test_r60_r61_write_appends_audit_and_event_with_the_change(self, client, auth, engine):
        created = put_child(client, auth).json()
        with Session(engine) as session:
            entry = session.execute(select(AuditEntry)).scalar_one()
            outbox = session.execute(select(OutboxEvent)).scalar_one()
        assert (entry.subject, entry.role, entry.action) == ("sw-1", "social_worker", "child.created")
        assert (entry.entity_type, entry.entity_id) == ("child", created["id"])
        assert entry.before is None and entry.after["first_name"] == "Amara"
        assert entry.request_id and len(entry.hash) == 64 and entry.prev_hash == "0" * 64
        assert outbox.type == "child.created" and outbox.subject_id == created["id"]
        assert outbox.data == {"child_id": created["id"], "source": "framework", "external_id": "1"}

    def test_r61_update_records_before_and_after(self, client, auth, engine):
        put_child(client, auth)
        put_child(client, auth, area="south")
        with Session(engine) as session:
            entries = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
        assert [e.action for e in entries] == ["child.created", "child.updated"]
        assert entries[1].before["area"] == "north" and entries[1].after["area"] == "south"
        assert entries[1].prev_hash == entries[0].hash

    def test_r60_r61_failed_commit_leaves_no_change_no_audit_no_event(self, client, auth, engine):
        def refuse(session):  # the database refusing the commit, after every flush succeeded
            raise RuntimeError("commit refused")

        event.listen(Session, "before_commit", refuse)
        try:
            response = put_child(client, auth)
        finally:
            event.remove(Session, "before_commit", refuse)
        assert response.status_code == 500
        assert response.headers["content-type"] == "application/problem+json"
        assert count(engine, Child) == 0
        assert count(engine, AuditEntry) == 0
        assert count(engine, OutboxEvent) == 0
        assert put_child(client, auth).status_code == 201  # and the service carries on

    def test_r70_refused_write_leaves_no_audit_and_no_event(self, client, auth, engine):
        put_child(client, auth)
        response = client.put("/api/v1/children/framework/1", json=child_body(), headers={**auth(*SW), "If-Match": '"7"'})
        assert response.status_code == 412
        assert count(engine, AuditEntry) == 1 and count(engine, OutboxEvent) == 1


class TestChain:
    def test_r61_verify_audit_command_passes_an_intact_chain(self, client, auth, settings, monkeypatch, capsys):
        for key in ("1", "2", "3"):
            put_child(client, auth, key=key)
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
        assert cli.main(["verify-audit"]) == 0
        assert "intact: 3 entries" in capsys.readouterr().out

    def test_r61_edited_entry_breaks_the_chain_at_that_entry(self, client, auth, engine, settings, monkeypatch, capsys):
        for key in ("1", "2", "3"):
            put_child(client, auth, key=key)
        with engine.begin() as connection:
            seqs = connection.execute(text("SELECT seq FROM audit_log ORDER BY seq")).scalars().all()
            connection.execute(text("UPDATE audit_log SET subject = 'someone-else' WHERE seq = :seq"), {"seq": seqs[1]})
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
        assert cli.main(["verify-audit"]) == 1
        assert f"broken at entry {seqs[1]}" in capsys.readouterr().err

    def test_r61_deleted_entry_breaks_the_chain(self, client, auth, engine):
        for key in ("1", "2", "3"):
            put_child(client, auth, key=key)
        with engine.begin() as connection:
            first = connection.execute(text("SELECT min(seq) FROM audit_log")).scalar_one()
            connection.execute(text("DELETE FROM audit_log WHERE seq = :seq"), {"seq": first})
        with Session(engine) as session:
            checked, broken = verify_chain(session)
        assert checked == 0 and broken is not None

    def test_r61_reordered_entries_break_the_chain(self, client, auth, engine):
        """Two entries swapped in the log's order, each left intact."""
        for key in ("1", "2", "3"):
            put_child(client, auth, key=key)
        with engine.begin() as connection:
            first, second = connection.execute(text("SELECT seq FROM audit_log ORDER BY seq LIMIT 2")).scalars().all()
            for old, new in ((first, -1), (second, first), (-1, second)):
                connection.execute(text("UPDATE audit_log SET seq = :new WHERE seq = :old"), {"old": old, "new": new})
        with Session(engine) as session:
            checked, broken = verify_chain(session)
        assert (checked, broken) == (0, first)

    def test_r61_concurrent_writers_keep_one_unbroken_chain(self, app, auth, engine):
        statuses: list[int] = []
        lock = threading.Lock()

        def writer(n: int) -> None:
            with TestClient(app) as own_client:
                for i in range(4):
                    r = own_client.put(f"/api/v1/children/framework/{n}-{i}", json=child_body(), headers=auth(*SW))
                    with lock:
                        statuses.append(r.status_code)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == [201] * 24
        with Session(engine) as session:
            assert verify_chain(session) == (24, None)

    def test_r07_concurrent_upserts_of_one_new_key_make_one_child(self, app, auth, engine):
        statuses: list[int] = []
        barrier = threading.Barrier(8)

        def writer() -> None:
            with TestClient(app) as own_client:
                barrier.wait()
                r = own_client.put("/api/v1/children/framework/same", json=child_body(), headers=auth(*SW))
                statuses.append(r.status_code)

        threads = [threading.Thread(target=writer) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(statuses) == [200] * 7 + [201]
        assert count(engine, Child) == 1
        assert count(engine, OutboxEvent) == 1


    def test_r61_an_entry_with_quotes_escapes_and_accents_verifies(self, client, auth, engine):
        # On PostgreSQL the database links the chain (migration 0008) from the JSON text around
        # the previous hash; `verify_chain` recomputes every hash in Python.
        # A name is one line (issue 17): the line break and tab travel in the address instead.
        put_child(client, auth, first_name='Zoë "Jo" O\'Brien\\', last_name="Ng\u00e9 </x>", placement_address="12 Elm Road\n\tArnold")
        put_child(client, auth, key="2", first_name="Ã")
        with Session(engine) as session:
            assert verify_chain(session) == (2, None)

    @pytest.mark.parametrize(
        "fields",
        [
            {"subject": 'a"b\\c', "after": {"name": "Zoë", "n": [1, None, True]}, "before": None},
            {"subject": "\u2028", "after": None, "before": {"prev": "x", "zz": "\u00e9"}},
        ],
    )
    def test_r61_the_text_either_side_of_prev_hashes_to_the_entry_hash(self, fields):
        entry = AuditEntry(
            at=datetime(2026, 12, 1, 9, 30, 0, 123456, tzinfo=UTC), role="social_worker", act_for=None,
            action="child.updated", entity_type="child", entity_id="c-1", request_id="r-1",
            prev_hash="", hash="", **fields,
        )
        prev = "ab" * 32
        head, tail = hash_halves(entry)
        assert hashlib.sha256((head + prev + tail).encode()).hexdigest() == entry_hash(prev, _hashed_fields(entry))

    def test_r60_the_publish_function_inserts_every_column(self):
        # A column added to either table must be added to the function too (0008, then 0013).
        lists = re.findall(r"INSERT INTO (\w+) \(([^)]*)\)", latest_publish_function())
        inserted = {table: tuple(c.strip() for c in columns.split(",")) for table, columns in lists}
        assert inserted == {"audit_log": AUDIT_COLUMNS, "outbox_event": EVENT_COLUMNS}


class TestAuditEndpoint:
    def test_r61_service_manager_reads_the_audit_log(self, client, auth):
        created = put_child(client, auth).json()
        response = client.get("/api/v1/audit", params={"entity_id": created["id"]}, headers=auth("sm-1", "service_manager"))
        assert response.status_code == 200
        [entry] = response.json()["items"]
        assert entry["action"] == "child.created" and entry["subject"] == "sw-1"

    @pytest.mark.parametrize("role", ["team_leader", "social_worker", "integration", "data_analyst", "admin"])
    def test_r61_only_service_managers_read_the_audit_log(self, client, auth, role):
        response = client.get("/api/v1/audit", headers=auth("u-1", role, act_for="sw-1"))
        assert response.status_code == 403


class TestFeed:
    def test_r60_feed_is_oldest_first_and_resumes_from_its_cursor(self, client, auth):
        for key in ("1", "2", "3"):
            put_child(client, auth, key=key)
        headers = auth("fw", "integration", act_for="sw-1")
        first = client.get("/api/v1/events", params={"limit": 2}, headers=headers).json()
        assert [e["data"]["external_id"] for e in first["items"]] == ["1", "2"]
        assert {"id", "type", "occurred_at", "subject_id", "data"} <= set(first["items"][0])
        rest = client.get("/api/v1/events", params={"after": first["next_cursor"]}, headers=headers).json()
        assert [e["data"]["external_id"] for e in rest["items"]] == ["3"]
        assert rest["next_cursor"]  # a poller resumes from the end, not from the start
        empty = client.get("/api/v1/events", params={"after": rest["next_cursor"]}, headers=headers).json()
        assert empty == {"items": [], "next_cursor": rest["next_cursor"]}
        put_child(client, auth, key="4")
        newer = client.get("/api/v1/events", params={"after": rest["next_cursor"]}, headers=headers).json()
        assert [e["data"]["external_id"] for e in newer["items"]] == ["4"]

    def test_r60_feed_filters_by_type(self, client, auth):
        put_child(client, auth)
        put_child(client, auth, area="south")
        response = client.get("/api/v1/events", params={"type": "child.updated"}, headers=auth("sm-1", "service_manager"))
        assert [e["type"] for e in response.json()["items"]] == ["child.updated"]

    @pytest.mark.parametrize("role", ["social_worker", "team_leader", "contact_support_worker", "data_analyst", "admin"])
    def test_r60_feed_is_for_integration_and_service_managers_only(self, client, auth, role):
        response = client.get("/api/v1/events", headers=auth("u-1", role))
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/problem+json"

    @pytest.mark.parametrize(("params", "field"), [({"after": "garbage!"}, "after"), ({"limit": 100000}, "limit")])
    def test_r62_bad_feed_parameters_are_422(self, client, auth, params, field):
        response = client.get("/api/v1/events", params=params, headers=auth("sm-1", "service_manager"))
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == field


class TestCheckpoints:
    """R-61: the chain's head is checkpointed and signed, so a cut or re-chained tail is found."""

    def write_then_checkpoint(self, client, auth) -> None:
        with at("2026-12-01T09:00:00+00:00"):
            for key in ("1", "2", "3"):
                put_child(client, auth, key=key)
        with at("2026-12-01T09:01:30+00:00"):  # a minute on: this write's commit checkpoints the head
            for key in ("4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14"):
                put_child(client, auth, key=key)

    def test_r61_a_minute_on_the_head_is_checkpointed_signed_and_on_the_outbox(self, client, auth, engine):
        self.write_then_checkpoint(client, auth)
        with Session(engine) as session:
            points = session.execute(select(AuditCheckpoint)).scalars().all()
            head = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
            first_after = session.execute(select(AuditEntry).order_by(AuditEntry.seq).offset(3).limit(1)).scalar_one()
            events = session.execute(select(OutboxEvent).where(OutboxEvent.type == "audit.checkpointed")).scalars().all()
        assert [(p.seq, p.hash) for p in points] == [(first_after.seq, first_after.hash)]
        assert points[0].mac == checkpoint_mac(AUDIT_KEY, points[0].seq, points[0].hash, points[0].at)
        assert [e.data["seq"] for e in events] == [points[0].seq] and events[0].data["mac"] == points[0].mac
        assert head.seq > points[0].seq

    def test_r61_verify_audit_reports_a_truncated_tail(self, client, auth, engine, settings, monkeypatch, capsys):
        self.write_then_checkpoint(client, auth)
        with engine.begin() as connection:
            last = connection.execute(text("SELECT max(seq) FROM audit_log")).scalar_one()
            connection.execute(text("DELETE FROM audit_log WHERE seq > :cut"), {"cut": last - 11})
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
        monkeypatch.setenv("AUDIT_KEY", AUDIT_KEY)
        assert cli.main(["verify-audit"]) == 1
        assert "truncated" in capsys.readouterr().err

    def test_r61_verify_audit_reports_a_rewritten_and_rechained_tail(self, client, auth, engine, settings, monkeypatch, capsys):
        self.write_then_checkpoint(client, auth)
        with Session(engine) as session:  # anyone can re-chain: edit an entry and recompute every hash after it
            entries = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
            entries[3].subject = "someone-else"  # the checkpointed entry
            prev = entries[2].hash
            for entry in entries[3:]:
                entry.prev_hash = prev
                entry.hash = prev = entry_hash(prev, _hashed_fields(entry))
            session.commit()
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
        monkeypatch.setenv("AUDIT_KEY", AUDIT_KEY)
        assert cli.main(["verify-audit"]) == 1
        assert "rewritten" in capsys.readouterr().err

    def test_r61_a_forged_checkpoint_fails_its_signature(self, client, auth, engine):
        self.write_then_checkpoint(client, auth)
        with engine.begin() as connection:
            connection.execute(text("UPDATE audit_checkpoint SET mac = :mac"), {"mac": "0" * 64})
        with Session(engine) as session:
            assert verify_checkpoints(session, AUDIT_KEY)[0].endswith("is not signed by AUDIT_KEY")

"""The worker as real processes (R-60, R-84, R-85): killed with SIGKILL mid-batch and
restarted, nothing committed is lost; two at once never send the same delivery together and
run each job once per period; SIGTERM finishes what is in hand; and `serve` delivers with no
second command."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlmodel import Session

from app.core import outbox
from app.core.db import open_session
from app.core.security import mint_local_token
from app.jobs.models import JobRun
from app.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription
from tests.conftest import AUDIT_KEY, INTEGRATION_SOURCES, ROOT, TEST_SECRET, WEBHOOK_SECRETS_KEY, free_port
from tests.helpers import launch, stop

pytestmark = pytest.mark.server


def worker_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TEST_DATABASE_URL", "JWT_"))}
    env.update(
        DATABASE_URL=database_url, JWT_SECRET=TEST_SECRET, AUDIT_KEY=AUDIT_KEY, INTEGRATION_SOURCES=INTEGRATION_SOURCES,
        WEBHOOK_SECRETS_KEY=WEBHOOK_SECRETS_KEY, WEBHOOKS_ALLOW_HTTP="1", WORKER_POLL_SECONDS="0.1", LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


def start_worker(database_url: str, log: Path, **extra: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "worker"], cwd=ROOT, env=worker_env(database_url, **extra),
        stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while "worker started" not in log.read_text():
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.05)
    return process


def subscribe(client, auth, receiver, path: str = "/hooks") -> dict:  # type: ignore[no-untyped-def]
    url = receiver.url.replace("/hooks", path)
    response = client.post("/api/v1/webhooks", json={"url": url, "event_types": ["venue.created"]}, headers=auth("admin-1", "admin"))
    assert response.status_code == 201, response.text
    receiver.secrets.append(response.json()["secret"])
    return response.json()


def emit(engine, n: int) -> list[int]:  # type: ignore[no-untyped-def]
    """`n` events, each committed on its own as a request's would be; their seqs."""
    ids = []
    for i in range(n):
        with open_session(engine, write=True) as session:
            ids.append(outbox.emit(session, "venue.created", uuid.uuid4(), {"n": i}).id)
            session.commit()
    with Session(engine) as session:
        seqs = session.execute(select(outbox.OutboxEvent.seq).where(outbox.OutboxEvent.id.in_(ids))).scalars().all()
    assert len(seqs) == n
    return sorted(seqs)


def rows(engine, model, *where):  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return list(session.execute(select(model).where(*where)).scalars())


def test_r60_r84_a_worker_killed_mid_batch_loses_nothing(client, auth, engine, database_url, receiver, tmp_path):
    subscribe(client, auth, receiver)
    seqs = emit(engine, 150)
    receiver.delay = 0.01
    log = tmp_path / "worker.log"
    first = start_worker(database_url, log, WORKER_THREADS="1", WEBHOOK_LEASE_SECONDS="2")
    try:
        receiver.wait_for(lambda got: len(got) >= 30, timeout=30)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    at_kill = len(receiver.received)
    assert at_kill < len(seqs), "the worker finished before it was killed: the test proves nothing"
    [held] = rows(engine, WebhookSubscription)
    assert held.leased_by is not None  # killed holding its claim
    second = start_worker(database_url, log, WORKER_THREADS="1", WEBHOOK_LEASE_SECONDS="2")
    try:
        receiver.wait_for(lambda got: set(seqs) <= {r.body["seq"] for r in got}, timeout=60)
    finally:
        stop(second)
    assert all(r.verified for r in receiver.received)
    delivered = rows(engine, WebhookDelivery, WebhookDelivery.event_seq.in_(seqs))
    assert len(delivered) == len(seqs) and {d.status for d in delivered} == {DeliveryStatus.succeeded}
    # at least once: a repeat is possible only for what was in flight when it was killed
    repeats = [seq for seq, n in Counter(receiver.seqs()).items() if n > 1]
    assert len(repeats) <= 1


@pytest.fixture
def postgresql_only(engine):  # type: ignore[no-untyped-def]
    if engine.dialect.name != "postgresql":
        pytest.skip("several workers need PostgreSQL (FOR UPDATE SKIP LOCKED, advisory locks); SQLite runs one")


def test_r85_two_workers_never_send_a_delivery_together_and_run_each_job_once(postgresql_only, client, auth, engine, database_url, receiver, tmp_path):
    for i in range(4):
        subscribe(client, auth, receiver, f"/hooks/{i}")
    receiver.delay = 0.005
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    workers = [start_worker(database_url, log, WORKER_THREADS="2") for log in logs]
    try:
        seqs = emit(engine, 100)
        receiver.wait_for(lambda got: len(got) >= 4 * len(seqs), timeout=60)
        time.sleep(1.0)  # anything sent twice would arrive now
    finally:
        for worker in workers:
            stop(worker)
    ids = [r.webhook_id for r in receiver.received]
    assert len(ids) == 4 * len(seqs) and len(set(ids)) == len(ids)  # no delivery sent twice
    attempts = rows(engine, WebhookAttempt)
    assert len(attempts) == len(ids) and {a.number for a in attempts} == {1}
    assert len({a.worker for a in attempts}) == 2  # both took part
    ran = Counter()
    for log in logs:
        for line in log.read_text().splitlines():
            if line.startswith("{") and json.loads(line).get("event") == "job ran":
                entry = json.loads(line)
                ran[(entry["job"], entry["period"])] += 1
    assert ran and set(ran.values()) == {1}, ran
    recorded = {(r.name, r.period) for r in rows(engine, JobRun)}
    assert set(ran) <= recorded


def test_r85_sigterm_finishes_the_attempt_in_hand_and_releases_its_claim(client, auth, engine, database_url, receiver, tmp_path):
    subscribe(client, auth, receiver)
    receiver.script = [("hang", 1.5)]
    log = tmp_path / "worker.log"
    worker = start_worker(database_url, log, WORKER_THREADS="1")
    try:
        emit(engine, 3)
        receiver.wait_for(lambda got: len(got) >= 1, timeout=20)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(15) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
    assert "worker stopped" in log.read_text()
    [subscription] = rows(engine, WebhookSubscription)
    assert subscription.leased_by is None and subscription.lease_until is None
    first = rows(engine, WebhookDelivery, WebhookDelivery.attempts > 0)
    assert [d.status for d in first] == [DeliveryStatus.succeeded]  # the one in hand finished and was written
    assert len(receiver.received) == 1  # nothing new was started after SIGTERM


def test_r85_serve_runs_the_worker_in_process(tmp_path, receiver, settings):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    env.update(PORT=str(port), HOST="127.0.0.1", JWT_SECRET=TEST_SECRET, WORKER="on", WEBHOOKS_ALLOW_HTTP="1", WORKER_POLL_SECONDS="0.1")
    base = f"http://127.0.0.1:{port}"
    process = launch([sys.executable, "-m", "app.cli", "serve"], tmp_path, env, tmp_path / "server.log", base)
    try:
        admin = {"Authorization": f"Bearer {mint_local_token(settings, 'admin-1', ['admin'])}"}
        created = httpx.post(f"{base}/api/v1/webhooks", json={"url": receiver.url, "event_types": ["venue.created"]}, headers=admin, timeout=10)
        assert created.status_code == 201, created.text
        receiver.secrets.append(created.json()["secret"])
        venue = httpx.post(f"{base}/api/v1/venues", json={"name": "Mansfield", "area": "north"}, headers=admin, timeout=10)
        assert venue.status_code == 201
        receiver.wait_for(lambda got: len(got) == 1, timeout=20)
    finally:
        stop(process)
    [got] = receiver.received
    assert got.verified and got.body["type"] == "venue.created" and got.body["data"]["venue_id"] == venue.json()["id"]

"""Delivery (R-84) against a real receiver: signatures, the body, scoping, order, retries,
timeouts, 410, disabling and replay. The worker's code runs in the test process here;
`test_worker_processes.py` runs it as real processes."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlmodel import Session

from app.core import clock
from app.core.config import Settings
from app.jobs.worker import Worker
from app.webhooks import delivery
from app.webhooks.models import DeliveryStatus, SubscriptionStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription
from tests.conftest import child_body

FW = ("fw", "integration")
MOSAIC = ("mosaic-prod", "integration")
ADMIN = ("admin-1", "admin")


def variant(settings: Settings, **changes) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(**{**settings.model_dump(), **changes})


def drain(engine, settings: Settings, rounds: int = 100) -> None:  # type: ignore[no-untyped-def]
    """Send everything due now, as one worker thread would."""
    with delivery.client(settings) as http:
        for _ in range(rounds):
            if not delivery.has_work(engine):
                return
            delivery.deliver_once(engine, settings, http, "test-worker", threading.Event())
    raise AssertionError("still work after many rounds")


def subscribe(client, auth, receiver, who=FW, event_types=("*",)) -> dict:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/webhooks", json={"url": receiver.url, "event_types": list(event_types)}, headers=auth(*who))
    assert response.status_code == 201, response.text
    receiver.secrets.append(response.json()["secret"])
    return response.json()


def put_child(client, auth, key: str, source: str = "framework", **changes) -> dict:  # type: ignore[no-untyped-def]
    response = client.put(f"/api/v1/children/{source}/{key}", json=child_body(**changes), headers=auth("tl-1", "team_leader"))
    assert response.status_code in (200, 201), response.text
    return response.json()


def attempts(engine, delivery_id) -> list[WebhookAttempt]:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return list(session.execute(select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery_id).order_by(WebhookAttempt.number)).scalars())


def deliveries(engine) -> list[WebhookDelivery]:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return list(session.execute(select(WebhookDelivery).order_by(WebhookDelivery.event_seq)).scalars())


def test_r84_a_delivery_is_signed_and_its_body_is_the_event_as_the_feed_shows_it(client, auth, engine, settings, receiver):
    hook = subscribe(client, auth, receiver)
    child = put_child(client, auth, "W-1")
    drain(engine, settings)
    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert got.verified, got.headers
    assert got.path == "/hooks"
    feed = client.get("/api/v1/events", headers=auth(*FW)).json()["items"]
    assert got.body == feed[-1]
    assert got.body["type"] == "child.created" and got.body["data"]["child_id"] == child["id"] and isinstance(got.body["seq"], int)
    [row] = deliveries(engine)
    assert got.webhook_id == str(row.id)
    assert row.status == DeliveryStatus.succeeded and row.attempts == 1 and row.delivered_at is not None
    assert got.headers["webhook-signature"].startswith("v1,") and " " not in got.headers["webhook-signature"]
    assert abs(int(got.headers["webhook-timestamp"]) - time.time()) < 30
    assert str(row.subscription_id) == hook["id"]


def test_r80_r84_an_integration_receives_only_its_own_sources_events_and_an_admin_all(client, auth, engine, settings, receiver):
    subscribe(client, auth, receiver, FW)
    subscribe(client, auth, receiver, ADMIN)
    ours = put_child(client, auth, "W-2")
    put_child(client, auth, "M-2", source="mosaic")
    client.post("/api/v1/venues", json={"name": "Mansfield", "area": "north"}, headers=auth(*ADMIN))
    drain(engine, settings)
    with Session(engine) as session:
        by_subscription = {
            sub.owner_sub: sorted(d.event_type for d in session.execute(select(WebhookDelivery).where(WebhookDelivery.subscription_id == sub.id)).scalars())
            for sub in session.execute(select(WebhookSubscription)).scalars()
        }
    # the admin's also gets its own subscription's creation (about no child; made in the same commit)
    assert by_subscription == {"fw": ["child.created"], "admin-1": ["child.created", "child.created", "venue.created", "webhook.created"]}
    fw_bodies = [r.body for r in receiver.received if r.body["type"] == "child.created" and r.body["data"]["child_id"] == ours["id"]]
    assert len(fw_bodies) == 2  # one to each subscription
    assert all(r.verified for r in receiver.received)


def test_r84_event_types_filter_what_is_delivered(client, auth, engine, settings, receiver):
    subscribe(client, auth, receiver, FW, event_types=["child.updated"])
    put_child(client, auth, "W-3")
    put_child(client, auth, "W-3", area="south")
    drain(engine, settings)
    assert [r.body["type"] for r in receiver.received] == ["child.updated"]


def test_r84_first_attempts_go_out_in_event_order_per_subscription(client, auth, engine, settings, receiver):
    subscribe(client, auth, receiver)
    for i in range(12):
        put_child(client, auth, f"W-O{i}")
    drain(engine, settings)
    seqs = receiver.seqs()
    assert len(seqs) == 12 and seqs == sorted(seqs)


def test_r84_retries_follow_the_schedule_until_the_receiver_answers_2xx(client, auth, engine, settings, receiver):
    quick = variant(settings, webhook_retry_schedule=[0, 1, 2, 3], worker_poll_seconds=0.05, worker_threads=1)
    hook = subscribe(client, auth, receiver)
    receiver.script = [500, 500, 500]
    put_child(client, auth, "W-4")
    worker = Worker(quick, engine, name="schedule-test")
    worker.start()
    try:
        receiver.wait_for(lambda got: len(got) == 4, timeout=20)
        time.sleep(0.3)
    finally:
        worker.stop()
    [row] = deliveries(engine)
    assert row.status == DeliveryStatus.succeeded and row.attempts == 4
    tried = attempts(engine, row.id)
    assert [a.status_code for a in tried] == [500, 500, 500, 200]
    assert [a.error for a in tried] == ["answered 500"] * 3 + [None]
    gaps = [(later.at - earlier.at).total_seconds() for earlier, later in zip(tried, tried[1:])]
    for gap, step in zip(gaps, [1, 2, 3], strict=True):
        assert step * 0.9 - 0.05 <= gap <= step * 1.1 + 1.0, gaps
    assert len({r.webhook_id for r in receiver.received}) == 1  # the same webhook-id on every attempt
    log = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=auth(*FW)).json()["items"]
    assert [a["status_code"] for a in log[0]["attempts"]] == [500, 500, 500, 200]
    assert log[0]["status"] == "succeeded" and log[0]["attempt_count"] == 4 and log[0]["next_attempt_at"] is None


def test_r84_a_failing_delivery_does_not_hold_back_later_events(client, auth, engine, settings, receiver):
    subscribe(client, auth, receiver)
    receiver.script = [503]
    put_child(client, auth, "W-5")
    put_child(client, auth, "W-6")
    drain(engine, settings)  # the first fails and waits 5 s; the second goes now
    first, second = deliveries(engine)
    assert first.status == DeliveryStatus.pending and first.attempts == 1 and first.last_status_code == 503
    assert first.next_attempt_at is not None and 4.4 <= (first.next_attempt_at - first.last_attempt_at).total_seconds() <= 5.6
    assert second.status == DeliveryStatus.succeeded
    assert receiver.seqs() == [first.event_seq, second.event_seq]


def test_r84_a_receiver_that_hangs_times_out_and_is_retried(client, auth, engine, settings, receiver):
    quick = variant(settings, webhook_retry_schedule=[0, 1], webhook_timeout_seconds=1.0)
    subscribe(client, auth, receiver)
    receiver.script = [("hang", 4)]
    put_child(client, auth, "W-7")
    started = time.monotonic()
    drain(engine, quick)
    assert time.monotonic() - started < 3.5  # gave up after the timeout, not after the hang
    [row] = deliveries(engine)
    [tried] = attempts(engine, row.id)
    assert tried.error == "timed out" and tried.status_code is None and 900 <= tried.duration_ms < 3000
    assert row.status == DeliveryStatus.pending
    time.sleep(1.2)
    drain(engine, quick)
    assert deliveries(engine)[0].status == DeliveryStatus.succeeded
    assert [a.error for a in attempts(engine, row.id)] == ["timed out", None]


def test_r84_redirects_are_not_followed(client, auth, engine, settings, receiver):
    subscribe(client, auth, receiver)
    receiver.script = [307]
    put_child(client, auth, "W-8")
    drain(engine, settings)
    assert len(receiver.received) == 1
    [row] = deliveries(engine)
    assert row.status == DeliveryStatus.pending and row.last_status_code == 307


def test_r84_a_410_disables_the_subscription_and_enable_delivers_what_came_meanwhile(client, auth, engine, settings, receiver):
    hook = subscribe(client, auth, receiver)
    receiver.script = [410]
    put_child(client, auth, "W-9")
    drain(engine, settings)
    put_child(client, auth, "W-10")
    drain(engine, settings)
    assert len(receiver.received) == 1
    shown = client.get(f"/api/v1/webhooks/{hook['id']}", headers=auth(*FW)).json()
    assert shown["status"] == "disabled" and "410" in shown["disabled_reason"] and shown["disabled_at"]
    told = [e for e in client.get("/api/v1/events", headers=auth("sm-1", "service_manager")).json()["items"] if e["type"] == "webhook.disabled"]
    assert [e["data"]["webhook_id"] for e in told] == [hook["id"]] and "410" in told[0]["data"]["reason"]
    with Session(engine) as session:
        from app.core.audit import AuditEntry

        [entry] = session.execute(select(AuditEntry).where(AuditEntry.action == "webhook.disabled")).scalars()
        assert entry.subject == "system:webhook-worker" and entry.after["status"] == "disabled" and "secret_sealed" not in entry.after
    assert [d.status for d in deliveries(engine)] == [DeliveryStatus.failed]
    enabled = client.post(f"/api/v1/webhooks/{hook['id']}/enable", headers=auth(*FW))
    assert enabled.status_code == 200 and enabled.json()["status"] == "active" and enabled.json()["disabled_reason"] is None
    drain(engine, settings)
    assert [r.body["data"]["child_id"] for r in receiver.received][1:] == [put_child(client, auth, "W-10")["id"]]


def test_r84_after_the_last_retry_a_delivery_is_failed_and_can_be_replayed(client, auth, engine, settings, receiver):
    once = variant(settings, webhook_retry_schedule=[0])
    hook = subscribe(client, auth, receiver)
    receiver.script = [500]
    put_child(client, auth, "W-11")
    drain(engine, once)
    [row] = deliveries(engine)
    assert row.status == DeliveryStatus.failed and row.next_attempt_at is None
    failed = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries?status=failed", headers=auth(*FW)).json()["items"]
    assert [d["id"] for d in failed] == [str(row.id)]
    replay = client.post(f"/api/v1/webhooks/{hook['id']}/deliveries/{row.id}/retry", headers=auth(*FW))
    assert replay.status_code == 202 and replay.json()["status"] == "pending"
    drain(engine, once)
    [row] = deliveries(engine)
    assert row.status == DeliveryStatus.succeeded and row.attempts == 2
    assert receiver.received[0].webhook_id == receiver.received[1].webhook_id


def test_r84_a_subscription_failing_for_five_days_is_disabled_with_the_reason(client, auth, engine, settings, receiver):
    hook = subscribe(client, auth, receiver)
    receiver.default = 500
    put_child(client, auth, "W-12")
    drain(engine, settings)
    shown = client.get(f"/api/v1/webhooks/{hook['id']}", headers=auth(*FW)).json()
    assert shown["status"] == "active" and shown["failing_since"] is not None
    with Session(engine) as session:  # five days on: the failures began five days ago
        session.execute(update(WebhookSubscription).values(failing_since=clock.now() - timedelta(days=5, seconds=1)))
        session.execute(update(WebhookDelivery).values(next_attempt_at=clock.now()))
        session.commit()
    drain(engine, settings)
    shown = client.get(f"/api/v1/webhooks/{hook['id']}", headers=auth(*FW)).json()
    assert shown["status"] == "disabled" and "5 days" in shown["disabled_reason"]


def test_r84_a_success_ends_a_failing_streak(client, auth, engine, settings, receiver):
    hook = subscribe(client, auth, receiver)
    receiver.script = [500]
    put_child(client, auth, "W-13")
    put_child(client, auth, "W-14")
    drain(engine, settings)
    assert client.get(f"/api/v1/webhooks/{hook['id']}", headers=auth(*FW)).json()["failing_since"] is None


def test_r84_after_a_rotation_both_secrets_sign_for_24_hours(client, auth, engine, settings, receiver):
    hook = subscribe(client, auth, receiver)
    old = receiver.secrets[:]
    rotated = client.post(f"/api/v1/webhooks/{hook['id']}/secret", headers=auth(*FW))
    assert rotated.status_code == 200
    new = rotated.json()["secret"]
    assert new.startswith("whsec_") and new != old[0]
    put_child(client, auth, "W-15")
    drain(engine, settings)
    signature = receiver.received[0].headers["webhook-signature"]
    assert len(signature.split(" ")) == 2
    raw = receiver.received[0]
    for secret in (old[0], new):  # a receiver holding either secret verifies it
        receiver.secrets = [secret]
        assert receiver.verify(_raw_body(engine, raw.body["seq"]), raw.headers)
    with Session(engine) as session:  # 24 hours on
        session.execute(update(WebhookSubscription).values(previous_secret_expires_at=clock.now() - timedelta(seconds=1)))
        session.commit()
    receiver.secrets = [new]
    put_child(client, auth, "W-16")
    drain(engine, settings)
    assert len(receiver.received[1].headers["webhook-signature"].split(" ")) == 1 and receiver.received[1].verified
    receiver.secrets = old
    assert not receiver.verify(_raw_body(engine, receiver.received[1].body["seq"]), receiver.received[1].headers)


def _raw_body(engine, seq: int) -> bytes:  # type: ignore[no-untyped-def]
    """The exact bytes that were signed: the event serialised as the worker serialises it."""
    from app.core.outbox import OutboxEvent
    from app.events.schemas import EventRead

    with Session(engine) as session:
        event = session.execute(select(OutboxEvent).where(OutboxEvent.seq == seq)).scalar_one()
        return EventRead.model_validate(event).model_dump_json().encode()


def test_r84_a_deleted_subscription_gets_nothing_more(client, auth, engine, settings, receiver):
    hook = subscribe(client, auth, receiver)
    put_child(client, auth, "W-17")
    assert client.delete(f"/api/v1/webhooks/{hook['id']}", headers=auth(*FW)).status_code == 204
    drain(engine, settings)
    assert receiver.received == [] and deliveries(engine) == []


@pytest.mark.parametrize("status", [SubscriptionStatus.disabled])
def test_r84_a_disabled_subscriptions_delivery_cannot_be_retried(client, auth, engine, settings, receiver, status):
    hook = subscribe(client, auth, receiver)
    receiver.script = [410]
    put_child(client, auth, "W-18")
    drain(engine, settings)
    [row] = deliveries(engine)
    refused = client.post(f"/api/v1/webhooks/{hook['id']}/deliveries/{row.id}/retry", headers=auth(*FW))
    assert refused.status_code == 409 and refused.json()["current_state"] == status.value


def test_r84_the_signature_is_the_hmac_the_readme_describes(client, auth, engine, settings, receiver):
    import base64
    import hashlib
    import hmac

    subscribe(client, auth, receiver)
    put_child(client, auth, "W-19")
    drain(engine, settings)
    [got] = receiver.received
    key = base64.b64decode(receiver.secrets[0].removeprefix("whsec_"))
    signed = f"{got.headers['webhook-id']}.{got.headers['webhook-timestamp']}.".encode() + _raw_body(engine, got.body["seq"])
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert got.headers["webhook-signature"] == expected


def test_r84_no_transaction_is_open_while_a_receiver_takes_its_time(client, auth, engine, settings, receiver):
    from sqlalchemy import text

    quick = variant(settings, worker_poll_seconds=0.05, worker_threads=1)
    subscribe(client, auth, receiver)
    receiver.script = [("hang", 2.0)]
    put_child(client, auth, "W-20")
    worker = Worker(quick, engine, name="open-transaction-test")
    worker.start()
    try:
        receiver.wait_for(lambda got: len(got) == 1, timeout=20)  # the receiver now holds the request
        time.sleep(0.7)
        if engine.dialect.name == "postgresql":  # a transaction held across the call would idle this long
            with engine.connect() as connection:
                held = connection.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND state LIKE 'idle in transaction%' AND state_change < now() - interval '0.5 seconds'"
                )).scalar_one()
            assert held == 0
        started = time.monotonic()  # a write goes through at once: the worker holds no lock
        put_child(client, auth, "W-21")
        assert time.monotonic() - started < 1.0
        assert len(receiver.received) == 1  # still in the first attempt
        receiver.wait_for(lambda got: len(got) == 2, timeout=20)
    finally:
        worker.stop()
    assert [d.status for d in deliveries(engine)] == [DeliveryStatus.succeeded] * 2


def test_r60_r84_a_gap_in_seq_wider_than_the_fan_out_window_does_not_stall_delivery(client, auth, engine, settings, receiver, monkeypatch):
    from sqlalchemy import delete

    from app.core.outbox import OutboxEvent

    monkeypatch.setattr(delivery, "FANOUT_WINDOW", 2)
    subscribe(client, auth, receiver)
    for i in range(6):
        put_child(client, auth, f"W-G{i}")
    with Session(engine) as session:  # as if four transactions had taken their numbers and rolled back
        seqs = session.execute(select(OutboxEvent.seq).where(OutboxEvent.type == "child.created").order_by(OutboxEvent.seq)).scalars().all()
        session.execute(delete(OutboxEvent).where(OutboxEvent.seq.in_(seqs[1:5])))
        session.commit()
    drain(engine, settings)
    assert receiver.seqs() == [seqs[0], seqs[5]]


def test_r84_r85_the_purge_forgets_deliveries_that_succeeded_over_webhook_log_days_ago(client, auth, engine, settings, receiver):
    from app.jobs.runner import run_if_due
    from app.jobs.schedule import BY_NAME, Context

    subscribe(client, auth, receiver)
    receiver.script = [200, 200, 500]
    for key in ("W-P1", "W-P2", "W-P3"):
        put_child(client, auth, key)
    drain(engine, variant(settings, webhook_retry_schedule=[0]))
    old, recent, failed = deliveries(engine)
    assert (old.status, recent.status, failed.status) == (DeliveryStatus.succeeded, DeliveryStatus.succeeded, DeliveryStatus.failed)
    with Session(engine) as session:  # the first and the failed one happened 31 days ago
        for row in (old, failed):
            session.execute(update(WebhookDelivery).where(WebhookDelivery.id == row.id).values(
                delivered_at=clock.now() - timedelta(days=31) if row is old else None, last_attempt_at=clock.now() - timedelta(days=31)))
        session.commit()
    assert run_if_due(engine, Context.of(settings), BY_NAME["purge"], "test") is not None
    assert [d.id for d in deliveries(engine)] == [recent.id, failed.id]  # a failed one stays replayable
    assert attempts(engine, old.id) == [] and len(attempts(engine, recent.id)) == 1

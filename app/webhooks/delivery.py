"""Sending webhooks: the worker's side of R-84.

Why deliveries are made by the worker and not by the writing request: each subscription
keeps a durable `cursor`, the outbox `seq` up to which its events have become delivery rows.
A worker that takes a subscription reads the events after the cursor, inserts a delivery
for each one the subscription wants and moves the cursor, all in one transaction. So a
request's write path costs nothing per subscription (the audit lock of `core.publish` is not
held any longer for it), a subscription made or deleted never races a writer, and an event
committed while every worker was down is delivered when one comes back. It is safe because
`seq` follows commit order (`core.publish`): once a worker has read up to seq N, no event
with a smaller seq can still commit.

A worker takes one subscription at a time: in one short transaction it leases it
(`FOR UPDATE SKIP LOCKED` on PostgreSQL, so replicas take different ones; SQLite's write
transactions are serial), makes its new deliveries and reads up to 100 that are due, oldest
event first, then commits. Only then does it send, one after another, so first attempts
leave in event order per subscription; each result is written in its own short transaction.
No transaction is open during an HTTP call. The lease lapses after WEBHOOK_LEASE_SECONDS,
so if the worker dies mid-batch another one sends what it had not recorded: delivery is at
least once, and a receiver deduplicates on `webhook-id`.

A failed attempt is retried on the delivery's own schedule (WEBHOOK_RETRY_SCHEDULE, with
10% jitter); later events do not wait for it. A 2xx is success; a 410 disables the
subscription; anything else, a timeout or a refused connection is a failure. A subscription
whose attempts have all failed for WEBHOOK_DISABLE_AFTER_DAYS is disabled, with the reason.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import Engine, exists, func, insert, or_, select, true, update
from sqlmodel import Session

from app.core import audit, clock, outbox
from app.core.config import Settings
from app.core.db import open_session
from app.core.models import snapshot
from app.core.outbox import OutboxEvent
from app.core.security import Principal
from app.events.policy import of_source
from app.events.schemas import EventRead
from app.webhooks import signing, urls
from app.webhooks.models import DeliveryStatus, SubscriptionStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription
from app.webhooks.service import SECRET_COLUMNS, event_data, matches

log = logging.getLogger("app.webhooks")

FANOUT_WINDOW = 1000  # outbox seqs looked at per claim
BATCH = 100  # deliveries sent per claim
MAX_BODY_READ = 64 * 1024  # of a receiver's answer, read so the connection can be reused
USER_AGENT = "contact-service-webhooks/1"


@dataclass
class Outgoing:
    delivery_id: uuid.UUID
    event_seq: int
    attempts: int  # made before this one, as claimed
    body: str


@dataclass
class Batch:
    subscription_id: uuid.UUID
    url: str
    secrets: list[str]
    failing_since: datetime | None
    outgoing: list[Outgoing] = field(default_factory=list)


@dataclass(frozen=True)
class Result:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


def _due(now: datetime):  # type: ignore[no-untyped-def]
    return exists().where(
        WebhookDelivery.subscription_id == WebhookSubscription.id,
        WebhookDelivery.status == DeliveryStatus.pending,
        WebhookDelivery.next_attempt_at <= now,
    )


def _wanting_work(now: datetime):  # type: ignore[no-untyped-def]
    newest = select(func.coalesce(func.max(OutboxEvent.seq), 0)).scalar_subquery()
    return (
        WebhookSubscription.status == SubscriptionStatus.active,
        or_(WebhookSubscription.lease_until.is_(None), WebhookSubscription.lease_until < now),
        or_(WebhookSubscription.cursor < newest, _due(now)),
    )


def has_work(engine: Engine) -> bool:
    """A read, with no write lock: is any subscription behind or due? Idle workers poll this."""
    with Session(engine) as session:
        return session.execute(select(exists().where(*_wanting_work(clock.now())))).scalar_one()


def fan_out(session: Session, subscription: WebhookSubscription, now: datetime, first_delay: int) -> int:
    """Deliveries for the events after the subscription's cursor that it wants; moves the cursor."""
    # The next FANOUT_WINDOW events by count, not by seq: seqs have gaps (a rolled-back
    # transaction consumes its number), and a gap wider than the window must not stall it.
    window = select(OutboxEvent.seq).where(OutboxEvent.seq > subscription.cursor).order_by(OutboxEvent.seq).limit(FANOUT_WINDOW).subquery()
    upper = session.execute(select(func.max(window.c.seq))).scalar_one()
    if upper is None:
        return 0
    scope = of_source(subscription.source) if subscription.source is not None else true()
    events = session.execute(
        select(OutboxEvent.seq, OutboxEvent.id, OutboxEvent.type)
        .where(OutboxEvent.seq > subscription.cursor, OutboxEvent.seq <= upper, scope)
        .order_by(OutboxEvent.seq)
    ).all()
    rows = [
        {
            "id": uuid.uuid4(), "subscription_id": subscription.id, "event_seq": seq, "event_id": event_id,
            "event_type": event_type, "status": DeliveryStatus.pending, "attempts": 0,
            "next_attempt_at": now + timedelta(seconds=first_delay), "created_at": now,
        }
        for seq, event_id, event_type in events
        if matches(subscription.event_types, event_type)
    ]
    if rows:
        session.execute(insert(WebhookDelivery), rows)
    subscription.cursor = upper
    return len(rows)


def _secrets(settings: Settings, subscription: WebhookSubscription, now: datetime) -> list[str]:
    key = settings.webhook_secrets_cipher_key
    found = [signing.unseal(key, subscription.secret_sealed)]
    expires = subscription.previous_secret_expires_at
    if subscription.previous_secret_sealed and expires is not None and expires > now:
        found.append(signing.unseal(key, subscription.previous_secret_sealed))
    return found


def claim(engine: Engine, settings: Settings, worker: str) -> Batch | None:
    """Lease one subscription that has work, make its new deliveries, and read what is due."""
    now = clock.now()
    with open_session(engine, write=True) as session:
        subscription = session.execute(
            select(WebhookSubscription)
            .where(*_wanting_work(now))
            .order_by(func.random())
            .limit(1)
            .with_for_update(skip_locked=True, of=WebhookSubscription)
        ).scalar_one_or_none()
        if subscription is None:
            return None
        subscription.leased_by, subscription.lease_until = worker, now + timedelta(seconds=settings.webhook_lease_seconds)
        fan_out(session, subscription, now, settings.webhook_retry_schedule[0])
        due = session.execute(
            select(WebhookDelivery.id, WebhookDelivery.attempts, OutboxEvent)
            .join(OutboxEvent, OutboxEvent.seq == WebhookDelivery.event_seq)
            .where(
                WebhookDelivery.subscription_id == subscription.id,
                WebhookDelivery.status == DeliveryStatus.pending,
                WebhookDelivery.next_attempt_at <= now,
            )
            .order_by(WebhookDelivery.event_seq)
            .limit(BATCH)
        ).all()
        batch = Batch(subscription.id, subscription.url, _secrets(settings, subscription, now), subscription.failing_since)
        batch.outgoing = [
            Outgoing(delivery_id, event.seq, attempts, EventRead.model_validate(event).model_dump_json()) for delivery_id, attempts, event in due
        ]
        session.commit()
    return batch


def attempt(client: httpx.Client, batch: Batch, item: Outgoing) -> Result:
    """One POST, signed; no database here."""
    started = time.perf_counter()
    sent_at = datetime.now(UTC)
    message_id = str(item.delivery_id)
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signing.signature(batch.secrets, message_id, sent_at, item.body),
    }
    status_code: int | None = None
    error: str | None = None
    try:
        urls.check_resolved(batch.url)
        with client.stream("POST", batch.url, content=item.body.encode(), headers=headers) as response:
            status_code = response.status_code
            read = 0
            for chunk in response.iter_raw():
                read += len(chunk)
                if read > MAX_BODY_READ:
                    break
        if not 200 <= status_code < 300:
            error = f"answered {status_code}"
    except urls.UnsafeTarget as exc:
        error = str(exc)[:200]
    except httpx.TimeoutException:
        error = "timed out"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: could not deliver"
    return Result(status_code, error, int((time.perf_counter() - started) * 1000))


def _next_delay(settings: Settings, attempts: int) -> float | None:
    """Seconds until the next attempt after `attempts` have failed, or None: no more."""
    schedule = settings.webhook_retry_schedule
    if attempts >= len(schedule):
        return None
    return schedule[attempts] * random.uniform(0.9, 1.1)


def _outcome(settings: Settings, result: Result, attempts: int, now: datetime) -> dict[str, object]:
    """The delivery's new state after its `attempts`-th attempt gave `result`."""
    if result.ok:
        return {"status": DeliveryStatus.succeeded, "next_attempt_at": None, "delivered_at": now}
    delay = None if result.gone else _next_delay(settings, attempts)
    if delay is None:
        return {"status": DeliveryStatus.failed, "next_attempt_at": None}
    return {"status": DeliveryStatus.pending, "next_attempt_at": now + timedelta(seconds=delay)}


def record(engine: Engine, settings: Settings, batch: Batch, item: Outgoing, result: Result, worker: str) -> bool:
    """Write one attempt's outcome, in Core statements (the worker's hot path); True when the
    batch must stop: the subscription is now disabled, was deleted, or another worker has
    recorded this delivery since (our lease lapsed)."""
    now = clock.now()
    attempts = item.attempts + 1
    disabled_reason: str | None = None
    if result.gone:
        disabled_reason = "The receiver answered 410 Gone."
    elif not result.ok and batch.failing_since is not None and now - batch.failing_since >= timedelta(days=settings.webhook_disable_after_days):
        disabled_reason = f"Every attempt failed for {settings.webhook_disable_after_days} days, since {batch.failing_since.isoformat()}."
    changes: dict[str, object] = {}
    if result.ok and batch.failing_since is not None:
        changes["failing_since"] = None
    elif not result.ok and batch.failing_since is None:
        changes["failing_since"] = now
    if disabled_reason is not None:
        changes.update(status=SubscriptionStatus.disabled, disabled_at=now, disabled_reason=disabled_reason)
    with open_session(engine, write=True) as session:
        updated = session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == item.delivery_id, WebhookDelivery.attempts == item.attempts)
            .values(attempts=attempts, last_attempt_at=now, last_status_code=result.status_code, **_outcome(settings, result, attempts, now))
            .execution_options(synchronize_session=False)
        ).rowcount
        if updated != 1:
            return True
        session.execute(insert(WebhookAttempt).values(
            id=uuid.uuid4(), delivery_id=item.delivery_id, number=attempts, at=now, status_code=result.status_code,
            error=result.error, duration_ms=result.duration_ms, worker=worker,
        ))
        if changes:
            session.execute(
                update(WebhookSubscription).where(WebhookSubscription.id == batch.subscription_id).values(**changes)
                .execution_options(synchronize_session=False)
            )
        if disabled_reason is not None:
            _announce_disabled(session, batch, disabled_reason)
        session.commit()
    if "failing_since" in changes:
        batch.failing_since = changes["failing_since"]  # type: ignore[assignment]
    if disabled_reason is not None:
        log.warning("webhook subscription disabled", extra={"fields": {"subscription_id": str(batch.subscription_id), "reason": disabled_reason}})
    return disabled_reason is not None


DISABLER = Principal(sub="system:webhook-worker", roles=frozenset())


def _announce_disabled(session: Session, batch: Batch, reason: str) -> None:
    """The worker disabling a subscription is a change like any other: audited and on the outbox."""
    subscription = session.get(WebhookSubscription, batch.subscription_id, populate_existing=True)
    assert subscription is not None
    after = snapshot(subscription, exclude=SECRET_COLUMNS)
    audit.record(session, DISABLER, "webhook.disabled", "webhook_subscription", subscription.id,
                 before={"status": SubscriptionStatus.active.value}, after=after)
    outbox.emit(session, "webhook.disabled", subscription.id, {**event_data(subscription), "reason": reason})


def release(engine: Engine, subscription_id: uuid.UUID, worker: str) -> None:
    with open_session(engine, write=True) as session:
        session.execute(
            update(WebhookSubscription)
            .where(WebhookSubscription.id == subscription_id, WebhookSubscription.leased_by == worker)
            .values(leased_by=None, lease_until=None)
        )
        session.commit()


def client(settings: Settings) -> httpx.Client:
    """No redirects, a short timeout, and no proxy from the environment (the address checks
    must see where the request really goes)."""
    timeout = settings.webhook_timeout_seconds
    return httpx.Client(timeout=httpx.Timeout(timeout, connect=timeout), follow_redirects=False, trust_env=False)


def deliver_once(engine: Engine, settings: Settings, http: httpx.Client, worker: str, stop: threading.Event) -> int:
    """Claim one subscription's due deliveries and send them; the number of attempts made.
    Stops early, releasing the rest, when `stop` is set or half the lease has gone by."""
    batch = claim(engine, settings, worker)
    if batch is None:
        return 0
    deadline = time.monotonic() + settings.webhook_lease_seconds / 2
    sent = 0
    try:
        for item in batch.outgoing:
            if stop.is_set() or time.monotonic() > deadline:
                break
            result = attempt(http, batch, item)
            sent += 1
            if record(engine, settings, batch, item, result, worker):
                break
    finally:
        release(engine, batch.subscription_id, worker)
    return max(sent, 1)  # a claim made deliveries or moved the cursor: look again at once

"""Webhook subscriptions and their delivery log (R-84). No HTTP here; the worker's side
(turning events into deliveries, sending them) is `webhooks.delivery`."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select
from sqlmodel import Session

from app.core import clock
from app.core.changes import record_change
from app.core.config import Settings
from app.core.errors import WrongState, invalid_field
from app.core.models import snapshot
from app.core.outbox import EVENT_TYPES, OutboxEvent
from app.core.pagination import Page, PageParams, paginate
from app.core.security import Principal
from app.webhooks import signing, urls
from app.webhooks.models import DeliveryStatus, SubscriptionStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription
from app.webhooks.policy import scope_of
from app.webhooks.schemas import AttemptRead, DeliveryRead, SecretRotated, WebhookCreate, WebhookCreated, WebhookRead

ROTATION_OVERLAP = timedelta(hours=24)  # the old secret stays valid this long
FAMILIES = frozenset(event_type.split(".")[0] for event_type in EVENT_TYPES)
SECRET_COLUMNS = frozenset({"secret_sealed", "previous_secret_sealed"})


def _audited(subscription: WebhookSubscription) -> dict[str, Any]:
    """What the audit log keeps of a subscription: never its secrets, sealed or not."""
    return snapshot(subscription, exclude=SECRET_COLUMNS)


def event_data(subscription: WebhookSubscription) -> dict[str, Any]:
    """A subscription change on the outbox: about no child, so only an admin's subscription
    and a service manager's feed see it (a new subscription is a new way out for data)."""
    return {"webhook_id": subscription.id, "source": subscription.source, "owner_sub": subscription.owner_sub,
            "url": subscription.url, "event_types": subscription.event_types, "status": subscription.status}


def check_event_types(requested: list[str]) -> list[str]:
    """Known types, `family.*` or `*`; duplicates dropped, order kept. 422 names the entry."""
    for index, name in enumerate(requested):
        family, _, rest = name.partition(".")
        if name == "*" or name in EVENT_TYPES or (rest == "*" and family in FAMILIES):
            continue
        raise invalid_field(f"event_types.{index}", f"{name!r} is not an event type; see the change feed's types, `family.*` or `*`")
    return list(dict.fromkeys(requested))


def matches(event_types: list[str], event_type: str) -> bool:
    return "*" in event_types or event_type in event_types or f"{event_type.split('.')[0]}.*" in event_types


def read(subscription: WebhookSubscription) -> WebhookRead:
    return WebhookRead.model_validate(subscription)


def create(session: Session, principal: Principal, settings: Settings, data: WebhookCreate) -> WebhookCreated:
    try:
        urls.check_url(data.url, settings)
    except urls.UnsafeTarget as exc:
        raise invalid_field("url", str(exc)) from None
    event_types = check_event_types(data.event_types)
    now = clock.now()
    secret = signing.new_secret()
    # From now on: the change feed serves what came before.
    cursor = session.execute(select(func.coalesce(func.max(OutboxEvent.seq), 0))).scalar_one()
    subscription = WebhookSubscription(
        source=scope_of(principal), owner_sub=principal.sub, url=data.url, event_types=event_types,
        secret_sealed=signing.seal(settings.webhook_secrets_cipher_key, secret),
        created_at=now, updated_at=now, cursor=cursor,
    )
    session.add(subscription)
    record_change(session, principal, "webhook.created", "webhook_subscription", subscription, before=None, after=_audited(subscription),
                  event=event_data(subscription))
    return WebhookCreated.model_validate({**read(subscription).model_dump(), "secret": secret})


def rotate(session: Session, principal: Principal, settings: Settings, subscription: WebhookSubscription) -> SecretRotated:
    """A new secret; the current one signs too for 24 hours, so receivers can switch over.
    Rotating again inside those 24 hours drops the oldest."""
    before = _audited(subscription)
    now = clock.now()
    secret = signing.new_secret()
    subscription.previous_secret_sealed = subscription.secret_sealed
    subscription.previous_secret_expires_at = now + ROTATION_OVERLAP
    subscription.secret_sealed = signing.seal(settings.webhook_secrets_cipher_key, secret)
    subscription.updated_at, subscription.version = now, subscription.version + 1
    record_change(session, principal, "webhook.secret_rotated", "webhook_subscription", subscription, before=before,
                  after=_audited(subscription), event=event_data(subscription))
    return SecretRotated(id=subscription.id, secret=secret, previous_secret_expires_at=subscription.previous_secret_expires_at)


def enable(session: Session, principal: Principal, subscription: WebhookSubscription) -> WebhookSubscription:
    """Deliver again after a disable; events that came meanwhile are delivered too (the
    subscription's cursor stayed where it was)."""
    if subscription.status == SubscriptionStatus.active:
        return subscription
    before = _audited(subscription)
    subscription.status = SubscriptionStatus.active
    subscription.disabled_at = subscription.disabled_reason = subscription.failing_since = None
    subscription.updated_at, subscription.version = clock.now(), subscription.version + 1
    record_change(session, principal, "webhook.enabled", "webhook_subscription", subscription, before=before,
                  after=_audited(subscription), event=event_data(subscription))
    return subscription


def remove(session: Session, principal: Principal, subscription: WebhookSubscription) -> None:
    before = _audited(subscription)
    deliveries = select(WebhookDelivery.id).where(WebhookDelivery.subscription_id == subscription.id)
    session.execute(delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(deliveries)))
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription.id))
    record_change(session, principal, "webhook.deleted", "webhook_subscription", subscription, before=before, after={},
                  event=event_data(subscription))
    session.delete(subscription)
    session.flush()


def subscriptions_page(session: Session, managed: ColumnElement[bool], page: PageParams) -> Page[WebhookRead]:
    statement = select(WebhookSubscription).where(managed)
    return paginate(session, statement, [WebhookSubscription.created_at, WebhookSubscription.id], page, read)


def _attempts(session: Session, delivery_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[AttemptRead]]:
    found: dict[uuid.UUID, list[AttemptRead]] = {delivery_id: [] for delivery_id in delivery_ids}
    if delivery_ids:
        rows = session.execute(
            select(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(delivery_ids)).order_by(WebhookAttempt.delivery_id, WebhookAttempt.number)
        ).scalars()
        for row in rows:
            found[row.delivery_id].append(AttemptRead.model_validate(row))
    return found


def _delivery(delivery: WebhookDelivery, attempts: list[AttemptRead]) -> DeliveryRead:
    return DeliveryRead.model_validate({**delivery.model_dump(), "attempt_count": delivery.attempts, "attempts": attempts})


def deliveries_page(
    session: Session, subscription: WebhookSubscription, page: PageParams, status: DeliveryStatus | None
) -> Page[DeliveryRead]:
    """Oldest event first, with each delivery's attempts."""
    statement = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription.id)
    if status is not None:
        statement = statement.where(WebhookDelivery.status == status)
    rows = paginate(session, statement, [WebhookDelivery.event_seq], page, lambda row: row)
    attempts = _attempts(session, [row.id for row in rows.items])
    return Page(items=[_delivery(row, attempts[row.id]) for row in rows.items], next_cursor=rows.next_cursor)


def read_delivery(session: Session, delivery: WebhookDelivery) -> DeliveryRead:
    return _delivery(delivery, _attempts(session, [delivery.id])[delivery.id])


def retry(session: Session, principal: Principal, subscription: WebhookSubscription, delivery: WebhookDelivery) -> DeliveryRead:
    """Send again as soon as a worker is free: a failed delivery replayed, or a delivered one
    sent once more. The attempts go on being counted; one more failure after the schedule
    ran out marks it failed again."""
    if subscription.status != SubscriptionStatus.active:
        raise WrongState("webhook subscription", "retry a delivery of", subscription.status.value, "active",
                         detail="The subscription is disabled; enable it first (POST .../enable).")
    before = snapshot(delivery)
    delivery.status, delivery.next_attempt_at = DeliveryStatus.pending, clock.now()
    record_change(session, principal, "webhook.delivery_retried", "webhook_delivery", delivery, before=before)
    return read_delivery(session, delivery)


def purge_delivered(session: Session, before: datetime) -> int:
    """Forget deliveries that succeeded before `before`, with their attempts (the purge job,
    WEBHOOK_LOG_DAYS). Failed and pending ones stay: they are still to be seen or replayed."""
    old = select(WebhookDelivery.id).where(WebhookDelivery.status == DeliveryStatus.succeeded, WebhookDelivery.delivered_at < before)
    session.execute(delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(old)))
    return session.execute(delete(WebhookDelivery).where(WebhookDelivery.id.in_(old))).rowcount  # type: ignore[attr-defined]

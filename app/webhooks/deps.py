"""Route dependencies for webhooks, built on `webhooks.policy`."""

from __future__ import annotations

import uuid
from typing import Annotated

from sqlalchemy import ColumnElement

from app.core.access import Gate, policy
from app.core.concurrency import Depends
from app.core.db import SessionDep
from app.core.errors import not_found
from app.webhooks.models import WebhookDelivery, WebhookSubscription
from app.webhooks.policy import MANAGERS, managed_subscriptions, may_manage

Manager = Gate(*MANAGERS)


@policy
def managed_subscription(principal: Manager, webhook_id: uuid.UUID, session: SessionDep) -> WebhookSubscription:
    """A subscription the caller manages; another owner's is the same 404 as none (R-80)."""
    subscription = session.get(WebhookSubscription, webhook_id)
    if subscription is None or not may_manage(principal, subscription):
        raise not_found("webhook subscription")
    return subscription


ManagedSubscription = Annotated[WebhookSubscription, Depends(managed_subscription)]


@policy
def managed_delivery(subscription: ManagedSubscription, delivery_id: uuid.UUID, session: SessionDep) -> WebhookDelivery:
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription.id:
        raise not_found("webhook delivery")
    return delivery


ManagedDelivery = Annotated[WebhookDelivery, Depends(managed_delivery)]


@policy
def subscription_filter(principal: Manager) -> ColumnElement[bool]:
    return managed_subscriptions(principal)


SubscriptionFilter = Annotated[ColumnElement[bool], Depends(subscription_filter)]

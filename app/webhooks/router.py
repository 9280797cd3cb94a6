"""HTTP for webhook subscriptions and their delivery log (R-84)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response, status

from app.core.concurrency import APIRouter
from app.core.config import SettingsDep
from app.core.db import SessionDep
from app.core.errors import error_responses
from app.core.pagination import Page, PageParamsDep
from app.webhooks import service
from app.webhooks.deps import ManagedDelivery, ManagedSubscription, Manager, SubscriptionFilter
from app.webhooks.models import DeliveryStatus
from app.webhooks.schemas import DeliveryRead, SecretRotated, WebhookCreate, WebhookCreated, WebhookRead

router = APIRouter(tags=["webhooks"])
WHO = (
    " An integration manages the subscriptions of its own source (whichever of its clients made them) and needs no "
    "`act_for`; an admin manages all. Another source's subscription is 404."
)
SIGNING = (
    "Each delivery is a POST of the event exactly as `GET /events` shows it (with its `seq`), signed per Standard "
    "Webhooks: headers `webhook-id` (the delivery's id, the same on every attempt), `webhook-timestamp` (Unix "
    "seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`, space-separated when two "
    "secrets are valid). Verify with any Standard Webhooks library and your `whsec_` secret; answer 2xx quickly. "
    "A 410 disables the subscription; anything else, or no answer within the timeout, is retried after 0 s, 5 s, "
    "5 min, 30 min, 2 h, 5 h, 10 h and 10 h (WEBHOOK_RETRY_SCHEDULE), then the delivery is `failed` and can be "
    "replayed. Redirects are not followed."
)


@router.post(
    "/webhooks",
    response_model=WebhookCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Subscribe to events",
    description=(
        "R-84. An integration's subscription receives the events about its own source's children, as its change "
        "feed does (R-80); an admin's receives every event. It receives events from now on; the change feed has "
        "the earlier ones. The answer shows the `secret` this once. The `url` is `https` (loopback `http` only when "
        "the service allows it) and may not carry a user name or password, nor point at a link-local or cloud "
        "metadata address." + WHO + " " + SIGNING
    ),
    responses=error_responses(401, 403, 422),
)
def create_webhook(principal: Manager, body: WebhookCreate, session: SessionDep, settings: SettingsDep) -> WebhookCreated:
    return service.create(session, principal, settings, body)


@router.get(
    "/webhooks",
    response_model=Page[WebhookRead],
    summary="List webhook subscriptions",
    description="The subscriptions the caller manages, oldest first." + WHO,
    responses=error_responses(401, 403, 422),
)
def list_webhooks(managed: SubscriptionFilter, session: SessionDep, page: PageParamsDep) -> Page[WebhookRead]:
    return service.subscriptions_page(session, managed, page)


@router.get(
    "/webhooks/{webhook_id}",
    response_model=WebhookRead,
    summary="Read a webhook subscription",
    description="Its state: `disabled` with `disabled_reason` after a 410 or days of failures." + WHO,
    responses=error_responses(401, 403, 404, 422),
)
def get_webhook(subscription: ManagedSubscription) -> WebhookRead:
    return service.read(subscription)


@router.delete(
    "/webhooks/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a webhook subscription",
    description="Stops deliveries at once and forgets its delivery log (the audit log keeps the subscription's history)." + WHO,
    responses=error_responses(401, 403, 404, 422),
)
def delete_webhook(subscription: ManagedSubscription, principal: Manager, session: SessionDep) -> Response:
    service.remove(session, principal, subscription)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/webhooks/{webhook_id}/secret",
    response_model=SecretRotated,
    summary="Rotate the signing secret",
    description=(
        "A new `whsec_` secret, shown this once. For 24 hours deliveries carry a signature by each secret, so the "
        "receiver can switch over without losing any." + WHO
    ),
    responses=error_responses(401, 403, 404, 422),
)
def rotate_secret(subscription: ManagedSubscription, principal: Manager, session: SessionDep, settings: SettingsDep) -> SecretRotated:
    return service.rotate(session, principal, settings, subscription)


@router.post(
    "/webhooks/{webhook_id}/enable",
    response_model=WebhookRead,
    summary="Enable a disabled subscription",
    description=(
        "After a 410 or days of failures disabled it: deliveries resume, including the events that came while it "
        "was disabled." + WHO
    ),
    responses=error_responses(401, 403, 404, 422),
)
def enable_webhook(subscription: ManagedSubscription, principal: Manager, session: SessionDep) -> WebhookRead:
    return service.read(service.enable(session, principal, subscription))


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response_model=Page[DeliveryRead],
    summary="The delivery log",
    description="Each event sent to the subscription, oldest first, with every attempt's time, status code and error, and the next attempt's time." + WHO,
    responses=error_responses(401, 403, 404, 422),
)
def list_deliveries(
    subscription: ManagedSubscription,
    session: SessionDep,
    page: PageParamsDep,
    status: Annotated[DeliveryStatus | None, Query(description="Only deliveries in this state, e.g. `failed`.")] = None,
) -> Page[DeliveryRead]:
    return service.deliveries_page(session, subscription, page, status)


@router.post(
    "/webhooks/{webhook_id}/deliveries/{delivery_id}/retry",
    response_model=DeliveryRead,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send a delivery again",
    description="Queued for the next free worker: a `failed` delivery replayed, or a delivered one sent again. 409 while the subscription is disabled." + WHO,
    responses=error_responses(401, 403, 404, 409, 422),
)
def retry_delivery(
    subscription: ManagedSubscription, delivery: ManagedDelivery, principal: Manager, session: SessionDep
) -> DeliveryRead:
    return service.retry(session, principal, subscription, delivery)

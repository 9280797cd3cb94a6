"""Tables of webhook subscriptions, their deliveries and each delivery's attempts (R-84)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, ForeignKey, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.models import enum_column, new_id
from app.core.types import JSONDocument, UTCDateTime


class SubscriptionStatus(StrEnum):
    active = "active"
    disabled = "disabled"  # by a 410 Gone, or failing for days on end; `disabled_reason` says which


class DeliveryStatus(StrEnum):
    pending = "pending"  # an attempt is due at `next_attempt_at`
    succeeded = "succeeded"  # the receiver answered 2xx
    failed = "failed"  # the schedule ran out (or the subscription was disabled); replayable


class WebhookSubscription(SQLModel, table=True):
    __tablename__ = "webhook_subscription"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    # The child source whose events it receives; None: every event (an admin's).
    source: str | None = Field(default=None, max_length=32, index=True)
    owner_sub: str = Field(max_length=255)
    url: str = Field(max_length=2000)
    event_types: list[str] = Field(default_factory=list, sa_type=JSONDocument)
    status: SubscriptionStatus = Field(sa_type=enum_column(SubscriptionStatus), default=SubscriptionStatus.active)
    # Fernet tokens of the secret, and of the one it replaced while that stays valid.
    secret_sealed: str = Field(max_length=500)
    previous_secret_sealed: str | None = Field(default=None, max_length=500)
    previous_secret_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1
    # The outbox `seq` up to which events have been turned into deliveries.
    cursor: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    # Which worker is delivering for it, until when (a worker that dies loses it then).
    leased_by: str | None = Field(default=None, max_length=100)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    failing_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    disabled_reason: str | None = Field(default=None, max_length=500)


class WebhookDelivery(SQLModel, table=True):
    """One event for one subscription; its id is the `webhook-id` header, the same on every attempt."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("subscription_id", "event_seq"),
        Index("ix_webhook_delivery_due", "subscription_id", "status", "next_attempt_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    subscription_id: uuid.UUID = Field(sa_column=Column(ForeignKey("webhook_subscription.id", ondelete="CASCADE"), nullable=False))
    event_seq: int = Field(sa_column=Column(BigInteger, nullable=False))
    event_id: uuid.UUID
    event_type: str = Field(max_length=100)
    status: DeliveryStatus = Field(sa_type=enum_column(DeliveryStatus), default=DeliveryStatus.pending)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_status_code: int | None = None
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookAttempt(SQLModel, table=True):
    __tablename__ = "webhook_attempt"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    delivery_id: uuid.UUID = Field(sa_column=Column(ForeignKey("webhook_delivery.id", ondelete="CASCADE"), nullable=False, index=True))
    number: int
    at: datetime = Field(sa_type=UTCDateTime)
    status_code: int | None = None
    # What went wrong, in the service's words ("timed out", "connection refused"); never the
    # receiver's body, which could carry anything.
    error: str | None = Field(default=None, max_length=200)
    duration_ms: int
    worker: str = Field(max_length=100)

"""Shapes of webhook subscriptions and their delivery log (R-84)."""

from __future__ import annotations

import uuid

from pydantic import Field

from app.core.outbox import EVENT_TYPES
from app.core.schemas import InputModel, OutputModel, UTCInstant
from app.webhooks.models import DeliveryStatus, SubscriptionStatus

_URL = "https://case-records.example.gov.uk/hooks/contact-service"

# What `event_types` may hold, in the document as the service checks it: a type, a family
# (`session.*`) or everything (`*`).
SUBSCRIBABLE = [*sorted(EVENT_TYPES), *sorted({f"{t.split('.')[0]}.*" for t in EVENT_TYPES}), "*"]


class WebhookCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {"examples": [{"url": _URL, "event_types": ["referral.decided", "session.cancelled"]}]}
    }

    url: str = Field(
        min_length=1, max_length=2000,
        description="Where events are POSTed: `https`, with no user name or password (R-84).",
    )
    event_types: list[str] = Field(
        min_length=1, max_length=100, json_schema_extra={"items": {"type": "string", "enum": SUBSCRIBABLE}},
        description='Event types as in the change feed (`referral.decided`), a family (`session.*`), or `["*"]` for all.',
    )


class AttemptRead(OutputModel):
    number: int
    at: UTCInstant
    status_code: int | None = Field(description="The receiver's HTTP status; null when none came (timeout, refused).")
    error: str | None
    duration_ms: int


class DeliveryRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "c6a1f0de-7d0b-4a57-9a3e-2f1b8c4d5e60",
                    "event_id": "9a3e2f7c-1b1d-4c55-a1f3-2c0e9b8d7f60",
                    "event_seq": 42,
                    "event_type": "referral.decided",
                    "status": "pending",
                    "attempt_count": 2,
                    "next_attempt_at": "2026-12-01T09:05:05Z",
                    "created_at": "2026-12-01T09:00:00Z",
                    "last_attempt_at": "2026-12-01T09:00:05Z",
                    "last_status_code": 503,
                    "delivered_at": None,
                    "attempts": [
                        {"number": 1, "at": "2026-12-01T09:00:00Z", "status_code": None, "error": "timed out", "duration_ms": 5001},
                        {"number": 2, "at": "2026-12-01T09:00:05Z", "status_code": 503, "error": "answered 503", "duration_ms": 12},
                    ],
                }
            ]
        }
    }

    id: uuid.UUID = Field(description="Also the `webhook-id` header, the same on every attempt: receivers deduplicate on it.")
    event_id: uuid.UUID
    event_seq: int
    event_type: str
    status: DeliveryStatus
    attempt_count: int
    next_attempt_at: UTCInstant | None
    created_at: UTCInstant
    last_attempt_at: UTCInstant | None
    last_status_code: int | None
    delivered_at: UTCInstant | None
    attempts: list[AttemptRead]


class WebhookRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "5b0f3c1e-2f0a-4d7e-8a51-6e0c9d2b7a14",
                    "url": _URL,
                    "event_types": ["referral.decided", "session.cancelled"],
                    "source": "framework",
                    "owner_sub": "framework-i",
                    "status": "active",
                    "created_at": "2026-12-01T09:00:00Z",
                    "updated_at": "2026-12-01T09:00:00Z",
                    "previous_secret_expires_at": None,
                    "failing_since": None,
                    "disabled_at": None,
                    "disabled_reason": None,
                }
            ]
        }
    }

    id: uuid.UUID
    url: str
    event_types: list[str]
    source: str | None = Field(description="The child source whose events it receives; null: every event (an admin's).")
    owner_sub: str
    status: SubscriptionStatus
    created_at: UTCInstant
    updated_at: UTCInstant
    previous_secret_expires_at: UTCInstant | None = Field(
        description="After a rotation, until when deliveries are signed with the old secret too."
    )
    failing_since: UTCInstant | None = Field(description="Since when every attempt has failed; disabled after WEBHOOK_DISABLE_AFTER_DAYS.")
    disabled_at: UTCInstant | None
    disabled_reason: str | None


class WebhookCreated(WebhookRead):
    secret: str = Field(description="`whsec_...`: shown this once; verify each delivery's `webhook-signature` with it.")


class SecretRotated(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "5b0f3c1e-2f0a-4d7e-8a51-6e0c9d2b7a14",
                    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                    "previous_secret_expires_at": "2026-12-02T09:00:00Z",
                }
            ]
        }
    }

    id: uuid.UUID
    secret: str = Field(description="The new `whsec_...` secret, shown this once.")
    previous_secret_expires_at: UTCInstant = Field(description="Until when the old secret still signs deliveries too (24 hours).")

"""Shapes of the change feed and the audit log."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import Field

from app.core.schemas import OutputModel, UTCInstant


class EventRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "seq": 42,
                    "id": "9a3e2f7c-1b1d-4c55-a1f3-2c0e9b8d7f60",
                    "type": "child.updated",
                    "occurred_at": "2026-11-20T09:00:00Z",
                    "subject_id": "0b9f7a52-6f55-4b8e-9d3c-3c1f3e7f2a10",
                    "data": {"child_id": "0b9f7a52-6f55-4b8e-9d3c-3c1f3e7f2a10", "version": 2, "changed": ["area"]},
                }
            ]
        }
    }

    seq: int = Field(description="The event's place in the feed: later events have larger ones (webhook receivers order by it).")
    id: uuid.UUID
    type: str
    occurred_at: UTCInstant
    subject_id: str
    data: dict[str, Any]


class EventPage(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [{"items": EventRead.model_config["json_schema_extra"]["examples"], "next_cursor": "WzQyXQ"}]  # type: ignore[index]
        }
    }

    items: list[EventRead]
    next_cursor: str | None = Field(
        description="Where to resume: pass it as `after` next time. Kept even on the last page, so a poller never re-reads."
    )


class AuditEntryRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "seq": 41,
                    "at": "2026-11-20T09:00:00Z",
                    "subject": "sw-0107",
                    "role": "social_worker",
                    "act_for": None,
                    "action": "child.updated",
                    "entity_type": "child",
                    "entity_id": "0b9f7a52-6f55-4b8e-9d3c-3c1f3e7f2a10",
                    "before": {"area": "north"},
                    "after": {"area": "south"},
                    "request_id": "3f1c0c9a2b7e4d3c",
                    "prev_hash": "5e88...",
                    "hash": "a1b2...",
                }
            ]
        }
    }

    seq: int
    at: UTCInstant
    subject: str
    role: str
    act_for: str | None
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
    prev_hash: str
    hash: str

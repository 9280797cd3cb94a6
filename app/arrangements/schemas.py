"""What the API gives for arrangements."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import Field

from app.arrangements.models import ArrangementStatus
from app.core.schemas import OutputModel, UTCInstant
from app.referrals.models import Level, Outcome


class ArrangementRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "referral_id": "7c0d3a2e-8a51-4f0e-9b42-1d5e3f9a6b70",
                    "child_id": "0b9f7a52-6f55-4b8e-9d3c-3c1f3e7f2a10",
                    "status": "active",
                    "basis": "accepted_core",
                    "level": "supervised",
                    "room_only": False,
                    "court_arena": True,
                    "review_by": None,
                    "breach_count": 0,
                    "flags": [],
                    "opened_at": "2026-11-24T10:00:00Z",
                    "closed_at": None,
                }
            ]
        }
    }

    id: uuid.UUID
    referral_id: uuid.UUID
    child_id: uuid.UUID
    status: ArrangementStatus
    basis: Outcome = Field(description="The decision that opened it: core offer or exceptional.")
    level: Level
    room_only: bool
    court_arena: bool
    review_by: date | None = Field(description="For an exceptional acceptance, the end of its time limit.")
    breach_count: int
    flags: list[str] = Field(default_factory=list, description="Open flags, such as a needed s34 application (R-54).")
    opened_at: UTCInstant
    closed_at: UTCInstant | None

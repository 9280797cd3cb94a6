"""What the API gives for arrangements."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from pydantic import Field

from app.arrangements.models import ArrangementStatus
from app.core.schemas import DocumentText, InputModel, LongText, OutputModel, UTCInstant
from app.referrals.models import Level, Outcome


class AgreementState(OutputModel):
    version: int
    fully_signed: bool
    unsigned: int = Field(description="How many parties are yet to sign.")


class NextReview(OutputModel):
    kind: str = Field(description="contact_service, supervised or lac (R-55a).")
    due_on: date
    overdue: bool


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
    flags: list[str] = Field(
        default_factory=list,
        description=(
            "Open flags: `s34_application_needed` (R-54a), `placing_authority_notification_due` (an emergency "
            "restriction, R-53a), `restricted`, `review_meeting_due` or `review_meeting_overdue` (R-52), `exit_plan_overdue` (R-55a)."
        ),
    )
    opened_at: UTCInstant
    suspended_at: UTCInstant | None = None
    review_meeting_due_by: UTCInstant | None = Field(default=None, description="While suspended: the review meeting is due by this day (R-52).")
    resumed_at: UTCInstant | None = None
    s34_applied_on: date | None = Field(default=None, description="When the s34 application was made (R-54a).")
    s34_court_reference: str | None = None
    closed_at: UTCInstant | None
    next_reviews: list[NextReview] = Field(default_factory=list, description="The next review due of each kind, soonest first (R-55a).")
    agreement: AgreementState | None = Field(default=None, description="The current written agreement's state (R-50); none yet is null.")


class ResumeRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "status": "active",
                    "resumed_sessions": ["9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d"],
                    "clashes": [
                        {
                            "session_id": "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e",
                            "starts_at": "2026-12-08T16:00:00Z",
                            "clashes": [{"session_id": "6f7a8b9c-0d1e-4f2a-b3c4-d5e6f7a8b9c0", "on": ["room"]}],
                        }
                    ],
                }
            ]
        }
    }

    arrangement_id: uuid.UUID
    status: ArrangementStatus
    resumed_sessions: list[uuid.UUID] = Field(description="Held sessions booked again.")
    clashes: list[dict[str, Any]] = Field(description="Held sessions whose slot was taken meanwhile: still on hold, to move or cancel.")


class CloseCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {"examples": [{"reason": "Review meeting: contact to end.", "exit_plan": "Letterbox contact twice a year."}]}
    }

    reason: LongText
    exit_plan: DocumentText


class CloseRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "status": "closed",
                    "cancelled_sessions": ["9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d"],
                }
            ]
        }
    }

    arrangement_id: uuid.UUID
    status: ArrangementStatus
    cancelled_sessions: list[uuid.UUID]

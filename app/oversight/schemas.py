"""What the API takes and gives for restrictions, notices and the s34 application (R-53, R-54)."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import Field, StrictBool, StrictInt

from app.core.schemas import Day, DocumentText, InputModel, InstantIn, LongText, OutputModel, ShortText, UTCInstant
from app.arrangements.models import ArrangementStatus
from app.oversight.models import DisputeStep, Flag, NoticeMethod, Resolution, RestrictionKind, ReviewKind
from app.referrals.models import Level


class NoticeCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {"examples": [{"recipient": "placing_authority", "sent_at": "2026-12-01T11:00:00Z", "method": "email"}]}
    }

    recipient: ShortText = Field(description="Who was given written notice: a person or a role (`placing_authority` for the placing authority).")
    sent_at: InstantIn = Field(description="When it was sent; not in the future.")
    method: NoticeMethod


class NoticeRead(OutputModel):
    recipient: str
    sent_at: UTCInstant
    method: NoticeMethod


class Changes(InputModel):
    """What a `restrict` changes (R-53a); at least one."""

    frequency: ShortText | None = Field(default=None, description="For example 'fortnightly'.")
    duration_minutes: StrictInt | None = Field(default=None, ge=15, le=480)
    level: Level | None = Field(default=None, description="The supervision level from now on.")
    people: list[uuid.UUID] | None = Field(default=None, max_length=20, description="Who may attend from now on.")


class RestrictionCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "kind": "suspend",
                    "reason": "Concerns raised at the last session are being assessed.",
                    "starts_on": "2026-12-01",
                    "ends_on": "2026-12-14",
                    "emergency": False,
                    "notices": [{"recipient": "mum", "sent_at": "2026-12-01T11:00:00Z", "method": "letter"}],
                }
            ]
        }
    }

    kind: RestrictionKind
    reason: LongText = Field(description="Why; it reaches the written notices, so it is checked for names and addresses (R-82).")
    starts_on: Day = Field(description="A suspension or termination starts today or earlier: it takes effect at once.")
    ends_on: Day | None = Field(default=None, description="Not before `starts_on`; none for an open-ended one.")
    changes: Changes | None = Field(default=None, description="For `restrict` only: what changes.")
    emergency: StrictBool = Field(default=False, description="Made by a team leader without the social worker: the placing authority must be told within 24 hours.")
    notices: list[NoticeCreate] = Field(default_factory=list, max_length=50)


class RestrictionRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
                    "arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "kind": "suspend",
                    "reason": "Concerns raised at the last session are being assessed.",
                    "starts_on": "2026-12-01",
                    "ends_on": None,
                    "changes": None,
                    "emergency": True,
                    "authorised_by": "tl-1",
                    "authorised_at": "2026-12-01T10:00:00Z",
                    "placing_authority_notify_by": "2026-12-02T10:00:00Z",
                    "placing_authority_notified_at": None,
                    "notices": [],
                }
            ]
        }
    }

    id: uuid.UUID
    arrangement_id: uuid.UUID
    kind: RestrictionKind
    reason: str
    starts_on: date
    ends_on: date | None
    changes: dict | None  # type: ignore[type-arg]
    emergency: bool
    authorised_by: str
    authorised_at: UTCInstant
    placing_authority_notify_by: UTCInstant | None = Field(description="An emergency restriction: the placing authority is told by then (R-04).")
    placing_authority_notified_at: UTCInstant | None
    notices: list[NoticeRead]


class S34ApplicationCreate(InputModel):
    model_config = InputModel.model_config | {"json_schema_extra": {"examples": [{"applied_on": "2026-12-08", "court_reference": "NG26C00123"}]}}

    applied_on: Day = Field(description="When the application to court was made; not in the future.")
    court_reference: ShortText


class ReviewCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "kind": "supervised",
                    "held_on": "2026-12-01",
                    "attended": ["team leader", "social worker", "mum"],
                    "outcome": "Contact continues weekly; the next review in six weeks.",
                }
            ]
        }
    }

    kind: ReviewKind
    held_on: Day = Field(description="When it was held; not in the future.")
    attended: list[ShortText] = Field(min_length=1, max_length=30, description="Who attended, by name or role.")
    outcome: DocumentText = Field(
        description="What was decided; checked for names and the withheld address (R-82)."
    )
    lac_number: StrictInt | None = Field(default=None, ge=1, le=100, description="For a LAC review: its number (the first, second, ...).")
    next_due_on: Day | None = Field(
        default=None, description="The next review of this kind; computed for contact service and supervised reviews when left out."
    )
    exit_plan: DocumentText | None = Field(
        default=None, description="The exit plan agreed, when there is one (expected by the third LAC review, 004 s14)."
    )


class ReviewRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
                    "arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "kind": "supervised",
                    "held_on": "2026-12-01",
                    "attended": ["team leader", "social worker", "mum"],
                    "outcome": "Contact continues weekly; the next review in six weeks.",
                    "lac_number": None,
                    "next_due_on": "2027-01-12",
                    "recorded_by": "tl-1",
                    "recorded_at": "2026-12-01T15:00:00Z",
                }
            ]
        }
    }

    id: uuid.UUID
    arrangement_id: uuid.UUID
    kind: ReviewKind
    held_on: date
    attended: list[str]
    outcome: str
    lac_number: int | None
    next_due_on: date | None
    recorded_by: str
    recorded_at: UTCInstant


class ReviewDueRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "child_id": "0b9f7a52-6f55-4b8e-9d3c-3c1f3e7f2a10",
                    "area": "north",
                    "kind": "contact_service",
                    "due_on": "2027-02-24",
                    "overdue": False,
                }
            ]
        }
    }

    arrangement_id: uuid.UUID
    child_id: uuid.UUID
    area: str
    kind: ReviewKind
    due_on: date
    overdue: bool


class DisputeCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {"examples": [{"concern": "The social worker disagrees with reducing contact to fortnightly."}]}
    }

    concern: DocumentText = Field(description="What the dispute is about.")


class StepCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {"step": "team_leader", "held_on": "2026-12-01", "who": ["team leader", "social worker"], "outcome": "No agreement yet."},
                {
                    "step": "resolved", "held_on": "2026-12-20", "who": ["management team"], "outcome": "Continues by exception.",
                    "resolution": "exceptionality", "review_on": "2027-03-20",
                },
            ]
        }
    }

    step: DisputeStep = Field(description="The next rung of the ladder (004 s15), or `resolved` from any step.")
    held_on: Day = Field(description="When; not in the future, not before the previous step.")
    who: list[ShortText] = Field(min_length=1, max_length=30, description="Who took part, by name or role.")
    outcome: DocumentText
    resolution: Resolution | None = Field(default=None, description="With `resolved`: how it ended.")
    review_on: Day | None = Field(default=None, description="With an `exceptionality` resolution: when it is reviewed.")


class StepRead(OutputModel):
    step: DisputeStep
    held_on: date
    who: list[str]
    outcome: str
    resolution: Resolution | None
    review_on: date | None
    recorded_by: str
    recorded_at: UTCInstant


class DisputeRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a",
                    "arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "concern": "The social worker disagrees with reducing contact to fortnightly.",
                    "raised_by": "sw-1",
                    "raised_at": "2026-12-01T10:00:00Z",
                    "status": "open",
                    "step": "team_leader",
                    "next_step": "review_form",
                    "resolution": None,
                    "resolved_at": None,
                    "review_on": None,
                    "steps": [],
                }
            ]
        }
    }

    id: uuid.UUID
    arrangement_id: uuid.UUID
    concern: str
    raised_by: str
    raised_at: UTCInstant
    status: str = Field(description="`open` or `resolved`.")
    step: DisputeStep | None = Field(description="The last step taken; none yet right after it was raised.")
    next_step: DisputeStep | None = Field(description="The only rung that may be taken next; none at the top or once resolved.")
    resolution: Resolution | None
    resolved_at: UTCInstant | None
    review_on: date | None
    steps: list[StepRead]


class FlaggedRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "child_id": "0b9f7a52-6f55-4b8e-9d3c-3c1f3e7f2a10",
                    "area": "north",
                    "status": "closed",
                    "flags": ["s34_application_needed"],
                }
            ]
        }
    }

    arrangement_id: uuid.UUID
    child_id: uuid.UUID
    area: str
    status: ArrangementStatus
    flags: list[Flag]

"""What the API takes and gives for referrals, decisions and the queue."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from pydantic import Field, StrictBool, StrictInt, StringConstraints, model_validator

from app.children.models import RiskFactor
from app.core.schemas import InputModel, InstantIn, LongText, OutputModel, ShortText, UTCInstant
from app.referrals.models import FrequencyPer, Level, Outcome, Purpose, ReferralStatus, RiskLevel

Note = Annotated[str, StringConstraints(min_length=1, max_length=2000)]

EXAMPLE_REFERRAL = {
    "child_id": "0b9f7a52-6f55-4b8e-9d3c-3c1f3e7f2a10",
    "people": ["5d1c7f0e-2b7a-4a43-8d8e-6f0f2f6e9b11"],
    "purpose": ["relationships", "rehabilitation_evidence"],
    "level": "supervised",
    "frequency": {"times": 2, "per": "week"},
    "duration_minutes": 90,
    "risk_assessment": {
        "factors": [{"factor": "substance_misuse", "level": "medium", "note": "Mum attends a recovery programme."}],
        "summary": "Supervision needed to evidence the rehabilitation plan.",
    },
    "transport": {"reason": "Foster carer works full time.", "evidence": "Carer's work rota supplied."},
    "urgent": {"called_at": "2026-11-23T09:10:00Z", "caller": "sw-0107"},
    "court_arena": True,
}


class Frequency(InputModel):
    times: StrictInt = Field(ge=1, le=14, description="Sessions per period.")
    per: FrequencyPer


class RiskFactorAssessment(InputModel):
    factor: RiskFactor
    level: RiskLevel
    note: Note


class RiskAssessment(InputModel):
    factors: list[RiskFactorAssessment] = Field(
        max_length=len(RiskFactor), description="Each known risk factor once, with its level and a note; empty if none is known."
    )
    summary: Note | None = None

    @model_validator(mode="after")
    def _each_factor_once(self) -> RiskAssessment:
        seen = [f.factor for f in self.factors]
        if len(seen) != len(set(seen)):
            raise ValueError("each risk factor may appear once")
        return self


class TransportAsk(InputModel):
    """R-12: transport needs the reason the carer cannot, and the evidence."""

    reason: LongText
    evidence: LongText


class AlternativeVenue(InputModel):
    """R-12: a venue other than a contact centre needs its reason."""

    description: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    reason: LongText


class UrgentCall(InputModel):
    """R-14: the supplementary telephone request to the team leaders."""

    called_at: InstantIn
    caller: ShortText


class ReferralCreate(InputModel):
    model_config = InputModel.model_config | {"json_schema_extra": {"examples": [EXAMPLE_REFERRAL]}}

    child_id: uuid.UUID
    people: list[uuid.UUID] = Field(min_length=1, max_length=30, description="Ids of people in the child's network.")
    purpose: list[Purpose] = Field(min_length=1, max_length=len(Purpose))
    purpose_detail: LongText | None = None
    level: Level
    frequency: Frequency
    duration_minutes: StrictInt = Field(ge=15, le=480)
    risk_assessment: RiskAssessment
    transport: TransportAsk | None = None
    alternative_venue: AlternativeVenue | None = None
    urgent: UrgentCall | None = None
    court_arena: StrictBool | None = Field(default=None, description="Defaults to the child's court arena flag.")

    @model_validator(mode="after")
    def _distinct(self) -> ReferralCreate:
        if len(set(self.people)) != len(self.people):
            raise ValueError("people: each person once")
        return self


class Submission(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {"examples": [{"received_at": "2026-11-23T09:00:00Z"}, {}]}
    }

    received_at: InstantIn | None = Field(
        default=None, description="Integration only: when the case-record system received it (never in the future)."
    )


class Approval(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {"examples": [{"note": "Agreed: supervised contact is needed to evidence the rehabilitation plan."}]}
    }

    note: Note | None = None


class Triage(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {"examples": [{"note": "Urgent: court hearing on 4 December; room at Arnold needed this week."}]}
    }

    note: Note | None = None


class Withdrawal(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {"examples": [{"reason": "The child has returned home under a supervision order; contact is arranged by the family."}]}
    }

    reason: LongText


class DecisionCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {"outcome": "accepted_exceptional", "rationale": "Risk of disruption to placement.", "review_by": "2027-02-23"},
                {"outcome": "declined", "reason": "Contact can be supported by the foster carer."},
            ]
        }
    }

    outcome: Outcome
    reason: LongText | None = Field(default=None, description="Required to decline; read by the social worker.")
    rationale: LongText | None = Field(default=None, description="Required for an exceptional acceptance.")
    review_by: date | None = Field(default=None, description="Required for an exceptional acceptance: its time limit.")
    room_only: StrictBool = Field(default=False, description="Supported contact accepted as a room only (R-15).")


class FrequencyRead(OutputModel):
    times: int
    per: FrequencyPer


class DecisionRead(OutputModel):
    outcome: Outcome
    reason: str | None
    rationale: str | None
    review_by: date | None
    room_only: bool
    alternative_route: str | None
    decided_at: UTCInstant
    decided_by: str
    notified_at: UTCInstant | None
    missed_deadline: bool = Field(description="Declined and notified after decision_due_at (R-16).")
    arrangement_id: uuid.UUID | None


class ReferralRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "7c0d3a2e-8a51-4f0e-9b42-1d5e3f9a6b70",
                    "status": "submitted",
                    "child_id": EXAMPLE_REFERRAL["child_id"],
                    "social_worker_sub": "sw-0107",
                    "received_at": "2026-11-23T09:00:00Z",
                    "decision_due_at": "2026-11-30T23:59:59.999Z",
                    "triage_due_at": "2026-11-24T09:10:00Z",
                    "decision": None,
                }
            ]
        }
    }

    id: uuid.UUID
    status: ReferralStatus
    version: int
    child_id: uuid.UUID
    social_worker_sub: str
    team: str | None
    area: str
    people: list[uuid.UUID]
    purpose: list[Purpose]
    purpose_detail: str | None
    level: Level
    frequency: FrequencyRead
    duration_minutes: int
    risk_assessment: dict[str, Any]
    transport: dict[str, str] | None
    alternative_venue: dict[str, str] | None
    urgent: dict[str, Any] | None
    court_arena: bool
    created_at: UTCInstant
    approved_by: str | None
    approved_at: UTCInstant | None
    received_at: UTCInstant | None
    decision_due_at: UTCInstant | None
    triage_due_at: UTCInstant | None
    triaged_at: UTCInstant | None
    triage_missed: bool = Field(description="An urgent referral triaged after triage_due_at (R-16).")
    decision: DecisionRead | None
    withdrawn_at: UTCInstant | None
    withdrawn_reason: str | None


class QueueItem(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "7c0d3a2e-8a51-4f0e-9b42-1d5e3f9a6b70",
                    "child_id": EXAMPLE_REFERRAL["child_id"],
                    "child_name": "Amara O.",
                    "social_worker_sub": "sw-0107",
                    "area": "north",
                    "level": "supervised",
                    "urgent": True,
                    "court_arena": True,
                    "received_at": "2026-11-23T09:00:00Z",
                    "decision_due_at": "2026-11-30T23:59:59.999Z",
                    "triage_due_at": "2026-11-24T09:10:00Z",
                    "triaged_at": None,
                    "due_at": "2026-11-24T09:10:00Z",
                    "seconds_left": 3600,
                    "overdue": False,
                }
            ]
        }
    }

    id: uuid.UUID
    child_id: uuid.UUID
    child_name: str = Field(description="First name and the initial of the last name.")
    social_worker_sub: str
    area: str
    level: Level
    urgent: bool
    court_arena: bool
    received_at: UTCInstant
    decision_due_at: UTCInstant
    triage_due_at: UTCInstant | None
    triaged_at: UTCInstant | None
    due_at: UTCInstant = Field(description="The next deadline: triage while untriaged, then the decision.")
    seconds_left: int = Field(description="Until due_at; negative once overdue.")
    overdue: bool


class DecisionResult(ReferralRead):
    arrangement_id: uuid.UUID | None

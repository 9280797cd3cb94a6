"""What the API takes and gives for transport, drivers and expenses."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import Field, StrictBool, StrictInt, StringConstraints, ValidationInfo, field_validator, model_validator

from app.core.schemas import Day, InputModel, LongText, OutputModel, UTCInstant
from app.transport.models import ExpenseKind, ExpenseStatus, Leg, Provider, TransportStatus

Address = Annotated[str, StringConstraints(min_length=1, max_length=500)]
MAX_EXPENSE_PENCE = 100_000  # £1,000: anything above is a typing slip, not a bus fare


class TransportCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "session_id": "6e3f2c74-8b77-4dad-9f5e-5e3a5a9a4c32",
                    "legs": ["to_venue", "from_venue"],
                    "pickup_address": "12 Elm Road, Arnold, NG5 6AB",
                    "reason": "Foster carer works full time.",
                    "evidence": "Carer's work rota supplied to the social worker.",
                }
            ]
        }
    }

    session_id: uuid.UUID | None = Field(default=None, description="One session; or give arrangement_id for all its sessions.")
    arrangement_id: uuid.UUID | None = Field(default=None, description="Every upcoming session of the arrangement.")
    legs: list[Leg] = Field(min_length=1, max_length=2, json_schema_extra={"uniqueItems": True})
    pickup_address: Address
    reason: LongText = Field(description="Why the carer cannot bring the child (R-31, 004 s4 p15).")
    evidence: LongText
    agency_agreement_excludes_transport: StrictBool = Field(
        default=False, description="For an IFA placement: the placement agreement says the agency does not transport (R-32)."
    )

    @field_validator("legs")
    @classmethod
    def _distinct(cls, value: list[Leg]) -> list[Leg]:
        if len(set(value)) != len(value):
            raise ValueError("each leg once")
        return value

    @model_validator(mode="after")
    def _one_target(self) -> TransportCreate:
        if (self.session_id is None) == (self.arrangement_id is None):
            raise ValueError("give exactly one of session_id and arrangement_id")
        return self


class TransportDecision(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {"approve": True},
                {"approve": False, "reason": "The foster carer's rota shows she is free on Saturdays; she can bring the child."},
            ]
        }
    }

    approve: StrictBool
    reason: LongText | None = Field(default=None, description="Required to decline.")


class DriverAssignment(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {"driver_id": "3e7d9b1a-52c4-4f6e-9a8b-0c1d2e3f4a5b"},
                {"driver_id": "3e7d9b1a-52c4-4f6e-9a8b-0c1d2e3f4a5b", "change_reason": "The usual driver is on leave this week."},
            ]
        }
    }

    driver_id: uuid.UUID
    change_reason: LongText | None = Field(default=None, description="Required when it is not the arrangement's usual driver (R-33).")


class TransportCancel(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {"examples": [{"reason": "The foster carer will bring the child herself from now on."}]}
    }

    reason: LongText


class TransportRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                    "arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "child_id": "0b9f7a52-6f55-4b8e-9d3c-3c1f3e7f2a10",
                    "session_id": "6e3f2c74-8b77-4dad-9f5e-5e3a5a9a4c32",
                    "legs": ["to_venue", "from_venue"],
                    "pickup_address": None,
                    "address_withheld": True,
                    "reason": "Foster carer works full time.",
                    "evidence": "Carer's work rota supplied.",
                    "provider": "volunteer",
                    "status": "driver_assigned",
                    "decline_reason": None,
                    "driver_id": "7b6a5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
                    "driver_change_reason": None,
                    "created_at": "2026-11-24T09:00:00Z",
                    "version": 3,
                }
            ]
        }
    }

    id: uuid.UUID
    arrangement_id: uuid.UUID
    child_id: uuid.UUID
    session_id: uuid.UUID | None
    legs: list[Leg]
    pickup_address: str | None = Field(description="Null for callers the child's address is withheld from (R-08).")
    address_withheld: bool
    reason: str
    evidence: str
    provider: Provider
    status: TransportStatus
    decline_reason: str | None
    driver_id: uuid.UUID | None
    driver_change_reason: str | None
    created_at: UTCInstant
    version: int


class DriverCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {"examples": [{"name": "Pat Hughes", "area": "north", "dbs_checked_on": "2025-03-01", "dbs_expires_on": "2028-03-01"}]}
    }

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    area: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    dbs_checked_on: Day
    dbs_expires_on: Day

    @field_validator("dbs_expires_on")
    @classmethod
    def _order(cls, value: date, info: ValidationInfo) -> date:
        # A field validator, not a model one, so the 422 names `dbs_expires_on`.
        checked = info.data.get("dbs_checked_on")
        if checked is not None and value <= checked:
            raise ValueError(f"must be after dbs_checked_on ({checked.isoformat()})")
        return value


class DriverRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {"id": "7b6a5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d", "name": "Pat Hughes", "area": "north", "dbs_checked_on": "2025-03-01", "dbs_expires_on": "2028-03-01"}
            ]
        }
    }

    id: uuid.UUID
    name: str
    area: str | None
    dbs_checked_on: date
    dbs_expires_on: date


class JourneyRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "transport_request_id": "8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                    "session_id": "6e3f2c74-8b77-4dad-9f5e-5e3a5a9a4c32",
                    "leg": "to_venue",
                    "starts_at": "2026-12-01T15:00:00Z",
                    "ends_at": "2026-12-01T16:00:00Z",
                }
            ]
        }
    }

    transport_request_id: uuid.UUID
    session_id: uuid.UUID
    leg: Leg
    starts_at: UTCInstant
    ends_at: UTCInstant


class ExpenseCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "person_id": "5d1c7f0e-2b7a-4a43-8d8e-6f0f2f6e9b11",
                    "amount_pence": 640,
                    "purpose": "Return bus fare to the contact centre",
                    "incurred_on": "2026-11-20",
                    "kind": "travel",
                }
            ]
        }
    }

    arrangement_id: uuid.UUID
    person_id: uuid.UUID
    amount_pence: StrictInt = Field(ge=1, le=MAX_EXPENSE_PENCE, description="In pence; at most £1,000.")
    purpose: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    incurred_on: Day
    kind: ExpenseKind = ExpenseKind.travel


class ExpenseDecision(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {"approve": True},
                {"approve": False, "reason": "No receipt or ticket was given for the taxi fare."},
            ]
        }
    }

    approve: StrictBool
    reason: LongText | None = Field(default=None, description="Required to reject.")


class ExpenseRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    "arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "person_id": "5d1c7f0e-2b7a-4a43-8d8e-6f0f2f6e9b11",
                    "kind": "travel",
                    "amount_pence": 640,
                    "purpose": "Return bus fare to the contact centre",
                    "incurred_on": "2026-11-20",
                    "status": "approved",
                    "decided_by": "tl-1",
                    "decision_reason": None,
                    "created_at": "2026-11-21T09:00:00Z",
                }
            ]
        }
    }

    id: uuid.UUID
    arrangement_id: uuid.UUID
    person_id: uuid.UUID
    kind: ExpenseKind
    amount_pence: int
    purpose: str
    incurred_on: date
    status: ExpenseStatus
    decided_by: str | None
    decision_reason: str | None
    created_at: UTCInstant


class ExpenseTotal(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [{"arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d", "month": "2026-11", "status": "approved", "count": 3, "amount_pence": 1920}]
        }
    }

    arrangement_id: uuid.UUID
    month: str = Field(description="YYYY-MM of incurred_on.")
    status: ExpenseStatus
    count: int
    amount_pence: int

"""What the API takes and gives for children and people.

`ChildRead.placement_address` is filled only through `children.deps.child_read`, which
applies R-08: a withheld address goes to the child's social worker, team leaders and
service managers, and to nobody else.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import Field, StrictBool, StringConstraints

from app.children.models import LegalStatus, PlacementType, Relationship, RiskFactor
from app.core.schemas import Day, InputModel, InstantIn, LongText, Name, OutputModel, ShortText, Subject, UTCInstant

ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
Area = Annotated[str, StringConstraints(min_length=1, max_length=50)]


class AddressWithheld(InputModel):
    authorised_by: ShortText = Field(description="The manager who authorised withholding the address.")
    reason: LongText
    authorised_at: InstantIn | None = Field(
        default=None, description="Ignored: set by the service. Accepted so that a child read back can be sent back as it is."
    )


class ChildUpsert(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "first_name": "Amara",
                    "last_name": "Okafor",
                    "date_of_birth": "2017-03-14",
                    "legal_status": "interim_care_order",
                    "court_arena": True,
                    "placement_type": "foster",
                    "placement_address": "12 Elm Road, Arnold, NG5 6AB",
                    "address_withheld": {"authorised_by": "tm-0042", "reason": "Risk of abduction by father."},
                    "social_worker_sub": "sw-0107",
                    "area": "north",
                }
            ]
        }
    }

    first_name: Name
    last_name: Name
    date_of_birth: Day
    legal_status: LegalStatus
    # Strict: the document says boolean, so 0, 1 or "yes" are refused rather than coerced.
    court_arena: StrictBool = Field(description="In care proceedings (the court arena).")
    placement_type: PlacementType
    placement_address: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = Field(
        default=None,
        description=(
            "R-81: left out, it keeps the address known. `null` clears it only when sent by someone "
            "who may see it: a caller it is withheld from cannot erase what it cannot see."
        ),
    )
    address_withheld: AddressWithheld | None = Field(
        default=None,
        description=(
            "Set to withhold the placement address (R-08). R-81: left out, the current flag is kept; "
            "an explicit `null` with `lifted_reason` lifts it (the child's social worker, an "
            "integration acting for them, or a manager)."
        ),
    )
    lifted_reason: LongText | None = Field(
        default=None, description="Why a withheld address is lifted; needed with `address_withheld: null` (R-81)."
    )
    social_worker_sub: Subject = Field(description="`sub` of the allocated social worker.")
    team: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = Field(
        default=None, description="The social worker's team; its team manager can read the child. Defaults to the caller's `team` claim."
    )
    iro_sub: Subject | None = Field(default=None, description="`sub` of the Independent Reviewing Officer.")
    area: Area


class AddressWithheldRead(OutputModel):
    authorised_by: str
    reason: str
    authorised_at: UTCInstant | None


class ChildRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "0b9f7a52-6f55-4b8e-9d3c-3c1f3e7f2a10",
                    "source": "framework",
                    "external_id": "123456",
                    "first_name": "Amara",
                    "last_name": "Okafor",
                    "date_of_birth": "2017-03-14",
                    "legal_status": "interim_care_order",
                    "court_arena": True,
                    "placement_type": "foster",
                    "placement_address": None,
                    "address_withheld": {"authorised_by": "tm-0042", "reason": "Risk of abduction by father.", "authorised_at": "2026-11-02T10:15:00Z"},
                    "social_worker_sub": "sw-0107",
                    "team": "north-1",
                    "iro_sub": None,
                    "area": "north",
                    "version": 2,
                    "created_at": "2026-11-02T10:15:00Z",
                    "updated_at": "2026-11-20T09:00:00Z",
                }
            ]
        }
    }

    id: uuid.UUID
    source: str
    external_id: str
    first_name: str
    last_name: str
    date_of_birth: date
    legal_status: LegalStatus
    court_arena: bool
    placement_type: PlacementType
    placement_address: str | None = Field(description="Null when unknown, or when withheld from you (R-08).")
    address_withheld: AddressWithheldRead | None
    social_worker_sub: str
    team: str | None
    iro_sub: str | None
    area: str
    version: int = Field(description="Also sent as the ETag; send it back in If-Match to update safely.")
    created_at: UTCInstant
    updated_at: UTCInstant


class RiskFlag(InputModel):
    factor: RiskFactor
    note: Annotated[str, StringConstraints(min_length=1, max_length=1000)] | None = None


class PersonCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "first_name": "Grace",
                    "last_name": "Okafor",
                    "relationship": "mum",
                    "external_id": "P-88121",
                    "risk_flags": [{"factor": "substance_misuse", "note": "Attends a recovery programme."}],
                }
            ],
            # `other` needs its detail (a 422 naming `relationship_detail` otherwise).
            "if": {"properties": {"relationship": {"const": "other"}}, "required": ["relationship"]},
            "then": {"properties": {"relationship_detail": {"type": "string"}}, "required": ["relationship_detail"]},
        }
    }

    first_name: Name
    last_name: Name
    relationship: Relationship
    relationship_detail: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = Field(
        default=None, description="What the relationship is, when `relationship` is `other` (e.g. aunt)."
    )
    external_id: ExternalId | None = Field(default=None, description="The person's id in the case-record system.")
    risk_flags: list[RiskFlag] = Field(default_factory=list, max_length=20)


class PersonRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "5d1c7f0e-2b7a-4a43-8d8e-6f0f2f6e9b11",
                    "child_id": "0b9f7a52-6f55-4b8e-9d3c-3c1f3e7f2a10",
                    "external_id": "P-88121",
                    "first_name": "Grace",
                    "last_name": "Okafor",
                    "relationship": "mum",
                    "relationship_detail": None,
                    "risk_flags": [{"factor": "substance_misuse", "note": "Attends a recovery programme."}],
                    "created_at": "2026-11-02T10:20:00Z",
                }
            ]
        }
    }

    id: uuid.UUID
    child_id: uuid.UUID
    external_id: str | None
    first_name: str
    last_name: str
    relationship: Relationship
    relationship_detail: str | None
    risk_flags: list[RiskFlag]
    created_at: UTCInstant

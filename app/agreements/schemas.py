"""What the API takes and gives for written agreements and breaches (R-50 to R-52)."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from app.agreements.models import PartyRole, Severity, SigningMethod
from app.arrangements.models import ArrangementStatus
from app.core.schemas import DocumentText, InputModel, InstantIn, LongText, OutputModel, UTCInstant

Expectation = Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class Party(InputModel):
    person_id: uuid.UUID = Field(description="A person in the child's network.")
    role: PartyRole


class PartyRead(OutputModel):
    person_id: uuid.UUID
    role: PartyRole


class AgreementWrite(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "expectations": ["Arrive 10 minutes before the session starts.", "No discussion of the court case with the child."],
                    "breach_consequences": "A breach is recorded; a third breach, or any serious one, suspends contact.",
                    "parties": [{"person_id": "5d1e6f70-8a9b-4c0d-9e1f-2a3b4c5d6e7f", "role": "parent"}],
                }
            ]
        }
    }

    expectations: list[Expectation] = Field(min_length=1, max_length=50, description="What each party agrees to, one item each.")
    breach_consequences: DocumentText
    parties: list[Party] = Field(min_length=1, max_length=20, description="Who must sign: people of the child's network.")

    @model_validator(mode="after")
    def _distinct_parties(self) -> AgreementWrite:
        seen: set[uuid.UUID] = set()
        for index, party in enumerate(self.parties):
            if party.person_id in seen:
                raise ValueError(f"parties.{index}.person_id appears twice")
            seen.add(party.person_id)
        return self


class SignatureCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [{"person_id": "5d1e6f70-8a9b-4c0d-9e1f-2a3b4c5d6e7f", "signed_at": "2026-12-01T10:30:00Z", "method": "in_person"}]
        }
    }

    person_id: uuid.UUID
    signed_at: InstantIn = Field(description="When the party signed; not in the future, not before this version was written.")
    method: SigningMethod = Field(description="In person, remotely, or at a meeting: signing needs no meeting (004 s14).")


class SignatureRead(OutputModel):
    person_id: uuid.UUID
    signed_at: UTCInstant
    method: SigningMethod
    recorded_by: str
    recorded_at: UTCInstant


class AgreementRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "version": 2,
                    "expectations": ["Arrive 10 minutes before the session starts."],
                    "breach_consequences": "A breach is recorded; a third breach, or any serious one, suspends contact.",
                    "parties": [{"person_id": "5d1e6f70-8a9b-4c0d-9e1f-2a3b4c5d6e7f", "role": "parent"}],
                    "signatures": [],
                    "unsigned": [{"person_id": "5d1e6f70-8a9b-4c0d-9e1f-2a3b4c5d6e7f", "role": "parent"}],
                    "fully_signed": False,
                    "written_by": "sw-1",
                    "written_at": "2026-12-01T09:00:00Z",
                }
            ]
        }
    }

    arrangement_id: uuid.UUID
    version: int = Field(description="Changing an agreement after anyone signed makes a new version (R-50a).")
    expectations: list[str]
    breach_consequences: str
    parties: list[PartyRead]
    signatures: list[SignatureRead]
    unsigned: list[PartyRead] = Field(description="Parties yet to sign this version.")
    fully_signed: bool = Field(description="Every party has signed: sessions may be booked (R-50).")
    written_by: str
    written_at: UTCInstant


class BreachCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "severity": "ordinary",
                    "description": "Mum arrived 25 minutes late without ringing ahead.",
                    "session_id": "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d",
                }
            ]
        }
    }

    severity: Severity = Field(description="A serious breach suspends contact at once (R-52).")
    description: LongText = Field(description="What happened; checked for names and the withheld address (R-82).")
    session_id: uuid.UUID | None = Field(default=None, description="The session it happened in; a CSW names their own.")
    person_id: uuid.UUID | None = Field(default=None, description="Who breached the agreement: a person in the child's network.")
    occurred_at: InstantIn | None = Field(default=None, description="When; defaults to now. Not in the future.")


class BreachRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8",
                    "arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "agreement_version": 1,
                    "session_id": "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d",
                    "person_id": None,
                    "severity": "ordinary",
                    "description": "Mum arrived 25 minutes late without ringing ahead.",
                    "occurred_at": "2026-12-01T16:25:00Z",
                    "recorded_by": "csw-1",
                    "recorded_at": "2026-12-01T17:40:00Z",
                    "suspended": False,
                }
            ]
        }
    }

    id: uuid.UUID
    arrangement_id: uuid.UUID
    agreement_version: int | None = Field(description="The agreement version in force, which the breach counts against.")
    session_id: uuid.UUID | None
    person_id: uuid.UUID | None
    severity: Severity
    description: str
    occurred_at: UTCInstant
    recorded_by: str
    recorded_at: UTCInstant
    suspended: bool = Field(description="This breach suspended the arrangement.")


class BreachRecorded(BreachRead):
    """The breach, and what it did to its arrangement."""

    status: ArrangementStatus = Field(description="The arrangement's status after this breach.")
    breach_count: int
    review_meeting_due_by: UTCInstant | None = Field(description="When suspended: the review meeting is due by the end of the third working day after (R-03).")

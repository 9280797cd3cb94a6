"""What the API takes and gives for visitors' sign-ins (R-30)."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import ConfigDict, Field, StrictBool, StringConstraints

from app.core.schemas import InputModel, InstantIn, OutputModel, UTCInstant

VisitorName = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class VisitCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {"person_id": "5d1c7f0e-2b7a-4a43-8d8e-6f0f2f6e9b11", "identity_checked": True},
                {"visitor_name": "Interpreter (Polish)", "identity_checked": True, "signed_in_at": "2026-12-01T15:52:00Z"},
            ]
        }
    }

    person_id: uuid.UUID | None = Field(default=None, description="Someone in the child's network. Give this or visitor_name.")
    visitor_name: VisitorName | None = Field(default=None, description="Anyone else, in words. Give this or person_id.")
    identity_checked: StrictBool = Field(description="Whether the visitor's identity was checked at sign-in.")
    signed_in_at: InstantIn | None = Field(default=None, description="When they signed in; default now, never in the future.")


class SignOutCreate(InputModel):
    model_config = InputModel.model_config | {"json_schema_extra": {"examples": [{"signed_out_at": "2026-12-01T17:34:00Z"}]}}

    signed_out_at: InstantIn | None = Field(default=None, description="Default now; not before sign-in, never in the future.")


class VisitRead(OutputModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "7a4e3d85-9c88-4ebe-8a6f-6f4b6bab5d43",
                    "session_id": "6e3f2c74-8b77-4dad-9f5e-5e3a5a9a4c32",
                    "person_id": "5d1c7f0e-2b7a-4a43-8d8e-6f0f2f6e9b11",
                    "visitor_name": None,
                    "identity_checked": True,
                    "signed_in_at": "2026-12-01T15:52:00Z",
                    "signed_out_at": "2026-12-01T17:34:00Z",
                    "recorded_by": "csw-0031",
                }
            ]
        },
    )

    id: uuid.UUID
    session_id: uuid.UUID
    person_id: uuid.UUID | None
    visitor_name: str | None
    identity_checked: bool
    signed_in_at: UTCInstant
    signed_out_at: UTCInstant | None
    recorded_by: str

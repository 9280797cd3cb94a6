"""What the API takes and gives for session records."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StrictBool, StringConstraints

from app.core.schemas import InputModel, InstantIn, LongText, OutputModel, UTCInstant
from app.records.models import NotAheadReason, RecordStatus


def _blank_is_empty(value: str) -> str:
    """Whitespace alone is an empty note, not an error: the tablet checks as the worker types."""
    return value if value.strip() else ""


Note = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(_blank_is_empty)]
TEXT_FIELDS = ("observations", "child_views", "parent_views", "incidents")

EXAMPLE_FIELDS = {
    "went_ahead": True,
    "not_ahead_reason": None,
    "arrived_at": "2026-12-01T15:58:00Z",
    "left_at": "2026-12-01T17:29:00Z",
    "attendees": ["5d1c7f0e-2b7a-4a43-8d8e-6f0f2f6e9b11"],
    "observations": "Amara ran to mum and hugged her. They played a board game together.",
    "child_views": "Amara said she wants to see mum more often.",
    "parent_views": "Mum said the session went well.",
    "incidents": None,
    "breaches": [],
}


class RecordDraft(InputModel):
    model_config = InputModel.model_config | {"json_schema_extra": {"examples": [EXAMPLE_FIELDS]}}

    went_ahead: StrictBool | None = None
    not_ahead_reason: NotAheadReason | None = None
    arrived_at: InstantIn | None = None
    left_at: InstantIn | None = None
    attendees: list[uuid.UUID] = Field(default_factory=list, max_length=20, description="People of the session who came.")
    observations: Note | None = None
    child_views: Note | None = None
    parent_views: Note | None = None
    incidents: Note | None = None
    breaches: list[uuid.UUID] = Field(
        default_factory=list, max_length=20,
        description="Breaches of the written agreement in this session (R-40, R-51): ids of breaches recorded for it.",
    )


class RecordChanges(RecordDraft):
    """Only the fields that change; the others keep their value."""


class Amendment(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {"examples": [{"reason": "Corrected the time mum arrived.", "changes": {"arrived_at": "2026-12-01T16:05:00Z"}}]}
    }

    reason: LongText
    changes: RecordChanges


# What an R-42 finding is (app/freetext/anonymise.py): "name", someone the service knows in
# the child's network; "address", a house, flat or named street; "postcode"; "place", a town,
# village, district, estate, park or house name (issue 17: "the area where they live");
# "institution", a named school, nursery, workplace, clinic, rehab or recovery centre,
# hostel, prison, place of worship or club (003 s10: "work, school, rehab"); "person", the
# full name of someone the service does not know.
FindingKind = Literal["name", "address", "postcode", "place", "institution", "person"]


class FindingRead(OutputModel):
    field: str
    start: int
    end: int
    text: str
    kind: FindingKind = Field(
        description="What the text names (R-42, seed 003 s10): `name`, someone the service knows in the child's network; "
        "`address`, a house, flat or named street; `postcode`; `place`, a town, village, district, estate, park or house "
        "name (\"the area where they live\"); `institution`, a named school, nursery, workplace, clinic, rehab or recovery "
        "centre, hostel, prison, place of worship or club (\"work, school, rehab\"); `person`, the full name of someone "
        "the service does not know. Clients should treat an unknown value as a finding like any other."
    )
    suggestion: str = Field(description="What to write instead: a first name, a relationship or a description (\"school\", \"where they live\").")


class CheckResult(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {"findings": [{"field": "observations", "start": 0, "end": 12, "text": "Amara Okafor", "kind": "name", "suggestion": "Amara"}]}
            ]
        }
    }

    findings: list[FindingRead]


class VersionRead(OutputModel):
    number: int = Field(
        description="The record's version when this one was made: the same number as in the ETag and the court PDF "
        "(R-87). Earlier numbers were drafts, replaced as the worker wrote, so the submitted version is rarely 1."
    )
    author_sub: str
    author_role: str
    at: UTCInstant
    reason: str | None
    fields: dict[str, Any]


class RecordRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                    "session_id": "6e3f2c74-8b77-4dad-9f5e-5e3a5a9a4c32",
                    "status": "submitted",
                    "version": 3,
                    "fields": EXAMPLE_FIELDS,
                    "due_at": "2026-12-02T17:30:00Z",
                    "submitted_at": "2026-12-01T19:10:00Z",
                    "late": False,
                    "versions": [],
                }
            ]
        }
    }

    id: uuid.UUID
    session_id: uuid.UUID
    status: RecordStatus
    version: int = Field(description="Counts every save; also the ETag (send it back in If-Match), and the number of the latest entry in `versions`.")
    fields: dict[str, Any]
    due_at: UTCInstant = Field(description="24 hours after the session ends (R-41).")
    submitted_at: UTCInstant | None
    late: bool
    versions: list[VersionRead] = Field(description="Every submitted and amended version, oldest first (R-44).")


class RecordSummary(OutputModel):
    """A record in a list (R-83): its state and times, never its text (R-86 keeps the same line)."""

    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                    "session_id": "6e3f2c74-8b77-4dad-9f5e-5e3a5a9a4c32",
                    "session_starts_at": "2026-12-01T16:00:00Z",
                    "csw_sub": "csw-0031",
                    "status": "submitted",
                    "version": 4,
                    "went_ahead": True,
                    "not_ahead_reason": None,
                    "due_at": "2026-12-02T17:30:00Z",
                    "submitted_at": "2026-12-01T19:10:00Z",
                    "submitted_by": "csw-0031",
                    "late": False,
                    "amendments": 1,
                    "updated_at": "2026-12-03T10:05:00Z",
                }
            ]
        }
    }

    id: uuid.UUID
    session_id: uuid.UUID
    session_starts_at: UTCInstant = Field(description="The session's start: the list's order.")
    csw_sub: str = Field(description="The contact support worker who writes it.")
    status: RecordStatus
    version: int = Field(description="As in the record's ETag: a change since you last read it shows here (R-87).")
    went_ahead: bool | None = Field(description="Whether the session went ahead; null while a draft does not say.")
    not_ahead_reason: NotAheadReason | None
    due_at: UTCInstant = Field(description="24 hours after the session ends (R-41).")
    submitted_at: UTCInstant | None
    submitted_by: str | None
    late: bool = Field(description="Submitted after it was due (R-41).")
    amendments: int = Field(description="Amendments since it was submitted (R-44); each is a version of `GET /sessions/{id}/record`.")
    updated_at: UTCInstant = Field(description="Last saved, submitted or amended.")


class OverdueItem(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "session_id": "6e3f2c74-8b77-4dad-9f5e-5e3a5a9a4c32",
                    "csw_sub": "csw-0031",
                    "ends_at": "2026-12-01T17:30:00Z",
                    "due_at": "2026-12-02T17:30:00Z",
                    "record_status": "draft",
                }
            ]
        }
    }

    session_id: uuid.UUID
    csw_sub: str
    ends_at: UTCInstant
    due_at: UTCInstant
    record_status: RecordStatus | None


__all__ = ["LongText"]

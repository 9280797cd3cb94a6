"""What the API takes and gives for sessions, series, cancellations and attendance."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StrictBool, StringConstraints, field_validator

from app.core.errors import Problem
from app.core.schemas import InputModel, InstantIn, LongText, OutputModel, ShortText, UTCInstant
from app.sessions.models import CancelledBy, SessionStatus

class OutsideException(StrEnum):
    """The listed exceptions to a court-arena session staying in a venue (R-25, 004 s11)."""

    no_outside_space_park_nearby = "no_outside_space_park_nearby"
    rehabilitation_plan = "rehabilitation_plan"
    transition_to_carer = "transition_to_carer"


class Outside(InputModel):
    location: Annotated[str, StringConstraints(min_length=1, max_length=500)] = Field(
        description="Where, in words a parent may read: 'Arnold park'. Never an address of the placement."
    )
    exception: OutsideException | None = Field(default=None, description="Needed for a court-arena arrangement.")
    risk_note: LongText | None = Field(default=None, description="Needed with an exception (team leader).")


class AttendeeIn(InputModel):
    person_id: uuid.UUID


class SessionCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "room_id": "4c2e1b63-7a66-4c9f-8e4d-4d2f4f8f3b21",
                    "csw_sub": "csw-0031",
                    "starts_at": "2026-12-01T16:00:00Z",
                    "ends_at": "2026-12-01T17:30:00Z",
                    "attendees": ["5d1c7f0e-2b7a-4a43-8d8e-6f0f2f6e9b11"],
                    "rrule": "FREQ=WEEKLY;COUNT=12",
                }
            ]
        }
    }

    arrangement_id: uuid.UUID
    room_id: uuid.UUID | None = Field(default=None, description="The room; omit only for a session outside a venue.")
    venue_id: uuid.UUID | None = Field(default=None, description="Optional check that the room is at this venue.")
    outside: Outside | None = None
    csw_sub: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    starts_at: InstantIn
    ends_at: InstantIn
    attendees: list[uuid.UUID] = Field(default_factory=list, max_length=20, description="People attending (the child's network).")
    parties_must_not_meet: StrictBool = Field(
        default=False, description="Stagger each attendee's arrival and leaving (R-21), 15 minutes apart by default."
    )
    rrule: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = Field(
        default=None, description=(
            "One RFC 5545 RRULE value, expanded in local time from starts_at, e.g. FREQ=WEEKLY;COUNT=12. "
            "It needs COUNT (at least 1) or UNTIL (UNTIL in UTC with a Z, or local time without), ends within five "
            "years and gives at most 52 sessions."
        ),
    )
    override_reason: LongText | None = Field(
        default=None, description="Team leaders: allow past the CSW's daily cap or working hours (R-23)."
    )
    school_hours_reason: LongText | None = Field(default=None, description="Why a school-age child meets in school hours (R-24).")
    retrospective_reason: LongText | None = Field(
        default=None, description="Team leaders: record a session that already took place."
    )

    @field_validator("attendees")
    @classmethod
    def _distinct(cls, value: list[uuid.UUID]) -> list[uuid.UUID]:
        if len(set(value)) != len(value):
            raise ValueError("each person once")
        return value


class AttendeeRead(OutputModel):
    person_id: uuid.UUID
    arrive_at: UTCInstant
    leave_at: UTCInstant


class SessionRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "6e3f2c74-8b77-4dad-9f5e-5e3a5a9a4c32",
                    "arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "child_id": "0b9f7a52-6f55-4b8e-9d3c-3c1f3e7f2a10",
                    "room_id": "4c2e1b63-7a66-4c9f-8e4d-4d2f4f8f3b21",
                    "venue_id": "3b1f0a52-6f55-4b8e-9d3c-3c1f3e7f2a10",
                    "location": None,
                    "csw_sub": "csw-0031",
                    "starts_at": "2026-12-01T16:00:00Z",
                    "ends_at": "2026-12-01T17:30:00Z",
                    "status": "booked",
                    "series_id": None,
                    "attendees": [],
                    "retrospective": False,
                    "cancelled_at": None,
                    "cancel_reason": None,
                    "version": 1,
                }
            ]
        }
    }

    id: uuid.UUID
    arrangement_id: uuid.UUID
    child_id: uuid.UUID
    room_id: uuid.UUID | None
    venue_id: uuid.UUID | None
    location: str | None
    csw_sub: str
    starts_at: UTCInstant
    ends_at: UTCInstant
    status: SessionStatus
    series_id: uuid.UUID | None
    attendees: list[AttendeeRead]
    retrospective: bool
    cancelled_at: UTCInstant | None
    cancelled_by: CancelledBy | None = None
    cancel_reason: str | None
    late_cancellation: bool = False
    version: int


class SeriesRead(OutputModel):
    series_id: uuid.UUID
    sessions: list[SessionRead]


class CancelCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {"examples": [{"cancelled_by": "parent", "reason": "Mum rang to say she is unwell."}]}
    }

    reason: LongText
    cancelled_by: CancelledBy
    person_id: uuid.UUID | None = Field(default=None, description="The person who cancelled, when a parent or relative did.")


class ClashRead(OutputModel):
    """One entry of a 409 booking-clash problem's `clashes` (R-22): the live session in the
    way, what it shares, and which requested occurrence it overlaps."""

    session_id: uuid.UUID
    on: list[Literal["room", "csw", "child"]] = Field(description="What clashes: any of room, csw, child.")
    starts_at: UTCInstant
    ends_at: UTCInstant
    requested_starts_at: UTCInstant = Field(description="The start asked for that it overlaps (one occurrence of a series).")


class ClashProblem(Problem):
    """The 409 `booking-clash` problem (R-22): the RFC 9457 fields and `clashes`, one entry per
    live session in the way of each requested occurrence. Empty only when a booking made at
    the same moment won the race and could not be read back."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:contact-service:problem:booking-clash",
                    "title": "The time is already booked",
                    "status": 409,
                    "detail": "Clashes with 1 live session: 6e3f2c74-8b77-4dad-9f5e-5e3a5a9a4c32",
                    "clashes": [
                        {
                            "session_id": "6e3f2c74-8b77-4dad-9f5e-5e3a5a9a4c32",
                            "on": ["room", "csw"],
                            "starts_at": "2026-12-01T16:00:00Z",
                            "ends_at": "2026-12-01T17:30:00Z",
                            "requested_starts_at": "2026-12-01T17:00:00Z",
                        }
                    ],
                }
            ]
        },
    )

    type: Literal["urn:contact-service:problem:booking-clash"]  # type: ignore[assignment]
    clashes: list[ClashRead]


class AttendanceCount(OutputModel):
    person_id: uuid.UUID | None = Field(description="The person who called sessions off, when one of the child's network did.")
    cancelled_by: CancelledBy
    cancellations: int
    late_cancellations: int = Field(description="Called off less than 24 hours before the start, but before it (R-29).")
    not_held: int = Field(description="Called off once due to start: the session did not go ahead (non-attendance).")


class AttendanceRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                    "counts": [
                        {
                            "person_id": "5d1c7f0e-2b7a-4a43-8d8e-6f0f2f6e9b11",
                            "cancelled_by": "parent",
                            "cancellations": 3,
                            "late_cancellations": 2,
                            "not_held": 1,
                        },
                        {"person_id": None, "cancelled_by": "service", "cancellations": 1, "late_cancellations": 0, "not_held": 0},
                    ],
                }
            ]
        }
    }

    arrangement_id: uuid.UUID
    counts: list[AttendanceCount]


__all__ = ["ShortText"]

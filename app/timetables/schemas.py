"""What the API gives for timetables and feed tokens (R-28)."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import ConfigDict, Field

from app.core.schemas import OutputModel, UTCInstant
from app.referrals.models import Level
from app.sessions.models import SessionStatus

class TimetableEntry(OutputModel):
    session_id: uuid.UUID
    starts_at: UTCInstant
    ends_at: UTCInstant
    status: SessionStatus
    level: Level = Field(description="Supervised, supported or assessment contact.")
    venue_id: uuid.UUID | None
    venue_name: str | None
    room_id: uuid.UUID | None
    room_name: str | None
    location: str | None = Field(description="Where, for a session outside a venue (R-25); never a placement address.")
    arrangement_id: uuid.UUID
    series_id: uuid.UUID | None
    child_first_name: str = Field(description="The child's first name only (R-08, R-73).")
    version: int


class Timetable(OutputModel):
    model_config = ConfigDict(
        from_attributes=True,
        populate_by_name=True,
        json_schema_extra={
            "examples": [
                {
                    "csw_sub": "csw-0031",
                    "from": "2026-11-30",
                    "to": "2026-12-28",
                    "time_zone": "Europe/London",
                    "items": [
                        {
                            "session_id": "6e3f2c74-8b77-4dad-9f5e-5e3a5a9a4c32",
                            "starts_at": "2026-12-01T16:00:00Z",
                            "ends_at": "2026-12-01T17:30:00Z",
                            "status": "booked",
                            "level": "supervised",
                            "venue_id": "3b1f0a52-6f55-4b8e-9d3c-3c1f3e7f2a10",
                            "venue_name": "Mansfield Contact Centre",
                            "room_id": "4c2e1b63-7a66-4c9f-8e4d-4d2f4f8f3b21",
                            "room_name": "Garden room",
                            "location": None,
                            "arrangement_id": "2f4b6c8d-0e1f-4a2b-8c3d-4e5f6a7b8c9d",
                            "series_id": None,
                            "child_first_name": "Amara",
                            "version": 1,
                        }
                    ],
                }
            ]
        },
    )

    csw_sub: str
    from_: date = Field(alias="from", description="First local day of the range (included).")
    to: date = Field(description="Last local day of the range (included).")
    time_zone: str = Field(description="The zone the days are local to.")
    items: list[TimetableEntry] = Field(description="Live sessions overlapping the range, earliest first.")


class FeedTokenRead(OutputModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "sub": "csw-0031",
                    "token": "q3Yb0o1s7rZbW0qK3m9dC1Zy8l2nE4tVhXcA6uJfP5k",
                    "feed_url": "https://contact.example.gov.uk/api/v1/feeds/q3Yb0o1s7rZbW0qK3m9dC1Zy8l2nE4tVhXcA6uJfP5k.ics",
                    "created_at": "2026-11-30T09:00:00Z",
                }
            ]
        },
    )

    sub: str
    token: str = Field(description="Shown once: only its hash is kept. Anyone holding it reads this timetable.")
    feed_url: str = Field(
        description="The subscribable iCalendar feed, absolute: under `PUBLIC_BASE_URL` when set, else the base URL the request came to."
    )
    created_at: UTCInstant


class FeedTokenRevoked(OutputModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"examples": [{"sub": "csw-0031", "revoked_at": "2026-12-02T10:15:00Z"}]},
    )

    sub: str
    revoked_at: UTCInstant

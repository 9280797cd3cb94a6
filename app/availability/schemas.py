"""What the API takes and gives for availability (R-27)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


from app.core.schemas import OutputModel, UTCInstant

class AvailabilitySlot(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "room_id": "4c2e1b63-7a66-4c9f-8e4d-4d2f4f8f3b21",
                    "csw_sub": "csw-0031",
                    "starts_at": "2026-12-01T16:00:00Z",
                    "ends_at": "2026-12-01T17:30:00Z",
                }
            ]
        }
    }

    room_id: uuid.UUID
    csw_sub: str
    starts_at: UTCInstant
    ends_at: UTCInstant


@dataclass(frozen=True)
class AvailabilityQuery:
    """What is asked; instants already in UTC."""

    starts: datetime
    ends: datetime
    duration_minutes: int
    venue_id: uuid.UUID | None = None
    area: str | None = None
    csw_sub: str | None = None
    arrangement_id: uuid.UUID | None = None

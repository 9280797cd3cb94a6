"""What the API takes and gives for venues, rooms and staff (R-20, R-23)."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import Field, StrictBool, StrictInt, StringConstraints, ValidationInfo, field_validator, model_validator

from app.core.schemas import InputModel, OutputModel, UTCInstant
from app.venues.models import StaffRole

HHMM = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]
Title = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Window(InputModel):
    weekday: StrictInt = Field(ge=0, le=6, description="0 is Monday.")
    opens: HHMM
    closes: HHMM

    @model_validator(mode="after")
    def _opens_before_closes(self) -> Window:
        if self.opens >= self.closes:
            raise ValueError("opens must be before closes")
        return self


class WindowRead(OutputModel):
    weekday: int
    opens: str
    closes: str


def default_opening_hours() -> list[Window]:
    # Monday to Friday 08:30-19:00 unless the venue says otherwise.
    return [Window(weekday=day, opens="08:30", closes="19:00") for day in range(5)]


class VenueCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "name": "Mansfield Contact Centre",
                    "area": "north",
                    "opening_hours": [{"weekday": d, "opens": "08:30", "closes": "19:00"} for d in range(5)]
                    + [{"weekday": 5, "opens": "10:00", "closes": "16:00"}],
                }
            ]
        }
    }

    name: Title
    area: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    opening_hours: list[Window] = Field(default_factory=default_opening_hours, max_length=28)


class VenueRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "3b1f0a52-6f55-4b8e-9d3c-3c1f3e7f2a10",
                    "name": "Mansfield Contact Centre",
                    "area": "north",
                    "opening_hours": [{"weekday": 0, "opens": "08:30", "closes": "19:00"}],
                    "created_at": "2026-11-23T09:00:00Z",
                }
            ]
        }
    }

    id: uuid.UUID
    name: str
    area: str
    opening_hours: list[WindowRead]
    created_at: UTCInstant


class RoomCreate(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [{"name": "Garden room", "capacity": 6, "min_age": 0, "max_age": 11, "accessible": True, "outdoor_space": True}]
        }
    }

    name: Title
    capacity: StrictInt = Field(ge=1, le=50)
    min_age: StrictInt = Field(default=0, ge=0, le=25)
    max_age: StrictInt = Field(default=18, ge=0, le=25, validate_default=True)
    accessible: StrictBool = False
    outdoor_space: StrictBool = False

    @field_validator("max_age")
    @classmethod
    def _age_range(cls, value: int, info: ValidationInfo) -> int:
        # A field validator, so the 422 names `max_age`, even when it is the default.
        minimum = info.data.get("min_age")
        if minimum is not None and value < minimum:
            raise ValueError(f"must not be below min_age ({minimum})")
        return value


class RoomRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "4c2e1b63-7a66-4c9f-8e4d-4d2f4f8f3b21",
                    "venue_id": "3b1f0a52-6f55-4b8e-9d3c-3c1f3e7f2a10",
                    "name": "Garden room",
                    "capacity": 6,
                    "min_age": 0,
                    "max_age": 11,
                    "accessible": True,
                    "outdoor_space": True,
                }
            ]
        }
    }

    id: uuid.UUID
    venue_id: uuid.UUID
    name: str
    capacity: int
    min_age: int
    max_age: int
    accessible: bool
    outdoor_space: bool


class StaffUpsert(InputModel):
    model_config = InputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "name": "Jo Bennett",
                    "job_title": "Contact Support Worker",
                    "role": "contact_support_worker",
                    "area": "north",
                    "working_hours": [{"weekday": d, "opens": "09:00", "closes": "17:30"} for d in range(5)],
                    "daily_cap": 3,
                }
            ]
        }
    }

    name: Title
    job_title: Title | None = Field(default=None, description="The job title court documents print after the name (R-87), e.g. `Senior Contact Support Worker`.")
    role: StaffRole
    area: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    working_hours: list[Window] = Field(max_length=28)
    daily_cap: StrictInt | None = Field(default=None, ge=1, le=8, description="Sessions a day; the service default when omitted.")


class StaffRead(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "sub": "csw-0031",
                    "name": "Jo Bennett",
                    "job_title": "Contact Support Worker",
                    "role": "contact_support_worker",
                    "area": "north",
                    "working_hours": [{"weekday": 0, "opens": "09:00", "closes": "17:30"}],
                    "daily_cap": 3,
                }
            ]
        }
    }

    sub: str
    name: str
    job_title: str | None
    role: StaffRole
    area: str
    working_hours: list[WindowRead]
    daily_cap: int

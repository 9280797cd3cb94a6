"""Tables for venues, rooms and staff (R-20, R-23)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Field, SQLModel

from app.core.models import enum_column, new_id
from app.core.types import JSONDocument, UTCDateTime


class StaffRole(StrEnum):
    contact_support_worker = "contact_support_worker"
    team_leader = "team_leader"


class Venue(SQLModel, table=True):
    __tablename__ = "venue"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    name: str = Field(max_length=200)
    area: str = Field(max_length=50, index=True)
    # [{"weekday": 0-6, "opens": "HH:MM", "closes": "HH:MM"}], local time of the service's zone.
    opening_hours: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONDocument)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Room(SQLModel, table=True):
    __tablename__ = "room"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    venue_id: uuid.UUID = Field(foreign_key="venue.id", index=True)
    name: str = Field(max_length=200)
    capacity: int
    min_age: int = 0
    max_age: int = 18
    accessible: bool = False
    outdoor_space: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)


class Staff(SQLModel, table=True):
    __tablename__ = "staff"

    sub: str = Field(primary_key=True, max_length=255)
    name: str = Field(max_length=200)
    job_title: str | None = Field(default=None, max_length=200)  # printed on court documents
    role: StaffRole = Field(sa_type=enum_column(StaffRole))
    area: str = Field(max_length=50)
    working_hours: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONDocument)
    daily_cap: int = 3
    updated_at: datetime = Field(sa_type=UTCDateTime)

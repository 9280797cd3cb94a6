"""Tables for sessions and their attendees.

No two live sessions overlap in a room, for a CSW or for a child (R-22). On PostgreSQL
the database enforces it with exclusion constraints (migration 0003, `btree_gist`,
cancelled sessions excluded); on SQLite the write path is serialised (BEGIN IMMEDIATE)
and the service checks before it inserts.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.core.models import enum_column, new_id
from app.core.types import JSONDocument, UTCDateTime


class SessionStatus(StrEnum):
    booked = "booked"
    on_hold = "on_hold"
    cancelled = "cancelled"
    completed = "completed"


# Sessions that take their room, CSW and child's time. A session on hold (its
# arrangement suspended, R-52a) frees its slot; resuming books it again where still free.
LIVE_STATUSES = (SessionStatus.booked, SessionStatus.completed)
# What a timetable shows: a held session too, as tentative.
SHOWN_STATUSES = (SessionStatus.booked, SessionStatus.on_hold, SessionStatus.completed)


class CancelledBy(StrEnum):
    """Who called the session off, for the per-person counts of R-29."""

    parent = "parent"
    carer = "carer"
    child = "child"
    social_worker = "social_worker"
    service = "service"
    other = "other"


class ContactSession(SQLModel, table=True):
    """One supervised contact session (R-21). Named so it is never confused with a
    database session."""

    __tablename__ = "contact_session"
    __table_args__ = (
        Index("ix_contact_session_room_time", "room_id", "starts_at"),
        Index("ix_contact_session_csw_time", "csw_sub", "starts_at"),
        Index("ix_contact_session_child_time", "child_id", "starts_at"),
        # The sessions export's order: its first rows stream without sorting them all.
        Index("ix_contact_session_starts_at_id", "starts_at", "id"),
        # An arrangement's sessions and records in their list's order: deep pages stay cheap.
        Index("ix_contact_session_arrangement_time", "arrangement_id", "starts_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    arrangement_id: uuid.UUID = Field(foreign_key="arrangement.id")  # indexed first in ix_contact_session_arrangement_time
    child_id: uuid.UUID = Field(foreign_key="child.id")
    room_id: uuid.UUID | None = Field(default=None, foreign_key="room.id")
    venue_id: uuid.UUID | None = Field(default=None, foreign_key="venue.id", index=True)
    location: str | None = Field(default=None, max_length=500, description="Where, when not in a venue (R-25).")
    csw_sub: str = Field(foreign_key="staff.sub", max_length=255)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    status: SessionStatus = Field(sa_type=enum_column(SessionStatus), default=SessionStatus.booked, index=True)
    series_id: uuid.UUID | None = Field(default=None, index=True)
    # What was allowed by whom and why: {"daily_cap": {...}, "school_hours": {...}, ...}
    overrides: dict[str, Any] = Field(default_factory=dict, sa_type=JSONDocument)
    retrospective: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(max_length=255)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancelled_by: CancelledBy | None = Field(default=None, sa_type=enum_column(CancelledBy))
    cancelled_by_person_id: uuid.UUID | None = Field(default=None, foreign_key="person.id")
    cancelled_by_sub: str | None = Field(default=None, max_length=255)
    cancel_reason: str | None = Field(default=None, max_length=2000)
    late_cancellation: bool = False


class SessionAttendee(SQLModel, table=True):
    """A person attending, with their own arrival and leaving times when the parties must
    not meet (R-21)."""

    __tablename__ = "session_attendee"

    session_id: uuid.UUID = Field(foreign_key="contact_session.id", primary_key=True)
    person_id: uuid.UUID = Field(foreign_key="person.id", primary_key=True)
    arrive_at: datetime = Field(sa_type=UTCDateTime)
    leave_at: datetime = Field(sa_type=UTCDateTime)

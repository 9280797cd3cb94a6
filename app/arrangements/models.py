"""The arrangement table: what later features hang sessions, agreements, breaches and
reviews on."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from app.core.models import enum_column, new_id
from app.core.types import UTCDateTime
from app.referrals.models import Level, Outcome


class ArrangementStatus(StrEnum):
    active = "active"
    suspended = "suspended"
    closed = "closed"


class Arrangement(SQLModel, table=True):
    """Who may read it follows the child's current allocation (children.deps), not the
    referral's: a reallocated child takes its live case with it."""

    __tablename__ = "arrangement"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    referral_id: uuid.UUID = Field(foreign_key="referral.id", unique=True)
    child_id: uuid.UUID = Field(foreign_key="child.id", index=True)
    area: str = Field(max_length=50)
    status: ArrangementStatus = Field(sa_type=enum_column(ArrangementStatus), default=ArrangementStatus.active)
    basis: Outcome = Field(sa_type=enum_column(Outcome))
    level: Level = Field(sa_type=enum_column(Level))
    room_only: bool = False
    court_arena: bool
    review_by: date | None = None
    breach_count: int = 0
    opened_at: datetime = Field(sa_type=UTCDateTime)
    # R-52, R-52a: set when a breach suspends it; the review meeting is due within 3 working days.
    suspended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    review_meeting_due_by: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resumed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # R-54, R-54a: raised when a suspension or termination of a child in proceedings or on
    # an (interim) care order lasts, or is set to last, more than 7 days; cleared by the
    # application's record.
    s34_application_needed: bool = False
    s34_flagged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    s34_applied_on: date | None = None
    s34_court_reference: str | None = Field(default=None, max_length=100)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    close_reason: str | None = Field(default=None, max_length=2000)
    exit_plan: str | None = Field(default=None, max_length=4000)
    version: int = 1

"""Tables for transport requests, volunteer drivers and contact expenses.

A request's pick-up address is the child's placement or near it: it is shown through
`app.children.deps.visible_address` only, the one place that applies R-08.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from app.core.models import enum_column, new_id
from app.core.types import JSONDocument, UTCDateTime


class Leg(StrEnum):
    to_venue = "to_venue"
    from_venue = "from_venue"


class Provider(StrEnum):
    volunteer = "volunteer"
    ifa_agency = "ifa_agency"


class TransportStatus(StrEnum):
    requested = "requested"
    approved = "approved"
    declined = "declined"
    driver_assigned = "driver_assigned"
    completed = "completed"
    cancelled = "cancelled"
    on_hold = "on_hold"  # its session is on hold (R-52a); `held_from` is the status to return to


class ExpenseKind(StrEnum):
    travel = "travel"
    activity = "activity"


class ExpenseStatus(StrEnum):
    submitted = "submitted"
    approved = "approved"
    rejected = "rejected"


class Driver(SQLModel, table=True):
    __tablename__ = "driver"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    name: str = Field(max_length=200)
    area: str | None = Field(default=None, max_length=50)
    dbs_checked_on: date
    dbs_expires_on: date
    created_at: datetime = Field(sa_type=UTCDateTime)


class TransportRequest(SQLModel, table=True):
    __tablename__ = "transport_request"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    arrangement_id: uuid.UUID = Field(foreign_key="arrangement.id", index=True)
    child_id: uuid.UUID = Field(foreign_key="child.id", index=True)
    session_id: uuid.UUID | None = Field(default=None, foreign_key="contact_session.id", index=True)
    legs: list[str] = Field(default_factory=list, sa_type=JSONDocument)
    pickup_address: str = Field(max_length=500)
    reason: str = Field(max_length=2000)
    evidence: str = Field(max_length=2000)
    provider: Provider = Field(sa_type=enum_column(Provider))
    status: TransportStatus = Field(sa_type=enum_column(TransportStatus), default=TransportStatus.requested, index=True)
    decline_reason: str | None = Field(default=None, max_length=2000)
    decided_by: str | None = Field(default=None, max_length=255)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    driver_id: uuid.UUID | None = Field(default=None, foreign_key="driver.id", index=True)
    driver_assigned_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    driver_change_reason: str | None = Field(default=None, max_length=2000)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancel_reason: str | None = Field(default=None, max_length=2000)
    held_from: TransportStatus | None = Field(default=None, sa_type=enum_column(TransportStatus, name="transport_held_from"))
    created_by: str = Field(max_length=255)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


class Expense(SQLModel, table=True):
    __tablename__ = "expense"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    arrangement_id: uuid.UUID = Field(foreign_key="arrangement.id", index=True)
    person_id: uuid.UUID = Field(foreign_key="person.id")
    kind: ExpenseKind = Field(sa_type=enum_column(ExpenseKind), default=ExpenseKind.travel)
    amount_pence: int
    purpose: str = Field(max_length=500)
    incurred_on: date = Field(index=True)
    status: ExpenseStatus = Field(sa_type=enum_column(ExpenseStatus), default=ExpenseStatus.submitted)
    decided_by: str | None = Field(default=None, max_length=255)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_reason: str | None = Field(default=None, max_length=2000)
    created_by: str = Field(max_length=255)
    created_at: datetime = Field(sa_type=UTCDateTime)

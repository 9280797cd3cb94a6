"""Tables for session records (R-40 to R-44), their versions, and idempotency keys.

A record is a draft the CSW saves as often as the tablet syncs, then submits once; after
that it is locked and every change is an amendment that makes a new version. Version 1 is
the submitted record; earlier drafts are not evidence and are not kept.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.models import enum_column, new_id
from app.core.types import JSONDocument, UTCDateTime


class RecordStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"


class NotAheadReason(StrEnum):
    """Why a session did not go ahead (R-40)."""

    parent_did_not_attend = "parent_did_not_attend"
    parent_late = "parent_late"
    parent_under_influence = "parent_under_influence"
    child_unwell = "child_unwell"
    child_refused = "child_refused"
    venue_or_staff = "venue_or_staff"
    other = "other"


class SessionRecord(SQLModel, table=True):
    __tablename__ = "session_record"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    session_id: uuid.UUID = Field(foreign_key="contact_session.id", unique=True)
    # The session's arrangement, which never changes: kept here too so that the reports
    # group a year of records by area without joining every session (bench/exports.py).
    arrangement_id: uuid.UUID = Field(foreign_key="arrangement.id")
    csw_sub: str = Field(max_length=255)
    status: RecordStatus = Field(sa_type=enum_column(RecordStatus), default=RecordStatus.draft, index=True)
    version: int = 1
    fields: dict[str, Any] = Field(default_factory=dict, sa_type=JSONDocument)
    due_at: datetime = Field(sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_by: str | None = Field(default=None, max_length=255)
    late: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class RecordVersion(SQLModel, table=True):
    __tablename__ = "record_version"
    __table_args__ = (UniqueConstraint("record_id", "number"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    record_id: uuid.UUID = Field(foreign_key="session_record.id", index=True)
    number: int
    fields: dict[str, Any] = Field(default_factory=dict, sa_type=JSONDocument)
    author_sub: str = Field(max_length=255)
    author_role: str = Field(max_length=255)
    at: datetime = Field(sa_type=UTCDateTime)
    reason: str | None = Field(default=None, max_length=2000)


class IdempotencyKey(SQLModel, table=True):
    """A replayable answer to a write sent with `Idempotency-Key` (R-43). Kept at least 7
    days (`contact-service purge-idempotency-keys` removes older ones)."""

    __tablename__ = "idempotency_key"

    scope: str = Field(primary_key=True, max_length=300)
    key: str = Field(primary_key=True, max_length=128)
    request_hash: str = Field(max_length=64)
    status_code: int
    body: str
    etag: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)

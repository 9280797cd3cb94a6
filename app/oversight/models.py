"""Tables for restrictions of contact and their notices (R-53, R-53a)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Field, SQLModel

from app.core.models import enum_column, new_id
from app.core.types import JSONDocument, UTCDateTime


class RestrictionKind(StrEnum):
    suspend = "suspend"
    restrict = "restrict"
    terminate = "terminate"


class NoticeMethod(StrEnum):
    letter = "letter"
    email = "email"
    phone = "phone"
    in_person = "in_person"
    meeting = "meeting"


class Restriction(SQLModel, table=True):
    """A suspension, restriction or termination of contact, authorised by a service manager
    (a team leader in an emergency), with the written notices given to everyone affected."""

    __tablename__ = "restriction"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    arrangement_id: uuid.UUID = Field(foreign_key="arrangement.id", index=True)
    kind: RestrictionKind = Field(sa_type=enum_column(RestrictionKind))
    reason: str = Field(max_length=2000)
    starts_on: date
    ends_on: date | None = None
    # for `restrict`: what changes, e.g. {"frequency": "fortnightly", "supervision": "full"}
    changes: dict[str, Any] | None = Field(default=None, sa_type=JSONDocument)
    emergency: bool = False
    authorised_by: str = Field(max_length=255)
    authorised_at: datetime = Field(sa_type=UTCDateTime)
    # R-53a, R-04: an emergency restriction's placing authority is told within 24 hours
    placing_authority_notify_by: datetime | None = Field(default=None, sa_type=UTCDateTime)
    placing_authority_notified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # [{"recipient": "mum", "sent_at": "...", "method": "letter"}], in the order recorded
    notices: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONDocument)

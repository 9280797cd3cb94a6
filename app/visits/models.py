"""The table of visitors' sign-ins and sign-outs (R-30, 000)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.core.models import new_id
from app.core.types import UTCDateTime


class Visit(SQLModel, table=True):
    """A visitor's sign-in and sign-out at a session (R-30, 000)."""

    __tablename__ = "visit"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    session_id: uuid.UUID = Field(foreign_key="contact_session.id", index=True)
    person_id: uuid.UUID | None = Field(default=None, foreign_key="person.id")
    visitor_name: str | None = Field(default=None, max_length=200)
    signed_in_at: datetime = Field(sa_type=UTCDateTime)
    signed_out_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    identity_checked: bool
    recorded_by: str = Field(max_length=255)

"""Tables for written agreements (R-50, R-50a), their signatures and breaches (R-51).

An agreement has versions: the arrangement's current agreement is its highest version.
Changing an agreement once any party has signed it makes a new version whose signatures
start empty; before the first signature a change rewrites the current version.
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


class PartyRole(StrEnum):
    """What a signing party is to the child (the people of the child's network sign)."""

    parent = "parent"
    relative = "relative"
    carer = "carer"
    other = "other"


class SigningMethod(StrEnum):
    """How a signature was given: an agreement can be signed without a meeting (004 s14)."""

    in_person = "in_person"
    remote = "remote"
    meeting = "meeting"


class Severity(StrEnum):
    ordinary = "ordinary"
    serious = "serious"


class Agreement(SQLModel, table=True):
    """One version of an arrangement's written agreement."""

    __tablename__ = "agreement"
    __table_args__ = (UniqueConstraint("arrangement_id", "version"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    arrangement_id: uuid.UUID = Field(foreign_key="arrangement.id", index=True)
    version: int = 1
    expectations: list[str] = Field(default_factory=list, sa_type=JSONDocument)
    breach_consequences: str = Field(max_length=4000)
    # [{"person_id": "...", "role": "parent"}], in the order given
    parties: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONDocument)
    written_by: str = Field(max_length=255)
    written_at: datetime = Field(sa_type=UTCDateTime)


class Signature(SQLModel, table=True):
    __tablename__ = "agreement_signature"
    __table_args__ = (UniqueConstraint("agreement_id", "person_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    agreement_id: uuid.UUID = Field(foreign_key="agreement.id", index=True)
    person_id: uuid.UUID = Field(foreign_key="person.id")
    signed_at: datetime = Field(sa_type=UTCDateTime)
    method: SigningMethod = Field(sa_type=enum_column(SigningMethod))
    recorded_by: str = Field(max_length=255)
    recorded_at: datetime = Field(sa_type=UTCDateTime)


class Breach(SQLModel, table=True):
    """A breach of the agreement in force (R-51): counted on the arrangement, and the third
    under one agreement version, or any serious one, suspends contact (R-52)."""

    __tablename__ = "breach"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    arrangement_id: uuid.UUID = Field(foreign_key="arrangement.id", index=True)
    agreement_id: uuid.UUID | None = Field(default=None, foreign_key="agreement.id", index=True)
    session_id: uuid.UUID | None = Field(default=None, foreign_key="contact_session.id", index=True)
    person_id: uuid.UUID | None = Field(default=None, foreign_key="person.id")
    severity: Severity = Field(sa_type=enum_column(Severity))
    description: str = Field(max_length=4000)
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    recorded_by: str = Field(max_length=255)
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    suspended: bool = Field(default=False, description="This breach suspended the arrangement.")

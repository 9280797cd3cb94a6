"""Tables for children (R-07, R-08) and the people in their network (R-09)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.models import enum_column, new_id
from app.core.types import JSONDocument, UTCDateTime


class LegalStatus(StrEnum):
    s20_accommodated = "s20_accommodated"
    interim_care_order = "interim_care_order"
    care_order = "care_order"
    placement_order = "placement_order"
    other = "other"


class PlacementType(StrEnum):
    foster = "foster"
    ifa = "ifa"
    residential = "residential"
    kinship = "kinship"
    other = "other"


class Relationship(StrEnum):
    mum = "mum"
    dad = "dad"
    sibling = "sibling"
    grandparent = "grandparent"
    former_carer = "former_carer"
    other = "other"


class RiskFactor(StrEnum):
    """The closed set of risk factors, shared by person flags and referral risk assessments."""

    violence_aggression = "violence_aggression"
    substance_misuse = "substance_misuse"
    abduction = "abduction"
    domestic_abuse = "domestic_abuse"
    sexual_harm = "sexual_harm"
    mental_health = "mental_health"
    other = "other"


class Child(SQLModel, table=True):
    __tablename__ = "child"
    __table_args__ = (UniqueConstraint("source", "external_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    source: str = Field(max_length=32)
    external_id: str = Field(max_length=64)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    date_of_birth: date
    legal_status: LegalStatus = Field(sa_type=enum_column(LegalStatus))
    court_arena: bool
    placement_type: PlacementType = Field(sa_type=enum_column(PlacementType))
    placement_address: str | None = Field(default=None, max_length=500)
    address_withheld: bool = False
    address_withheld_authorised_by: str | None = Field(default=None, max_length=255)
    address_withheld_reason: str | None = Field(default=None, max_length=2000)
    address_withheld_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    social_worker_sub: str = Field(max_length=255, index=True)
    team: str | None = Field(default=None, max_length=100, index=True)
    iro_sub: str | None = Field(default=None, max_length=255, index=True)
    area: str = Field(max_length=50)
    version: int = 1
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Person(SQLModel, table=True):
    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("child_id", "external_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    child_id: uuid.UUID = Field(foreign_key="child.id", index=True)
    external_id: str | None = Field(default=None, max_length=64)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    relationship: Relationship = Field(sa_type=enum_column(Relationship))
    relationship_detail: str | None = Field(default=None, max_length=100)
    risk_flags: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONDocument)
    created_at: datetime = Field(sa_type=UTCDateTime)

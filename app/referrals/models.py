"""Tables for referrals (R-10 to R-17) and the people each referral asks contact with."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.core.models import enum_column, new_id
from app.core.types import JSONDocument, UTCDateTime


class ReferralStatus(StrEnum):
    draft = "draft"
    approved = "approved"
    submitted = "submitted"
    decided = "decided"
    withdrawn = "withdrawn"


class Purpose(StrEnum):
    """Purposes of contact (003 s5); a referral names one or more."""

    identity = "identity"  # staying connected with their past and who they are
    relationships = "relationships"  # keeping attachments with birth parents and family
    reassurance = "reassurance"  # reassurance about parents and family
    rehabilitation_evidence = "rehabilitation_evidence"  # evidence for a rehabilitation plan
    placement_stability = "placement_stability"  # supporting the placement
    other = "other"


class Level(StrEnum):
    supervised = "supervised"
    supported = "supported"
    assessment = "assessment"


class FrequencyPer(StrEnum):
    week = "week"
    fortnight = "fortnight"
    month = "month"


class RiskLevel(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class Outcome(StrEnum):
    accepted_core = "accepted_core"
    accepted_exceptional = "accepted_exceptional"
    declined = "declined"
    declined_capacity = "declined_capacity"

    @property
    def accepted(self) -> bool:
        return self in (Outcome.accepted_core, Outcome.accepted_exceptional)


ALTERNATIVE_ROUTE = "resources_service"


class Referral(SQLModel, table=True):
    __tablename__ = "referral"
    __table_args__ = (
        # The queue: open referrals by priority (urgent, then court arena), then earliest due.
        Index("ix_referral_queue", "status", "priority", "next_due_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    child_id: uuid.UUID = Field(foreign_key="child.id", index=True)
    social_worker_sub: str = Field(max_length=255, index=True)
    team: str | None = Field(default=None, max_length=100, index=True)
    area: str = Field(max_length=50)
    status: ReferralStatus = Field(sa_type=enum_column(ReferralStatus), default=ReferralStatus.draft)
    version: int = 1

    purposes: list[str] = Field(default_factory=list, sa_type=JSONDocument)
    purpose_detail: str | None = Field(default=None, max_length=2000)
    level: Level = Field(sa_type=enum_column(Level))
    frequency_times: int
    frequency_per: FrequencyPer = Field(sa_type=enum_column(FrequencyPer))
    duration_minutes: int
    risk_assessment: dict[str, Any] = Field(default_factory=dict, sa_type=JSONDocument)
    transport_reason: str | None = Field(default=None, max_length=2000)
    transport_evidence: str | None = Field(default=None, max_length=2000)
    alternative_venue: str | None = Field(default=None, max_length=500)
    alternative_venue_reason: str | None = Field(default=None, max_length=2000)
    court_arena: bool

    urgent: bool = False
    # 0 urgent in the court arena, 1 urgent, 2 court arena, 3 the rest: one
    # ascending column the queue can sort and page on.
    priority: int = 3
    urgent_called_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    urgent_caller: str | None = Field(default=None, max_length=255)

    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    approved_by: str | None = Field(default=None, max_length=255)
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_by: str | None = Field(default=None, max_length=255)
    received_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    triage_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The deadline the team leaders face next: triage while an urgent one is untriaged,
    # then the decision. Kept as a column so the queue sorts and filters on an index.
    next_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    triaged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    triaged_by: str | None = Field(default=None, max_length=255)
    triage_note: str | None = Field(default=None, max_length=2000)
    triage_missed: bool = False

    outcome: Outcome | None = Field(default=None, sa_type=enum_column(Outcome))
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by: str | None = Field(default=None, max_length=255)
    decision_reason: str | None = Field(default=None, max_length=2000)
    decision_rationale: str | None = Field(default=None, max_length=2000)
    review_by: date | None = None
    room_only: bool = False
    alternative_route: str | None = Field(default=None, max_length=50)
    notified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_missed: bool = False

    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_by: str | None = Field(default=None, max_length=255)
    withdrawn_reason: str | None = Field(default=None, max_length=2000)


class ReferralPerson(SQLModel, table=True):
    __tablename__ = "referral_person"

    referral_id: uuid.UUID = Field(foreign_key="referral.id", primary_key=True)
    person_id: uuid.UUID = Field(foreign_key="person.id", primary_key=True)

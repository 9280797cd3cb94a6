"""Tables for restrictions of contact and their notices, reviews and disputes (R-53 to R-56a)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Field, SQLModel

from app.core.models import enum_column, new_id
from app.core.types import JSONDocument, UTCDateTime


class Flag(StrEnum):
    """What a manager must act on for an arrangement."""

    s34_application_needed = "s34_application_needed"  # R-54a
    placing_authority_notification_due = "placing_authority_notification_due"  # R-53a
    restricted = "restricted"  # a `restrict` in force
    review_meeting_due = "review_meeting_due"  # within 3 working days of a suspension
    review_meeting_overdue = "review_meeting_overdue"
    exit_plan_overdue = "exit_plan_overdue"  # R-55a


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


class ReviewKind(StrEnum):
    contact_service = "contact_service"  # every 3 months (004 s9)
    supervised = "supervised"  # supervised contact, every 4 to 6 weeks (003 s8)
    lac = "lac"  # the child's LAC review, numbered; its date is set by the IRO
    breach_meeting = "breach_meeting"  # the meeting within 3 working days of a suspension


class Review(SQLModel, table=True):
    """A review held (R-55a): kind, date, who attended, the outcome and the next due date."""

    __tablename__ = "review"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    arrangement_id: uuid.UUID = Field(foreign_key="arrangement.id", index=True)
    kind: ReviewKind = Field(sa_type=enum_column(ReviewKind))
    held_on: date
    attended: list[str] = Field(default_factory=list, sa_type=JSONDocument)
    outcome: str = Field(max_length=4000)
    lac_number: int | None = None
    next_due_on: date | None = None
    recorded_by: str = Field(max_length=255)
    recorded_at: datetime = Field(sa_type=UTCDateTime)


class ReviewDue(SQLModel, table=True):
    """The next review of each kind an arrangement has due: one row per (arrangement, kind),
    moved on by each review recorded, so `GET /reviews/due` is one indexed query."""

    __tablename__ = "review_due"

    arrangement_id: uuid.UUID = Field(foreign_key="arrangement.id", primary_key=True)
    kind: ReviewKind = Field(sa_type=enum_column(ReviewKind), primary_key=True)
    due_on: date = Field(index=True)
    overdue_announced: bool = False  # `review.overdue` went out for this due date
    due_announced: bool = False  # `review.due` went out for this due date


class DisputeStep(StrEnum):
    """The escalation ladder of 004 s15, in order, and its end."""

    team_leader = "team_leader"  # the team leader seeks a resolution
    review_form = "review_form"  # the social worker completes the Contact Service review form
    management_team = "management_team"  # the management team proposes a provisional plan
    meeting = "meeting"  # a meeting to discuss the plan
    csm_meeting = "csm_meeting"  # the CSM of the Contact Service and the CSM for the child
    group_manager = "group_manager"  # the Group Manager (Access to Resources)
    resolved = "resolved"  # not a rung: the dispute's end, from any step


LADDER = [step for step in DisputeStep if step != DisputeStep.resolved]


class Resolution(StrEnum):
    agreed = "agreed"
    exit_strategy = "exit_strategy"  # the case no longer fits the criteria: the plan proposes an exit
    exceptionality = "exceptionality"  # it continues by exception, with a review date


class Dispute(SQLModel, table=True):
    """A dispute about an arrangement, climbing the ladder one step at a time (R-56, R-56a)."""

    __tablename__ = "dispute"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    arrangement_id: uuid.UUID = Field(foreign_key="arrangement.id", index=True)
    concern: str = Field(max_length=4000)
    raised_by: str = Field(max_length=255)
    raised_at: datetime = Field(sa_type=UTCDateTime)
    step: DisputeStep | None = Field(default=None, sa_type=enum_column(DisputeStep), description="The last step taken.")
    resolution: Resolution | None = Field(default=None, sa_type=enum_column(Resolution))
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    review_on: date | None = None
    version: int = 1


class DisputeStepRecord(SQLModel, table=True):
    """One step taken: when, who and the outcome."""

    __tablename__ = "dispute_step"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    dispute_id: uuid.UUID = Field(foreign_key="dispute.id", index=True)
    step: DisputeStep = Field(sa_type=enum_column(DisputeStep))
    held_on: date
    who: list[str] = Field(default_factory=list, sa_type=JSONDocument)
    outcome: str = Field(max_length=4000)
    resolution: Resolution | None = Field(default=None, sa_type=enum_column(Resolution))
    review_on: date | None = None
    recorded_by: str = Field(max_length=255)
    recorded_at: datetime = Field(sa_type=UTCDateTime)

"""The transactional outbox (R-60): a state change writes its event in the same
transaction, so an event exists exactly when its change committed. Delivery (webhooks)
reads from here; `GET /api/v1/events` serves it as a change feed.

Event data carries ids and what changed, never a withheld address (R-08) and no more
personal data than the subscriber needs.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Identity, select
from sqlmodel import Field, Session, SQLModel

from app.core import clock
from app.core.models import new_id, to_json
from app.core.types import BigIntKey, JSONDocument, UTCDateTime

log = logging.getLogger("app.outbox")


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox_event"

    seq: int | None = Field(default=None, sa_column=Column(BigIntKey, Identity(), primary_key=True))
    id: uuid.UUID = Field(default_factory=new_id, unique=True)
    type: str = Field(max_length=100, index=True)
    occurred_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    subject_id: str = Field(max_length=255, index=True)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSONDocument)
    # The child the event is about, when there is one: the feed and webhooks show an
    # integration only its own source's children's events.
    child_id: uuid.UUID | None = Field(default=None, index=True)
    # The child source an event about several children belongs to (a social worker's daily
    # digest), so it reaches that source's integration as a child's event would.
    source: str | None = Field(default=None, max_length=32)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# Every event type the service emits: what a webhook subscription may name.
EVENT_TYPES = frozenset({
    "agreement.signed", "agreement.written",
    "arrangement.breach_counted", "arrangement.closed", "arrangement.exit_plan_recorded", "arrangement.opened",
    "arrangement.restricted", "arrangement.resumed", "arrangement.review_by_set", "arrangement.review_meeting_held",
    "arrangement.suspended",
    "audit.checkpointed",
    "breach.recorded",
    "child.address_withheld_lifted", "child.created", "child.updated",
    "dispute.escalated", "dispute.opened", "dispute.resolved",
    "driver.created",
    "expense.approved", "expense.recorded", "expense.rejected",
    "feed_token.issued", "feed_token.revoked",
    "person.added",
    "record.amended", "record.overdue", "record.submitted",
    "referral.approved", "referral.decided", "referral.decision_overdue", "referral.drafted", "referral.submitted",
    "referral.triage_overdue", "referral.triaged", "referral.withdrawn",
    "restriction.notice_recorded", "restriction.placing_authority_overdue", "restriction.recorded",
    "review.due", "review.overdue", "review.recorded",
    "room.created",
    "s34.applied", "s34.flagged",
    "session.booked", "session.cancelled", "session.held", "session.moved", "session.not_held", "session.resumed",
    "sessions.not_held_report",
    "staff.created", "staff.updated",
    "transport.approved", "transport.cancelled", "transport.declined", "transport.driver_assigned", "transport.held",
    "transport.journey_cancelled", "transport.requested", "transport.resumed",
    "venue.created",
    "visit.signed_in", "visit.signed_out",
    "webhook.created", "webhook.deleted", "webhook.disabled", "webhook.enabled", "webhook.secret_rotated",
})

# The tests set this, so an event type missing from EVENT_TYPES fails the test that emits it;
# in service the change still commits (a subscription to "*" or the family still gets it).
STRICT_TYPES = False

PENDING = "outbox.pending"  # key in Session.info: this transaction's events, in order


def emit(
    session: Session, event_type: str, subject_id: Any, data: dict[str, Any], *,
    child_id: uuid.UUID | None = None, source: str | None = None,
) -> OutboxEvent:
    """Note one event for this transaction; `core.publish` writes it just before commit, so
    `seq` follows commit order. `child_id` defaults to the data's own `child_id`; events
    about no child (venues, staff, drivers) reach no integration."""
    if event_type not in EVENT_TYPES:
        if STRICT_TYPES:
            raise ValueError(f"{event_type!r} is not in outbox.EVENT_TYPES: add it there so webhooks can subscribe to it")
        log.warning("event type not registered", extra={"fields": {"type": event_type}})
    about = child_id or data.get("child_id")
    event = OutboxEvent(
        type=event_type,
        occurred_at=clock.now(),
        subject_id=str(subject_id),
        data=to_json(data),
        child_id=uuid.UUID(str(about)) if about is not None else None,
        source=source,
    )
    session.info.setdefault(PENDING, []).append(event)
    return event


def announced(session: Session, event_type: str, subject_ids: list[Any]) -> set[str]:
    """Which of `subject_ids` already have an event of `event_type`: what a sweep that tells
    once (a deadline missed, a record overdue) must not tell again."""
    if not subject_ids:
        return set()
    found = session.execute(
        select(OutboxEvent.subject_id).where(OutboxEvent.type == event_type, OutboxEvent.subject_id.in_([str(i) for i in subject_ids]))
    ).scalars()
    return set(found)


# Writing what was noted happens at commit; importing this module anywhere installs that hook.
from app.core import publish  # noqa: E402, F401

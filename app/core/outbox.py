"""The transactional outbox (R-60): a state change writes its event in the same
transaction, so an event exists exactly when its change committed. Delivery (webhooks)
reads from here; `GET /api/v1/events` serves it as a change feed.

Event data carries ids and what changed, never a withheld address (R-08) and no more
personal data than the subscriber needs.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Identity
from sqlmodel import Field, Session, SQLModel

from app.core import clock
from app.core.models import new_id, to_json
from app.core.types import BigIntKey, JSONDocument, UTCDateTime


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
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


PENDING = "outbox.pending"  # key in Session.info: this transaction's events, in order


def emit(
    session: Session, event_type: str, subject_id: Any, data: dict[str, Any], *, child_id: uuid.UUID | None = None
) -> OutboxEvent:
    """Note one event for this transaction; `core.publish` writes it just before commit, so
    `seq` follows commit order. `child_id` defaults to the data's own `child_id`; events
    about no child (venues, staff, drivers) reach no integration."""
    about = child_id or data.get("child_id")
    event = OutboxEvent(
        type=event_type,
        occurred_at=clock.now(),
        subject_id=str(subject_id),
        data=to_json(data),
        child_id=uuid.UUID(str(about)) if about is not None else None,
    )
    session.info.setdefault(PENDING, []).append(event)
    return event


# Writing what was noted happens at commit; importing this module anywhere installs that hook.
from app.core import publish  # noqa: E402, F401

"""Route dependencies for the change feed and the audit log, built on `events.policy`."""

from __future__ import annotations

from typing import Annotated

from sqlalchemy import ColumnElement

from app.core.concurrency import Depends
from app.core.access import Gate, policy
from app.events.policy import AUDIT_READERS, FEED_READERS, readable_events


@policy
def feed_filter(principal: Gate(*FEED_READERS)) -> ColumnElement[bool]:
    """The SQL filter of the events this caller may read."""
    return readable_events(principal)


FeedFilter = Annotated[ColumnElement[bool], Depends(feed_filter)]
AuditReader = Gate(*AUDIT_READERS)

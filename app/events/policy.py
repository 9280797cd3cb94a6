"""Who reads the change feed and the audit log (R-60, R-61, R-80). Pure."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from app.children.models import Child
from app.core.outbox import OutboxEvent
from app.core.access import as_system
from app.core.security import Principal, Role

FEED_READERS = (Role.integration, Role.service_manager)
AUDIT_READERS = (Role.service_manager,)


def readable_events(principal: Principal) -> ColumnElement[bool]:
    """A service manager reads every event; an integration only those about its own
    source's children (no `act_for` needed to read)."""
    if principal.has(Role.service_manager):
        return true()
    if as_system(principal) and principal.source is not None:
        return of_source(principal.source)
    return false()


def of_source(source: str) -> ColumnElement[bool]:
    """Events about a child of `source`, or about several of its children (a digest): what an
    integration of that source reads in the feed and receives by webhook (R-80, R-84)."""
    return or_(OutboxEvent.child_id.in_(select(Child.id).where(Child.source == source)), OutboxEvent.source == source)

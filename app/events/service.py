"""Reading the change feed (R-60) and the audit log (R-61). No HTTP here; who may read
which events is `events.policy`'s filter, passed in."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlmodel import Session

from app.core.audit import AuditEntry
from app.core.outbox import OutboxEvent
from app.core.pagination import Page, PageParams, paginate
from app.events.schemas import AuditEntryRead, EventRead


def feed_page(session: Session, readable: ColumnElement[bool], page: PageParams, event_type: str | None) -> Page[EventRead]:
    """Oldest first; `next_cursor` is kept on the last page so a poller resumes from there."""
    statement = select(OutboxEvent).where(readable)
    if event_type is not None:
        statement = statement.where(OutboxEvent.type == event_type)
    return paginate(
        session, statement, [OutboxEvent.seq], page, EventRead.model_validate, cursor_field="after", keep_position=True
    )


def audit_page(session: Session, page: PageParams, entity_type: str | None, entity_id: str | None) -> Page[AuditEntryRead]:
    statement = select(AuditEntry)
    if entity_type is not None:
        statement = statement.where(AuditEntry.entity_type == entity_type)
    if entity_id is not None:
        statement = statement.where(AuditEntry.entity_id == entity_id)
    return paginate(session, statement, [AuditEntry.seq], page, AuditEntryRead.model_validate)

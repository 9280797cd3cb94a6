"""The end of every state change, in one place: flush the row, append the audit entry with
its before and after (R-61), and put the event on the outbox (R-60), all in the caller's
transaction, so a change, its audit entry and its event commit together or not at all."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, SQLModel

from app.core import audit, outbox
from app.core.models import snapshot
from app.core.security import Principal


def record_change(
    session: Session,
    principal: Principal,
    action: str,
    entity_type: str,
    row: SQLModel,
    *,
    before: dict[str, Any] | None,
    event: dict[str, Any] | None = None,
    event_type: str | None = None,
    entity_id: Any = None,
    after: dict[str, Any] | None = None,
    child_id: Any = None,
) -> None:
    """`action` names the audit entry and, unless `event_type` says otherwise, the event.
    No `event` means the change concerns no other system (a draft saved on a tablet)."""
    session.flush()
    key = entity_id if entity_id is not None else row.id  # type: ignore[attr-defined]
    audit.record(session, principal, action, entity_type, key, before=before, after=after if after is not None else snapshot(row))
    if event is not None:
        outbox.emit(session, event_type or action, key, event, child_id=child_id)

"""Who may read and write a session's record (R-06, R-44): its CSW writes it; once
submitted, whoever may see the child reads it at once, with team leaders and service
managers; a draft is the CSW's (and team leaders') alone. Data analysts never read notes."""

from __future__ import annotations

from sqlmodel import Session

from app.children.deps import can_read_child
from app.children.models import Child
from app.core.errors import AppError, not_found
from app.core.security import Principal, Role
from app.records.models import RecordStatus, SessionRecord
from app.scheduling.models import ContactSession


def is_sessions_csw(principal: Principal, row: ContactSession) -> bool:
    return principal.has(Role.contact_support_worker) and row.csw_sub == principal.sub


def can_read_record(session: Session, principal: Principal, row: ContactSession, record: SessionRecord | None) -> bool:
    if principal.has(Role.data_analyst) and not principal.has(Role.team_leader, Role.service_manager):
        return False
    if is_sessions_csw(principal, row) or principal.has(Role.team_leader):
        return True
    if record is None or record.status != RecordStatus.submitted:
        return False
    if principal.has(Role.service_manager):
        return True
    child = session.get(Child, row.child_id)
    return child is not None and can_read_child(principal, child)


def require_readable(session: Session, principal: Principal, row: ContactSession, record: SessionRecord | None) -> SessionRecord:
    if record is None or not can_read_record(session, principal, row, record):
        raise not_found("record")
    return record


def require_writer(principal: Principal, row: ContactSession, *, leaders_too: bool = False) -> None:
    if is_sessions_csw(principal, row) or (leaders_too and principal.has(Role.team_leader)):
        return
    raise AppError(403, "forbidden", "Not allowed", "Only the session's contact support worker writes its record.")

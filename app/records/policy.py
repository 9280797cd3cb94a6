"""Who may read and write a session's record (R-06, R-44): its CSW writes it; once
submitted, whoever may see the child reads it at once, with team leaders and service
managers; a draft is the CSW's (and team leaders') alone. Data analysts never read notes.
Pure: no FastAPI, no queries."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, true

from app.children.models import Child
from app.children.policy import can_read_child, of_readable_children
from app.core.security import Principal, Role
from app.records.models import RecordStatus, SessionRecord
from app.sessions.models import ContactSession
from app.sessions.policy import READERS as SESSION_READERS
from app.sessions.policy import is_sessions_csw

READERS = SESSION_READERS
WRITERS = (Role.contact_support_worker,)
AMENDERS = (Role.contact_support_worker, Role.team_leader)
OVERDUE_READERS = (Role.team_leader, Role.service_manager)


def can_read_record(principal: Principal, row: ContactSession, child: Child, record: SessionRecord) -> bool:
    if principal.has(Role.data_analyst) and not principal.has(Role.team_leader, Role.service_manager):
        return False
    if is_sessions_csw(principal, row) or principal.has(Role.team_leader):
        return True
    if record.status != RecordStatus.submitted:
        return False
    return principal.has(Role.service_manager) or can_read_child(principal, child)


def readable_records(principal: Principal) -> ColumnElement[bool]:
    """`can_read_record` as a SQL filter over `SessionRecord` joined to its `ContactSession`,
    for lists: a CSW reads the records of their own sessions, drafts too."""
    if principal.has(Role.data_analyst) and not principal.has(Role.team_leader, Role.service_manager):
        return false()
    if principal.has(Role.team_leader):
        return true()
    submitted: ColumnElement[bool] = SessionRecord.status == RecordStatus.submitted
    if not principal.has(Role.service_manager):
        submitted = and_(submitted, of_readable_children(ContactSession.child_id, principal, supervised=False))
    if principal.has(Role.contact_support_worker):
        return or_(ContactSession.csw_sub == principal.sub, submitted)
    return submitted


def may_write(principal: Principal, row: ContactSession) -> bool:
    return is_sessions_csw(principal, row)


def may_amend(principal: Principal, row: ContactSession) -> bool:
    return is_sessions_csw(principal, row) or principal.has(Role.team_leader)

"""Who may see which session (R-06): its CSW, team leaders and service managers, and those
who may see its child (the allocated social worker, their team manager, the IRO)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.children.deps import can_read_child
from app.children.models import Child
from app.core.db import SessionDep
from app.core.errors import not_found
from app.core.security import Principal, Role, require_roles
from app.scheduling.models import ContactSession, Venue

SESSION_READERS = (
    Role.contact_support_worker,
    Role.team_leader,
    Role.service_manager,
    Role.social_worker,
    Role.integration,
    Role.team_manager,
    Role.iro,
)


def can_read_session(session: SessionDep, principal: Principal, row: ContactSession) -> bool:
    if principal.has(Role.team_leader, Role.service_manager):
        return True
    if principal.has(Role.contact_support_worker) and row.csw_sub == principal.sub:
        return True
    child = session.get(Child, row.child_id)
    return child is not None and can_read_child(principal, child)


def readable_session(
    principal: Annotated[Principal, Depends(require_roles(*SESSION_READERS))],
    session_id: uuid.UUID,
    session: SessionDep,
) -> ContactSession:
    row = session.get(ContactSession, session_id)
    if row is None or not can_read_session(session, principal, row):
        raise not_found("session")
    return row


def valid_venue(venue_id: uuid.UUID, session: SessionDep) -> Venue:
    venue = session.get(Venue, venue_id)
    if venue is None:
        raise not_found("venue")
    return venue


ReadableSession = Annotated[ContactSession, Depends(readable_session)]
Admin = Annotated[Principal, Depends(require_roles(Role.admin))]
Booker = Annotated[Principal, Depends(require_roles(Role.team_leader, Role.contact_support_worker))]
Canceller = Annotated[Principal, Depends(require_roles(Role.team_leader, Role.contact_support_worker, Role.social_worker))]

"""Who may see and arrange transport and expenses (R-06, R-08, R-31 to R-35). Pure: no
FastAPI, no queries. A pick-up address leaves only through `children.deps.visible_address`."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, or_, select

from app.children.models import Child
from app.children.policy import acts_for_child, can_read_child, of_readable_children
from app.core.security import Principal, Role
from app.sessions.models import ContactSession
from app.transport.models import TransportRequest

READERS = (
    Role.social_worker,
    Role.integration,
    Role.team_manager,
    Role.team_leader,
    Role.service_manager,
    Role.contact_support_worker,
)
REQUESTERS = (Role.social_worker, Role.team_leader)
DECIDERS = (Role.team_leader,)
DRIVER_KEEPERS = (Role.admin, Role.team_leader)
EXPENSE_RECORDERS = (Role.social_worker, Role.team_leader)
FINANCE_READERS = (Role.team_leader, Role.service_manager)


def can_read_transport(principal: Principal, child: Child, session_csw: Callable[[], str | None]) -> bool:
    """Whoever may read the child, and the CSW of the request's session (looked up only
    when that is the question)."""
    if can_read_child(principal, child):
        return True
    return principal.has(Role.contact_support_worker) and session_csw() == principal.sub


def readable_transport_requests(principal: Principal) -> ColumnElement[bool]:
    """`can_read_transport` as a SQL filter over `TransportRequest`, for lists."""
    readable = of_readable_children(TransportRequest.child_id, principal, supervised=False)
    if principal.has(Role.contact_support_worker):
        own_sessions = select(ContactSession.id).where(ContactSession.csw_sub == principal.sub)
        return or_(readable, TransportRequest.session_id.in_(own_sessions))
    return readable


def may_arrange_for(principal: Principal, child: Child) -> bool:
    """Transport and expenses are arranged by a team leader or the child's own social worker."""
    return principal.has(Role.team_leader) or acts_for_child(principal, child)

"""Who may see, book, move and cancel which session (R-06, R-21 to R-29). Pure: predicates
and SQL filters, no FastAPI, no queries run here; `sessions.deps` builds the route
dependencies on these."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, or_, select, true

from app.children.models import Child
from app.children.policy import can_read_child, of_readable_children
from app.core.security import Principal, Role
from app.sessions.models import ContactSession, SessionStatus

READERS = (
    Role.contact_support_worker,
    Role.team_leader,
    Role.service_manager,
    Role.social_worker,
    Role.integration,
    Role.team_manager,
    Role.iro,
)
BOOKERS = (Role.team_leader, Role.contact_support_worker)
CANCELLERS = (Role.team_leader, Role.contact_support_worker, Role.social_worker)


def is_sessions_csw(principal: Principal, row: ContactSession) -> bool:
    return principal.has(Role.contact_support_worker) and row.csw_sub == principal.sub


def can_read_session(principal: Principal, row: ContactSession, child: Child) -> bool:
    """Its CSW, team leaders and service managers, and whoever may read its child."""
    if principal.has(Role.team_leader, Role.service_manager) or is_sessions_csw(principal, row):
        return True
    return can_read_child(principal, child)


def readable_sessions(principal: Principal) -> ColumnElement[bool]:
    """`can_read_session` as a SQL filter over `ContactSession`, for lists: a CSW's own
    sessions, not the others of the children they supervise."""
    if principal.has(Role.team_leader, Role.service_manager):
        return true()
    readable = of_readable_children(ContactSession.child_id, principal, supervised=False)
    if principal.has(Role.contact_support_worker):
        return or_(ContactSession.csw_sub == principal.sub, readable)
    return readable


def may_assign(principal: Principal, csw_sub: str) -> bool:
    """A team leader books any CSW; a CSW books and moves only their own sessions."""
    return principal.has(Role.team_leader) or csw_sub == principal.sub


def may_book(principal: Principal, csw_sub: str, *, supervises_arrangement: bool) -> bool:
    """Booking is a team leader's act; a CSW books (or moves) only their own sessions, and
    only for an arrangement they already supervise, so no CSW can make themselves a
    reader of a child by booking it."""
    if principal.has(Role.team_leader):
        return True
    return principal.has(Role.contact_support_worker) and csw_sub == principal.sub and supervises_arrangement


def may_override_limits(principal: Principal) -> bool:
    """R-23, past bookings: a team leader may book past a CSW's cap or hours, or in the
    past, with a reason."""
    return principal.has(Role.team_leader)


def may_approve_outside(principal: Principal) -> bool:
    """R-25: a court-arena session outside a venue is approved by a team leader."""
    return principal.has(Role.team_leader)


def supervised_arrangement_ids(principal: Principal, arrangement_id: object) -> Select:
    """The arrangement, when the caller is the CSW of one of its live sessions."""
    return select(ContactSession.arrangement_id).where(
        ContactSession.arrangement_id == arrangement_id,
        ContactSession.csw_sub == principal.sub,
        ContactSession.status != SessionStatus.cancelled,
    )

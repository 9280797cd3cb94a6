"""Who may read, mirror and see the address of which child (R-06, R-08, R-80, R-81).

Pure: predicates over a principal and a row, and SQL filters for lists; no FastAPI, no
queries run here. `children.deps` builds the route dependencies on these, and every domain
whose rows hang off a child (referrals, arrangements, sessions, transport, records) asks
these same predicates, so the rule for a child lives once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, String, Uuid, column, false, or_, select, table, true

from app.children.models import Child
from app.core.access import as_system
from app.core.security import Principal, Role

CHILD_READERS = (
    Role.social_worker,
    Role.integration,
    Role.team_manager,
    Role.team_leader,
    Role.service_manager,
    Role.iro,
    Role.contact_support_worker,
)
CHILD_WRITERS = (Role.social_worker, Role.integration, Role.team_leader)
PEOPLE_WRITERS = (Role.social_worker, Role.integration)
WHOLE_SERVICE = (Role.team_leader, Role.service_manager)


def in_source(principal: Principal, source: str) -> bool:
    """R-80: an integration client touches only children of the source it is bound to."""
    return not as_system(principal) or principal.source == source


def can_read_child(principal: Principal, child: Child, *, supervises: bool = False) -> bool:
    """R-06. `supervises`: the caller is the CSW of a live session of this child
    (`supervised_child_ids` finds that), which is what their sessions need."""
    if principal.has(*WHOLE_SERVICE):
        return True
    if as_system(principal):
        return principal.source is not None and principal.source == child.source
    if principal.has(Role.social_worker) and principal.sub == child.social_worker_sub:
        return True
    if principal.has(Role.team_manager) and principal.team is not None and principal.team == child.team:
        return True
    if principal.has(Role.iro) and child.iro_sub == principal.sub:
        return True
    return supervises and principal.has(Role.contact_support_worker)


def acts_for_child(principal: Principal, child: Child) -> bool:
    """The child's own social worker, or an integration of its source acting for them."""
    return (
        in_source(principal, child.source)
        and principal.acting_social_worker is not None
        and principal.acting_social_worker == child.social_worker_sub
    )


def can_see_address(principal: Principal, child: Child) -> bool:
    """R-08: a withheld address goes only to the child's own social worker, team leaders
    and service managers; never to an integration caller, a CSW or a data analyst."""
    if not child.address_withheld:
        return True
    if principal.has(*WHOLE_SERVICE):
        return True
    return principal.has(Role.social_worker) and principal.sub == child.social_worker_sub


def may_allocate(principal: Principal, social_worker_sub: str) -> bool:
    """Who a child may be allocated to by this caller: a team leader allocates to anyone;
    a case-record system is the source of truth for its own children (R-80); a social
    worker records only children allocated to themselves."""
    if principal.has(Role.team_leader, Role.integration):
        return True
    return principal.acting_social_worker == social_worker_sub


def may_lift_withheld(principal: Principal, child: Child) -> bool:
    """R-81: lifting a withheld address is for the child's social worker (or an
    integration acting for them) or a manager."""
    return principal.has(*WHOLE_SERVICE) or acts_for_child(principal, child)


def may_supervise(principal: Principal) -> bool:
    """Only a CSW reads children through the sessions allocated to them."""
    return principal.has(Role.contact_support_worker)


# Sessions are built on children, so this module does not import them: the one fact it
# needs, which children a CSW has live sessions with, is read from the table by name.
_SESSIONS = table("contact_session", column("child_id", Uuid()), column("csw_sub", String()), column("status", String()))


def supervised_child_ids(principal: Principal, child_id: object = None) -> Select:
    """Children of the live (not cancelled) sessions allocated to this CSW (only `child_id`, when given)."""
    query = select(_SESSIONS.c.child_id).where(_SESSIONS.c.csw_sub == principal.sub, _SESSIONS.c.status != "cancelled")
    return query if child_id is None else query.where(_SESSIONS.c.child_id == child_id)


def readable_children(principal: Principal, *, supervised: bool = True) -> ColumnElement[bool]:
    """`can_read_child` as a SQL filter over `Child`, for lists: with `supervised`, a CSW's
    children include those of their live sessions (`supervises`); without, they are only
    what the caller reads in their own right, as a session's, record's or transport
    request's own rules ask (a CSW reads those of their own sessions, not the child's others)."""
    if principal.has(*WHOLE_SERVICE):
        return true()
    if as_system(principal):
        return Child.source == principal.source if principal.source else false()
    clauses: list[ColumnElement[bool]] = []
    if principal.has(Role.social_worker):
        clauses.append(Child.social_worker_sub == principal.sub)
    if principal.has(Role.team_manager) and principal.team is not None:
        clauses.append(Child.team == principal.team)
    if principal.has(Role.iro):
        clauses.append(Child.iro_sub == principal.sub)
    if supervised and principal.has(Role.contact_support_worker):
        clauses.append(Child.id.in_(supervised_child_ids(principal)))
    return or_(*clauses) if clauses else false()


def of_readable_children(child_id: Any, principal: Principal, *, supervised: bool = True) -> ColumnElement[bool]:
    """`readable_children` over rows that name their child (`Referral.child_id`), for the
    lists of the domains built on children: the rule for a child stays here."""
    if principal.has(*WHOLE_SERVICE):
        return true()
    return child_id.in_(select(Child.id).where(readable_children(principal, supervised=supervised)))

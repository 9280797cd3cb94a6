"""Who may read and act on which referral (R-06, R-11, R-13, R-15, R-80). Pure: no FastAPI,
no queries; `referrals.deps` builds the route dependencies on these."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, false, or_, true

from app.children.models import Child
from app.children.policy import acts_for_child, of_readable_children
from app.core.access import as_system
from app.core.security import Principal, Role
from app.referrals.models import Referral

READERS = (Role.social_worker, Role.integration, Role.team_manager, Role.team_leader, Role.service_manager)
REFERRERS = (Role.social_worker, Role.integration)
APPROVERS = (Role.team_manager,)
DECIDERS = (Role.team_leader,)
QUEUE_READERS = (Role.team_leader, Role.service_manager)


def can_read_referral(principal: Principal, referral: Referral, child_source: Callable[[], str | None]) -> bool:
    """The referrer, their team manager, an integration of the child's source, team
    leaders and service managers."""
    if principal.has(Role.team_leader, Role.service_manager):
        return True
    if as_system(principal):  # the child's source is looked up only for a case-record system
        return principal.source is not None and principal.source == child_source()
    if principal.has(Role.social_worker) and principal.sub == referral.social_worker_sub:
        return True
    return principal.has(Role.team_manager) and principal.team is not None and principal.team == referral.team


def readable_referrals(principal: Principal) -> ColumnElement[bool]:
    """`can_read_referral` as a SQL filter over `Referral`, for lists."""
    if principal.has(Role.team_leader, Role.service_manager):
        return true()
    if as_system(principal):
        return of_readable_children(Referral.child_id, principal) if principal.source is not None else false()
    clauses: list[ColumnElement[bool]] = []
    if principal.has(Role.social_worker):
        clauses.append(Referral.social_worker_sub == principal.sub)
    if principal.has(Role.team_manager) and principal.team is not None:
        clauses.append(Referral.team == principal.team)
    return or_(*clauses) if clauses else false()


def may_refer(principal: Principal, child: Child) -> bool:
    """A referral is drafted by the child's own social worker, or a system acting for them."""
    return acts_for_child(principal, child)


def may_approve(principal: Principal, referral: Referral) -> bool:
    """R-11 (004 s4 p22): a manager other than the referrer approves."""
    return principal.sub != referral.social_worker_sub


def may_backdate_receipt(principal: Principal) -> bool:
    """R-13: only the case-record system knows it received the referral earlier."""
    return principal.has(Role.integration)

"""Who may restrict contact, record its notices and the s34 application, review, and raise
and climb disputes (R-06, R-53 to R-56). Pure: no FastAPI, no queries; `oversight.deps` builds on these."""

from __future__ import annotations

from app.arrangements.policy import READERS as ARRANGEMENT_READERS
from app.children.models import Child
from app.children.policy import acts_for_child
from app.core.security import Principal, Role

READERS = ARRANGEMENT_READERS
RESTRICTORS = (Role.service_manager, Role.team_leader)
S34_RECORDERS = (Role.service_manager, Role.social_worker)
REVIEWERS = (Role.team_leader,)  # the team leaders review arrangements
DUE_READERS = (Role.team_leader, Role.service_manager)
FLAG_READERS = (Role.service_manager, Role.team_leader)  # R-54a: the managers' list of flags


def may_restrict(principal: Principal, *, emergency: bool) -> bool:
    """R-53: a service manager authorises; a team leader only an emergency restriction."""
    return principal.has(Role.service_manager) or (emergency and principal.has(Role.team_leader))


def may_record_s34(principal: Principal, child: Child) -> bool:
    """The child's social worker, who makes the application, or a service manager."""
    return principal.has(Role.service_manager) or acts_for_child(principal, child)
DISPUTANTS = (Role.social_worker, Role.team_leader, Role.service_manager)


def may_dispute(principal: Principal, child: Child) -> bool:
    """R-56: the child's social worker, team leaders and service managers raise and climb disputes."""
    return principal.has(Role.team_leader, Role.service_manager) or acts_for_child(principal, child)

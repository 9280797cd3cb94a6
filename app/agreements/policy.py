"""Who may read, write and sign an arrangement's agreement, and record its breaches
(R-06, R-50 to R-52). Pure: no FastAPI, no queries; `agreements.deps` builds on these."""

from __future__ import annotations

from app.children.models import Child
from app.children.policy import acts_for_child
from app.core.security import Principal, Role
from app.sessions.models import ContactSession

WRITERS = (Role.social_worker, Role.team_leader)  # the agreement is between the social worker and the family (004 s2)
BREACH_RECORDERS = (Role.contact_support_worker, Role.team_leader)


def may_write_agreement(principal: Principal, child: Child) -> bool:
    """A team leader, or the child's own social worker."""
    return principal.has(Role.team_leader) or acts_for_child(principal, child)


def may_record_breach(principal: Principal, row: ContactSession | None) -> bool:
    """A team leader; a CSW for a session of their own (R-51: the session's CSW)."""
    if principal.has(Role.team_leader):
        return True
    return principal.has(Role.contact_support_worker) and row is not None and row.csw_sub == principal.sub

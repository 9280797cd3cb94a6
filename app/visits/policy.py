"""Who signs visitors in and out of a session (R-06, R-30). Pure."""

from __future__ import annotations

from app.core.security import Principal, Role
from app.sessions.models import ContactSession
from app.sessions.policy import is_sessions_csw

RECORDERS = (Role.contact_support_worker, Role.team_leader)


def may_record_visits(principal: Principal, row: ContactSession) -> bool:
    """R-30: the session's own CSW, or a team leader."""
    return principal.has(Role.team_leader) or is_sessions_csw(principal, row)

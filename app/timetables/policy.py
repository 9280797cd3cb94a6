"""Who reads a timetable and manages its feed token (R-06, R-28). Pure."""

from __future__ import annotations

from app.core.security import Principal, Role

READERS = (Role.team_leader, Role.service_manager, Role.contact_support_worker)
FEED_MANAGERS = (Role.team_leader, Role.contact_support_worker)


def may_read_timetable(principal: Principal, sub: str) -> bool:
    """R-28: a CSW reads their own timetable; team leaders and service managers anyone's."""
    return principal.has(Role.team_leader, Role.service_manager) or (
        principal.has(Role.contact_support_worker) and principal.sub == sub
    )


def may_manage_feed(principal: Principal, sub: str) -> bool:
    """A CSW issues and revokes their own feed token; a team leader anyone's."""
    return principal.has(Role.team_leader) or (principal.has(Role.contact_support_worker) and principal.sub == sub)

"""Who reads the exports, and in which view (R-06, R-62, R-86). Pure: no FastAPI."""

from __future__ import annotations

from app.core.security import Principal, Role

EXPORT_READERS = (Role.data_analyst, Role.service_manager)


def pseudonymised(principal: Principal) -> bool:
    """A data analyst reads only pseudonymised data (R-06); a service manager reads real ids
    and the child's name (never an address or free text, which no export carries)."""
    return not principal.has(Role.service_manager)

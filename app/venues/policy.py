"""Who keeps venues, rooms and the staff list (R-20, R-23): administrators. Pure."""

from __future__ import annotations

from app.core.security import Role

ADMINS = (Role.admin,)

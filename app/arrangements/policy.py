"""Who may read an arrangement (R-06, R-80): whoever may read its child under the child's
current allocation, so a reallocated child takes its live case with it. Pure."""

from __future__ import annotations

from app.children.policy import CHILD_READERS
from app.core.security import Role

READERS = CHILD_READERS
MANAGERS = (Role.team_leader, Role.service_manager)  # resume and close (R-52a)

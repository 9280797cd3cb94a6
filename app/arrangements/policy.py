"""Who may read an arrangement (R-06, R-80): whoever may read its child under the child's
current allocation, so a reallocated child takes its live case with it. Pure."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from app.arrangements.models import Arrangement
from app.children.policy import CHILD_READERS, of_readable_children
from app.core.security import Principal, Role

READERS = CHILD_READERS
MANAGERS = (Role.team_leader, Role.service_manager)  # resume and close (R-52a)


def readable_arrangements(principal: Principal) -> ColumnElement[bool]:
    """The arrangements of the children the caller may read (a CSW's include the children of
    their live sessions), as a SQL filter over `Arrangement`, for lists."""
    return of_readable_children(Arrangement.child_id, principal)

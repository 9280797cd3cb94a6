"""Who may see an arrangement (R-06): whoever may see its child, under the child's current
allocation."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.arrangements.models import Arrangement
from app.children.deps import CHILD_READERS, may_read_child
from app.children.models import Child
from app.core.db import SessionDep
from app.core.errors import not_found
from app.core.security import Principal, require_roles


def readable_arrangement(
    principal: Annotated[Principal, Depends(require_roles(*CHILD_READERS))],
    arrangement_id: uuid.UUID,
    session: SessionDep,
) -> Arrangement:
    arrangement = session.get(Arrangement, arrangement_id)
    child = session.get(Child, arrangement.child_id) if arrangement is not None else None
    if arrangement is None or child is None or not may_read_child(session, principal, child):
        raise not_found("arrangement")
    return arrangement


ReadableArrangement = Annotated[Arrangement, Depends(readable_arrangement)]

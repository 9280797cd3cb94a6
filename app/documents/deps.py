"""Route dependencies for court documents, built on `documents.policy`."""

from __future__ import annotations

import uuid
from typing import Annotated

from app.arrangements.deps import arrangement_by_id
from app.arrangements.models import Arrangement
from app.children.models import Child
from app.core.access import Gate, policy
from app.core.concurrency import Depends
from app.core.db import SessionDep
from app.documents.policy import BUNDLE_READERS


@policy
def bundle_arrangement(principal: Gate(*BUNDLE_READERS), arrangement_id: uuid.UUID, session: SessionDep) -> tuple[Arrangement, Child]:
    """The arrangement and its child, for a caller who may read the child (else a 404)."""
    return arrangement_by_id(session, principal, arrangement_id)


BundleArrangement = Annotated[tuple[Arrangement, Child], Depends(bundle_arrangement)]

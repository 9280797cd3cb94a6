"""Route dependencies for visits, built on `visits.policy`."""

from __future__ import annotations

import uuid
from typing import Annotated


from app.core.concurrency import Depends
from app.core.access import Gate, policy
from app.core.db import SessionDep
from app.sessions.deps import session_where
from app.sessions.models import ContactSession
from app.visits.policy import RECORDERS, may_record_visits


@policy
def visit_session(principal: Gate(*RECORDERS), session_id: uuid.UUID, session: SessionDep) -> ContactSession:
    """A session whose visitors the caller signs in and out (R-30)."""
    return session_where(
        session, principal, session_id, may_record_visits, "Visitors are signed in and out by the session's CSW or a team leader."
    )


VisitSession = Annotated[ContactSession, Depends(visit_session)]

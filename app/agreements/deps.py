"""Route dependencies for agreements and breaches, built on `agreements.policy`; reading them
is reading the arrangement (`arrangements.deps.ReadableArrangement`)."""

from __future__ import annotations

import uuid
from typing import Annotated

from app.agreements.policy import BREACH_RECORDERS, WRITERS, may_record_breach, may_write_agreement
from app.agreements.schemas import BreachCreate
from app.arrangements.deps import arrangement_by_id
from app.arrangements.models import Arrangement
from app.core.access import Gate, policy
from app.core.concurrency import Depends
from app.core.db import SessionDep
from app.core.errors import Forbidden
from app.sessions.models import ContactSession


@policy
def agreement_writer_arrangement(principal: Gate(*WRITERS), arrangement_id: uuid.UUID, session: SessionDep) -> Arrangement:
    """An arrangement the caller may see (404 otherwise) and whose agreement they may write
    and sign (403 otherwise)."""
    arrangement, child = arrangement_by_id(session, principal, arrangement_id)
    if not may_write_agreement(principal, child):
        raise Forbidden("The agreement is written and signed by the child's social worker or a team leader.")
    return arrangement


@policy
def breach_arrangement(
    principal: Gate(*BREACH_RECORDERS), arrangement_id: uuid.UUID, body: BreachCreate, session: SessionDep
) -> Arrangement:
    """An arrangement the caller may see (404 otherwise); a CSW records breaches of their own
    sessions only (403 naming `session_id`)."""
    arrangement = arrangement_by_id(session, principal, arrangement_id)[0]
    row = session.get(ContactSession, body.session_id) if body.session_id is not None else None
    if not may_record_breach(principal, row):
        raise Forbidden("A contact support worker records breaches in a session of their own.", field="session_id")
    return arrangement


AgreementWriterArrangement = Annotated[Arrangement, Depends(agreement_writer_arrangement)]
BreachArrangement = Annotated[Arrangement, Depends(breach_arrangement)]

"""Route dependencies for restrictions, the s34 application, reviews and disputes, built on `oversight.policy`."""

from __future__ import annotations

import uuid
from typing import Annotated

from sqlmodel import Session

from app.arrangements.deps import arrangement_by_id, visible_arrangement
from app.arrangements.models import Arrangement
from app.children.models import Child
from app.core.access import Gate, policy
from app.core.concurrency import Depends
from app.core.db import SessionDep
from app.core.errors import Forbidden
from app.core.security import Principal
from app.oversight.models import Dispute, Restriction
from app.oversight.policy import (
    DISPUTANTS,
    DUE_READERS,
    FLAG_READERS,
    RESTRICTORS,
    REVIEWERS,
    S34_RECORDERS,
    may_dispute,
    may_record_s34,
    may_restrict,
)
from app.oversight.schemas import RestrictionCreate


def _parent(session: Session, principal: Principal, arrangement_id: uuid.UUID | None, what: str) -> tuple[Arrangement, Child]:
    """The arrangement a restriction or dispute hangs off, or the 404 for the row asked for."""
    arrangement = session.get(Arrangement, arrangement_id) if arrangement_id is not None else None
    return visible_arrangement(session, principal, arrangement, what)


@policy
def restrictable_arrangement(
    principal: Gate(*RESTRICTORS), arrangement_id: uuid.UUID, body: RestrictionCreate, session: SessionDep
) -> Arrangement:
    """An arrangement the caller may see (404 otherwise) and restrict as the body asks: a team
    leader only in an emergency (403 naming `emergency`)."""
    arrangement = arrangement_by_id(session, principal, arrangement_id)[0]
    if not may_restrict(principal, emergency=body.emergency):
        raise Forbidden("A restriction is authorised by a service manager; a team leader makes emergency ones only.", field="emergency")
    return arrangement


@policy
def restriction_target(principal: Gate(*RESTRICTORS), restriction_id: uuid.UUID, session: SessionDep) -> Restriction:
    """A restriction of an arrangement the caller may see, or the same 404 as for none."""
    restriction = session.get(Restriction, restriction_id)
    _parent(session, principal, restriction.arrangement_id if restriction else None, "restriction")
    assert restriction is not None
    return restriction


@policy
def s34_arrangement(principal: Gate(*S34_RECORDERS), arrangement_id: uuid.UUID, session: SessionDep) -> Arrangement:
    arrangement, child = arrangement_by_id(session, principal, arrangement_id)
    if not may_record_s34(principal, child):
        raise Forbidden("The s34 application is recorded by the child's social worker or a service manager.")
    return arrangement


@policy
def reviewable_arrangement(principal: Gate(*REVIEWERS), arrangement_id: uuid.UUID, session: SessionDep) -> Arrangement:
    return arrangement_by_id(session, principal, arrangement_id)[0]


def _disputable(session: Session, principal: Principal, arrangement_id: uuid.UUID | None, what: str) -> Arrangement:
    arrangement, child = _parent(session, principal, arrangement_id, what)
    if not may_dispute(principal, child):
        raise Forbidden("Disputes are for the child's social worker, team leaders and service managers.")
    return arrangement


@policy
def disputable_arrangement(principal: Gate(*DISPUTANTS), arrangement_id: uuid.UUID, session: SessionDep) -> Arrangement:
    return _disputable(session, principal, arrangement_id, "arrangement")


@policy
def dispute_target(principal: Gate(*DISPUTANTS), dispute_id: uuid.UUID, session: SessionDep) -> Dispute:
    """A dispute of an arrangement the caller may see and dispute, or the same 404 as for none."""
    dispute = session.get(Dispute, dispute_id)
    _disputable(session, principal, dispute.arrangement_id if dispute else None, "dispute")
    assert dispute is not None
    return dispute


DueReader = Gate(*DUE_READERS)
FlagReader = Gate(*FLAG_READERS)
ReviewableArrangement = Annotated[Arrangement, Depends(reviewable_arrangement)]
RestrictableArrangement = Annotated[Arrangement, Depends(restrictable_arrangement)]
RestrictionTarget = Annotated[Restriction, Depends(restriction_target)]
S34Arrangement = Annotated[Arrangement, Depends(s34_arrangement)]
DisputableArrangement = Annotated[Arrangement, Depends(disputable_arrangement)]
DisputeTarget = Annotated[Dispute, Depends(dispute_target)]

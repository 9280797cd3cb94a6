"""Route dependencies for restrictions, the s34 application, reviews and disputes, built on `oversight.policy`."""

from __future__ import annotations

import uuid
from typing import Annotated

from sqlmodel import Session

from app.arrangements.deps import visible_arrangement
from app.arrangements.models import Arrangement
from app.core.access import Gate, policy
from app.core.concurrency import Depends
from app.core.db import SessionDep
from app.core.errors import Forbidden, NotFound, not_found
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


@policy
def restrictable_arrangement(
    principal: Gate(*RESTRICTORS), arrangement_id: uuid.UUID, body: RestrictionCreate, session: SessionDep
) -> Arrangement:
    """An arrangement the caller may see (404 otherwise) and restrict as the body asks: a team
    leader only in an emergency (403 naming `emergency`)."""
    arrangement = visible_arrangement(session, principal, session.get(Arrangement, arrangement_id))[0]
    if not may_restrict(principal, emergency=body.emergency):
        raise Forbidden("A restriction is authorised by a service manager; a team leader makes emergency ones only.", field="emergency")
    return arrangement


@policy
def restriction_target(principal: Gate(*RESTRICTORS), restriction_id: uuid.UUID, session: SessionDep) -> Restriction:
    """A restriction of an arrangement the caller may see, or the same 404 as for none."""
    restriction = session.get(Restriction, restriction_id)
    arrangement = session.get(Arrangement, restriction.arrangement_id) if restriction is not None else None
    if restriction is None or arrangement is None:
        raise not_found("restriction")
    try:
        visible_arrangement(session, principal, arrangement)
    except NotFound:  # the arrangement's 404, worded for the restriction
        raise not_found("restriction") from None
    return restriction


@policy
def s34_arrangement(principal: Gate(*S34_RECORDERS), arrangement_id: uuid.UUID, session: SessionDep) -> Arrangement:
    arrangement, child = visible_arrangement(session, principal, session.get(Arrangement, arrangement_id))
    if not may_record_s34(principal, child):
        raise Forbidden("The s34 application is recorded by the child's social worker or a service manager.")
    return arrangement


@policy
def reviewable_arrangement(principal: Gate(*REVIEWERS), arrangement_id: uuid.UUID, session: SessionDep) -> Arrangement:
    return visible_arrangement(session, principal, session.get(Arrangement, arrangement_id))[0]


DueReader = Gate(*DUE_READERS)
FlagReader = Gate(*FLAG_READERS)
ReviewableArrangement = Annotated[Arrangement, Depends(reviewable_arrangement)]
RestrictableArrangement = Annotated[Arrangement, Depends(restrictable_arrangement)]
RestrictionTarget = Annotated[Restriction, Depends(restriction_target)]
S34Arrangement = Annotated[Arrangement, Depends(s34_arrangement)]


def _disputable(session: Session, principal: Principal, arrangement: Arrangement | None, what: str) -> Arrangement:
    try:
        arrangement, child = visible_arrangement(session, principal, arrangement)
    except NotFound:
        raise not_found(what) from None
    if not may_dispute(principal, child):
        raise Forbidden("Disputes are for the child's social worker, team leaders and service managers.")
    return arrangement


@policy
def disputable_arrangement(principal: Gate(*DISPUTANTS), arrangement_id: uuid.UUID, session: SessionDep) -> Arrangement:
    return _disputable(session, principal, session.get(Arrangement, arrangement_id), "arrangement")


@policy
def dispute_target(principal: Gate(*DISPUTANTS), dispute_id: uuid.UUID, session: SessionDep) -> Dispute:
    """A dispute of an arrangement the caller may see and dispute, or the same 404 as for none."""
    dispute = session.get(Dispute, dispute_id)
    arrangement = session.get(Arrangement, dispute.arrangement_id) if dispute is not None else None
    _disputable(session, principal, arrangement, "dispute")
    assert dispute is not None
    return dispute


DisputableArrangement = Annotated[Arrangement, Depends(disputable_arrangement)]
DisputeTarget = Annotated[Dispute, Depends(dispute_target)]

"""Route dependencies for referrals, built on `referrals.policy`: a route gets a referral
only through one of these, and the child of a new referral only through `ReferableChild`."""

from __future__ import annotations

import uuid
from typing import Annotated

from sqlalchemy import ColumnElement

from app.core.concurrency import Depends
from app.children.models import Child
from app.core.access import Gate, policy
from app.core.db import SessionDep
from app.core.errors import Forbidden, invalid_field, not_found
from app.core.security import Principal
from app.referrals.models import Referral
from app.referrals.policy import (
    APPROVERS,
    DECIDERS,
    QUEUE_READERS,
    READERS,
    REFERRERS,
    can_read_referral,
    may_approve,
    may_refer,
    readable_referrals,
)
from app.referrals.schemas import ReferralCreate


def valid_referral(referral_id: uuid.UUID, session: SessionDep) -> Referral:
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise not_found("referral")
    return referral


ValidReferral = Annotated[Referral, Depends(valid_referral)]


def _visible(session: SessionDep, principal: Principal, referral: Referral) -> Referral:
    def child_source() -> str | None:
        child = session.get(Child, referral.child_id)
        return child.source if child is not None else None

    if not can_read_referral(principal, referral, child_source):
        raise not_found("referral")
    return referral


@policy
def readable_referral(principal: Gate(*READERS), referral: ValidReferral, session: SessionDep) -> Referral:
    return _visible(session, principal, referral)


@policy
def referrers_referral(principal: Gate(*REFERRERS, acting=True), referral: ValidReferral, session: SessionDep) -> Referral:
    """A referral its referrer (or their case-record system) submits or withdraws."""
    return _visible(session, principal, referral)


@policy
def approvable_referral(principal: Gate(*APPROVERS), referral: ValidReferral, session: SessionDep) -> Referral:
    _visible(session, principal, referral)
    if not may_approve(principal, referral):
        raise Forbidden("A referral is approved by a manager other than its referrer.")
    return referral


@policy
def decidable_referral(principal: Gate(*DECIDERS), referral: ValidReferral, session: SessionDep) -> Referral:
    """A referral a team leader triages or decides (R-14, R-15)."""
    return _visible(session, principal, referral)


@policy
def referable_child(body: ReferralCreate, principal: Gate(*REFERRERS, acting=True), session: SessionDep) -> Child:
    """The child a new referral names: the same 422 whether it does not exist or is not
    the caller's to refer, so the answer tells nothing about children of others."""
    child = session.get(Child, body.child_id)
    if child is None or not may_refer(principal, child):
        raise invalid_field("child_id", "there is no child with this id that you may refer")
    return child


@policy
def referral_filter(principal: Gate(*READERS)) -> ColumnElement[bool]:
    """The SQL filter of the referrals this caller may read, for lists (R-83); the list's
    child comes through `ReadableChild`."""
    return readable_referrals(principal)


ReadableReferral = Annotated[Referral, Depends(readable_referral)]
ReferrersReferral = Annotated[Referral, Depends(referrers_referral)]
ApprovableReferral = Annotated[Referral, Depends(approvable_referral)]
DecidableReferral = Annotated[Referral, Depends(decidable_referral)]
ReferableChild = Annotated[Child, Depends(referable_child)]
QueueReader = Gate(*QUEUE_READERS)
ReferralFilter = Annotated[ColumnElement[bool], Depends(referral_filter)]

"""Reactions that cross domains (DESIGN; Netflix Dispatch's `case/flows.py` is the model).

A domain's service changes its own rows and knows nothing of the domains built on it; when a
change in one must change another, the flow here does both, in the request's one
transaction. So no service imports another domain's service to react to it:

* a decided referral, when accepted, opens its arrangement (R-18), and the decision is
  announced with it (R-16);
* a cancelled session cancels its transport (R-29, R-31);
* a referral is read with the arrangement its acceptance opened (R-18).

Routers call these; a router is the one place below this module allowed to import it.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session

from app.arrangements import service as arrangement_service
from app.core.config import Settings
from app.core.security import Principal
from app.referrals import service as referral_service
from app.referrals.models import Referral
from app.referrals.schemas import DecisionCreate, ReferralRead
from app.sessions import service as session_service
from app.sessions.models import ContactSession
from app.sessions.schemas import CancelCreate
from app.transport import service as transport_service


def decide_referral(
    session: Session, principal: Principal, settings: Settings, referral: Referral, data: DecisionCreate
) -> uuid.UUID | None:
    """The decision, the arrangement an acceptance opens, then the notification naming it."""
    referral_service.decide(session, principal, settings, referral, data)
    arrangement_id = arrangement_service.open_for(session, principal, referral).id if data.outcome.accepted else None
    referral_service.announce_decision(session, referral, arrangement_id)
    return arrangement_id


def cancel_session(session: Session, principal: Principal, settings: Settings, row: ContactSession, data: CancelCreate) -> None:
    """The cancellation, then the transport that only existed for it."""
    session_service.cancel(session, principal, settings, row, data)
    transport_service.on_session_cancelled(session, principal, row)


def read_referral(session: Session, referral: Referral) -> ReferralRead:
    accepted = referral.outcome is not None and referral.outcome.accepted
    arrangement_id = arrangement_service.id_for_referral(session, referral.id) if accepted else None
    return referral_service.read(session, referral, arrangement_id)

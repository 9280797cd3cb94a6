"""Reactions that cross domains (DESIGN; Netflix Dispatch's `case/flows.py` is the model).

A domain's service changes its own rows and knows nothing of the domains built on it; when a
change in one must change another, the flow here does both, in the request's one
transaction. So no service imports another domain's service to react to it:

* a decided referral, when accepted, opens its arrangement (R-18) with its first reviews
  due (R-55), and the decision is announced with it (R-16);
* a cancelled session cancels its transport (R-29, R-31);
* a referral is read with the arrangement its acceptance opened (R-18);
* a booking needs the arrangement's written agreement signed by every party (R-50);
* a breach that suspends contact holds the future sessions and their transport, and
  resuming or closing the arrangement releases or cancels them (R-52, R-52a);
* a restriction suspends or ends contact as a breach or a closure does, then asks the s34
  rule (R-53, R-54);
* an arrangement is read with its agreement's state and its open flags.

Routers call these; a router is the one place below this module allowed to import it.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session

from app import freetext
from app.agreements import service as agreement_service
from app.agreements.models import Breach
from app.agreements.schemas import BreachCreate
from app.arrangements import service as arrangement_service
from app.arrangements.models import Arrangement, ArrangementStatus
from app.arrangements.schemas import ArrangementRead, CloseCreate, CloseRead, ResumeRead
from app.calendar.deadlines import working_calendar
from app.children.models import Child
from app.core import clock
from app.oversight import service as oversight_service
from app.oversight.models import Restriction, RestrictionKind
from app.oversight.schemas import RestrictionCreate
from app.core.config import Settings
from app.core.security import Principal
from app.referrals import service as referral_service
from app.referrals.models import Referral
from app.referrals.schemas import DecisionCreate, ReferralRead
from app.sessions import service as session_service
from app.sessions.models import ContactSession
from app.sessions.schemas import CancelCreate, SessionCreate
from app.transport import service as transport_service


def decide_referral(
    session: Session, principal: Principal, settings: Settings, referral: Referral, data: DecisionCreate
) -> uuid.UUID | None:
    """The decision, the arrangement an acceptance opens, then the notification naming it."""
    referral_service.decide(session, principal, settings, referral, data)
    arrangement_id = None
    if data.outcome.accepted:
        arrangement = arrangement_service.open_for(session, principal, referral)
        oversight_service.schedule_first_reviews(session, arrangement, settings, working_calendar(settings).local_date(arrangement.opened_at))
        arrangement_id = arrangement.id
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


def book_sessions(
    session: Session, principal: Principal, settings: Settings, arrangement: Arrangement, data: SessionCreate
) -> tuple[uuid.UUID | None, list[ContactSession]]:
    """R-50: an active arrangement books only under a fully signed agreement (a suspended or
    closed one gets booking's own 409 naming its state)."""
    if arrangement.status == ArrangementStatus.active:
        agreement_service.require_signed(session, arrangement)
    return session_service.book(session, principal, settings, arrangement, data)


def record_breach(session: Session, principal: Principal, settings: Settings, arrangement: Arrangement, data: BreachCreate) -> Breach:
    """R-52: a breach that suspends contact does it in the same transaction: the arrangement
    first (the social worker's event goes out at once), then its future sessions on hold,
    then their transport."""
    breach, suspends = agreement_service.record_breach(session, principal, arrangement, data)
    if suspends:
        _suspend(session, principal, settings, arrangement, breach_id=breach.id)
    return breach


def resume_arrangement(session: Session, principal: Principal, arrangement: Arrangement) -> ResumeRead:
    """R-52a: held sessions still free are booked again, with their transport; the others
    are answered as clashes and stay on hold."""
    arrangement_service.lock(session, arrangement)
    arrangement_service.resume(session, principal, arrangement)
    resumed, clashes = session_service.resume_held(session, principal, arrangement.id)
    transport_service.release_for_sessions(session, principal, [row.id for row in resumed])
    return ResumeRead(arrangement_id=arrangement.id, status=arrangement.status, resumed_sessions=[row.id for row in resumed], clashes=clashes)


def _end(session: Session, principal: Principal, settings: Settings, arrangement: Arrangement, reason: str, exit_plan: str | None) -> list[ContactSession]:
    """Closing cancels the sessions still to come, and their transport, with the reason."""
    arrangement_service.close(session, principal, arrangement, reason, exit_plan)
    cancelled = session_service.cancel_open(session, principal, settings, arrangement.id, reason)
    for row in cancelled:
        transport_service.on_session_cancelled(session, principal, row)
    return cancelled


def _suspend(session: Session, principal: Principal, settings: Settings, arrangement: Arrangement, **why: uuid.UUID) -> None:
    """R-52a: the arrangement first (the social worker's event goes out at once), then its
    future sessions on hold, then their transport."""
    arrangement_service.suspend(session, principal, settings, arrangement, **why)
    held = session_service.hold_future(session, principal, arrangement.id)
    transport_service.hold_for_sessions(session, principal, [row.id for row in held])


def close_arrangement(session: Session, principal: Principal, settings: Settings, arrangement: Arrangement, data: CloseCreate) -> CloseRead:
    arrangement_service.lock(session, arrangement)
    freetext.check(session, arrangement.child_id, {"reason": data.reason, "exit_plan": data.exit_plan}, kind="arrangements")
    cancelled = _end(session, principal, settings, arrangement, data.reason, data.exit_plan)
    return CloseRead(arrangement_id=arrangement.id, status=arrangement.status, cancelled_sessions=[row.id for row in cancelled])


def restrict_arrangement(session: Session, principal: Principal, settings: Settings, arrangement: Arrangement, data: RestrictionCreate) -> Restriction:
    """R-53: the restriction recorded; a suspension suspends an active arrangement, a
    termination closes it; then the s34 check (R-54a) on what was done."""
    today = working_calendar(settings).local_date(clock.now())
    restriction = oversight_service.record(session, principal, arrangement, data, today)
    if data.kind == RestrictionKind.suspend and arrangement.status == ArrangementStatus.active:
        _suspend(session, principal, settings, arrangement, restriction_id=restriction.id)
    elif data.kind == RestrictionKind.terminate:
        _end(session, principal, settings, arrangement, data.reason, None)
    child = session.get(Child, arrangement.child_id)
    assert child is not None
    oversight_service.check_s34(
        session, principal, arrangement, child, kind=data.kind, starts_on=data.starts_on, ends_on=data.ends_on, today=today
    )
    return restriction


def read_arrangement(session: Session, settings: Settings, arrangement: Arrangement) -> ArrangementRead:
    now = clock.now()
    flags = oversight_service.flags(session, arrangement, working_calendar(settings).local_date(now), now)
    today = working_calendar(settings).local_date(now)
    return ArrangementRead.model_validate(
        {
            **arrangement.model_dump(), "agreement": agreement_service.state(session, arrangement.id), "flags": flags,
            "next_reviews": oversight_service.next_reviews(session, arrangement, today),
        }
    )

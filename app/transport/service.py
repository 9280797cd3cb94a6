"""Transport requests, drivers and expenses (R-31 to R-35). No HTTP here.

A journey is a leg of a session: to the venue in the hour before it starts, from the
venue in the hour after it ends (`journey_minutes`). A request for an arrangement covers
each of its upcoming live sessions, so journeys are computed from the sessions, never
stored twice. Events carry ids and times only: never a pick-up address (R-08).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, extract, func, select
from sqlmodel import Session

from app import freetext
from app.calendar.deadlines import working_calendar
from app.arrangements.models import Arrangement, ArrangementStatus
from app.children.models import Child, Person, PlacementType
from app.core import clock, outbox
from app.core.config import API_PREFIX, Settings
from app.core.db import lock_key
from app.core.changes import record_change
from app.core.errors import AppError, WrongState, invalid_field
from app.core.models import snapshot
from app.core.pagination import Page, PageParams, paginate
from app.core.periods import Period
from app.core.security import Principal
from app.sessions.models import ContactSession, SessionStatus
from app.transport.models import (
    Driver,
    Expense,
    ExpenseStatus,
    Leg,
    Provider,
    TransportRequest,
    TransportStatus,
)
from app.transport.schemas import DriverAssignment, DriverCreate, ExpenseCreate, ExpenseDecision, TransportCreate, TransportDecision

ACTIVE = (TransportStatus.requested, TransportStatus.approved, TransportStatus.driver_assigned)
CANCELLABLE = (*ACTIVE, TransportStatus.on_hold)
BOOKABLE_SESSION = (SessionStatus.booked, SessionStatus.on_hold)


@dataclass(frozen=True)
class Target:
    """What a new transport request or expense is for, as `transport.deps` found it."""

    arrangement: Arrangement
    child: Child
    session: ContactSession | None = None


@dataclass(frozen=True)
class Journey:
    request_id: uuid.UUID
    session_id: uuid.UUID
    leg: Leg
    starts_at: datetime
    ends_at: datetime


def _event(request: TransportRequest) -> dict[str, Any]:
    return {
        "transport_request_id": request.id,
        "arrangement_id": request.arrangement_id,
        "child_id": request.child_id,
        "session_id": request.session_id,
        "legs": request.legs,
        "provider": request.provider,
        "status": request.status,
        "driver_id": request.driver_id,
    }


def create_request(session: Session, principal: Principal, target: Target, data: TransportCreate) -> TransportRequest:
    """A request for `target`, which `transport.deps.transport_target` found the caller may
    arrange transport for."""
    now = clock.now()
    arrangement, child, row = target.arrangement, target.child, target.session
    freetext.check(session, child.id, {"reason": data.reason, "evidence": data.evidence}, kind="transport")
    if row is not None:
        if row.status not in BOOKABLE_SESSION:
            raise WrongState("session", "arrange transport for", row.status.value)
        if row.starts_at <= now:
            raise invalid_field("session_id", "the session has already started")
    elif arrangement.status != ArrangementStatus.active:
        raise WrongState("arrangement", "arrange transport for", arrangement.status.value)
    # an IFA placement is transported under the agency's contract unless the
    # placement agreement says otherwise; such a request never reaches the volunteers.
    agency = child.placement_type == PlacementType.ifa and not data.agency_agreement_excludes_transport
    request = TransportRequest(
        arrangement_id=arrangement.id,
        child_id=child.id,
        session_id=data.session_id,
        legs=[leg.value for leg in data.legs],
        pickup_address=data.pickup_address,
        reason=data.reason,
        evidence=data.evidence,
        provider=Provider.ifa_agency if agency else Provider.volunteer,
        created_by=principal.sub,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    record_change(session, principal, "transport.requested", "transport_request", request, before=None, event=_event(request))
    return request


def _change(session: Session, principal: Principal, request: TransportRequest, action: str, before: dict[str, Any]) -> None:
    request.version += 1
    request.updated_at = clock.now()
    record_change(session, principal, f"transport.{action}", "transport_request", request, before=before, event=_event(request))


def decide(session: Session, principal: Principal, request: TransportRequest, data: TransportDecision) -> TransportRequest:
    if request.status != TransportStatus.requested:
        raise WrongState("transport request", "decide", request.status.value)
    if not data.approve and not data.reason:
        raise invalid_field("reason", "a declined request needs a reason the social worker can read")
    before = snapshot(request)
    request.status = TransportStatus.approved if data.approve else TransportStatus.declined
    request.decline_reason = None if data.approve else data.reason
    request.decided_by = principal.sub
    request.decided_at = clock.now()
    _change(session, principal, request, "approved" if data.approve else "declined", before)
    return request


def journeys(session: Session, settings: Settings, requests: list[TransportRequest], since: datetime, until: datetime | None = None) -> list[Journey]:
    """The journeys of these requests from `since`: one query for all their sessions."""
    if not requests:
        return []
    by_session = {r.session_id: r for r in requests if r.session_id is not None}
    by_arrangement = {r.arrangement_id: r for r in requests if r.session_id is None}
    gap = timedelta(minutes=settings.journey_minutes)
    statement = select(ContactSession).where(
        ContactSession.status.in_(BOOKABLE_SESSION),
        ContactSession.ends_at > since - gap,  # its journey home may still be ahead
        ContactSession.id.in_(list(by_session)) | ContactSession.arrangement_id.in_(list(by_arrangement)),
    )
    if until is not None:
        statement = statement.where(ContactSession.starts_at < until)
    out = []
    for row in session.execute(statement.order_by(ContactSession.starts_at)).scalars():
        request = by_session.get(row.id) or by_arrangement.get(row.arrangement_id)
        if request is None:
            continue
        for leg in request.legs:
            if leg == Leg.to_venue:
                out.append(Journey(request.id, row.id, Leg.to_venue, row.starts_at - gap, row.starts_at))
            else:
                out.append(Journey(request.id, row.id, Leg.from_venue, row.ends_at, row.ends_at + gap))
    return [j for j in out if j.ends_at > since]


def usual_driver(session: Session, request: TransportRequest) -> uuid.UUID | None:
    """R-33: the driver of the arrangement's latest assigned request other than this one."""
    return session.execute(
        select(TransportRequest.driver_id)
        .where(
            TransportRequest.arrangement_id == request.arrangement_id,
            TransportRequest.id != request.id,
            TransportRequest.driver_id.is_not(None),
        )
        .order_by(TransportRequest.driver_assigned_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def assign_driver(session: Session, principal: Principal, settings: Settings, request: TransportRequest, data: DriverAssignment) -> TransportRequest:
    if request.provider == Provider.ifa_agency:
        raise AppError(
            409, "agency-transport", "Transported by the agency",
            "The child's IFA placement includes transport (R-32); this request does not go to a volunteer driver.",
        )
    if request.status == TransportStatus.requested:
        # R-33 follows the decision: say which step comes first, not only the state.
        raise WrongState(
            "transport request", "assign a driver to", request.status.value, "approved",
            detail=f"The request must be approved first: POST {API_PREFIX}/transport-requests/{request.id}/decision "
            'with {"approve": true} (a team leader), then assign the driver.',
        )
    if request.status not in (TransportStatus.approved, TransportStatus.driver_assigned):
        raise WrongState("transport request", "assign a driver to", request.status.value)
    driver = session.get(Driver, data.driver_id)
    if driver is None:
        raise invalid_field("driver_id", "there is no such driver")
    lock_key(session, f"driver:{driver.id}")
    now = clock.now()
    mine = journeys(session, settings, [request], now)
    if mine:
        last_day = working_calendar(settings).local_date(max(j.ends_at for j in mine))
        if driver.dbs_expires_on < last_day:
            raise invalid_field("driver_id", f"the driver's DBS check expires on {driver.dbs_expires_on}, before the journey on {last_day}")
    elif driver.dbs_expires_on < working_calendar(settings).local_date(now):
        raise invalid_field("driver_id", f"the driver's DBS check expired on {driver.dbs_expires_on}")
    usual = usual_driver(session, request)
    current = request.driver_id or usual
    if current is not None and current != driver.id and not data.change_reason:
        raise invalid_field("change_reason", "the arrangement has its usual driver; say why another drives")
    others = session.execute(
        select(TransportRequest).where(
            TransportRequest.driver_id == driver.id,
            TransportRequest.status == TransportStatus.driver_assigned,
            TransportRequest.id != request.id,
        )
    ).scalars().all()
    clashes = [
        {"transport_request_id": str(o.request_id), "session_id": str(o.session_id), "leg": o.leg.value,
         "starts_at": o.starts_at.isoformat(), "ends_at": o.ends_at.isoformat()}
        for o in journeys(session, settings, list(others), now)
        if any(o.starts_at < j.ends_at and j.starts_at < o.ends_at for j in mine)
    ]
    if clashes:
        raise AppError(
            409, "driver-clash", "The driver is already booked",
            f"The driver has {len(clashes)} overlapping journey(s).", extra={"clashes": clashes},
        )
    before = snapshot(request)
    request.driver_id = driver.id
    request.driver_assigned_at = now
    request.driver_change_reason = data.change_reason if current is not None and current != driver.id else None
    request.status = TransportStatus.driver_assigned
    _change(session, principal, request, "driver_assigned", before)
    return request


def cancel_request(session: Session, principal: Principal, request: TransportRequest, reason: str) -> TransportRequest:
    if request.status not in CANCELLABLE:
        raise WrongState("transport request", "cancel", request.status.value)
    before = snapshot(request)
    request.status = TransportStatus.cancelled
    request.cancelled_at = clock.now()
    request.cancel_reason = reason
    _change(session, principal, request, "cancelled", before)
    return request


def on_session_cancelled(session: Session, principal: Principal, row: ContactSession) -> None:
    """R-31: cancelling a session cancels its own transport, and drops that session's
    journeys from an arrangement-wide request; both are said on the outbox."""
    own = session.execute(
        select(TransportRequest).where(TransportRequest.session_id == row.id, TransportRequest.status.in_(CANCELLABLE))
    ).scalars().all()
    for request in own:
        cancel_request(session, principal, request, "The session was cancelled.")
    series = session.execute(
        select(TransportRequest).where(
            TransportRequest.arrangement_id == row.arrangement_id,
            TransportRequest.session_id.is_(None),
            TransportRequest.status.in_(ACTIVE),
        )
    ).scalars().all()
    for request in series:
        outbox.emit(
            session, "transport.journey_cancelled", request.id,
            {"transport_request_id": request.id, "session_id": row.id, "driver_id": request.driver_id, "legs": request.legs},
            child_id=request.child_id,
        )


def create_driver(session: Session, principal: Principal, data: DriverCreate) -> Driver:
    driver = Driver(created_at=clock.now(), **data.model_dump())
    session.add(driver)
    record_change(
        session, principal, "driver.created", "driver", driver, before=None,
        event={"driver_id": driver.id, "dbs_expires_on": driver.dbs_expires_on},
    )
    return driver


def driver_journeys(session: Session, settings: Settings, driver: Driver, since: datetime, until: datetime) -> list[Journey]:
    requests = session.execute(
        select(TransportRequest).where(TransportRequest.driver_id == driver.id, TransportRequest.status == TransportStatus.driver_assigned)
    ).scalars().all()
    return sorted(journeys(session, settings, list(requests), since, until), key=lambda j: (j.starts_at, j.leg))


def create_expense(session: Session, principal: Principal, target: Target, data: ExpenseCreate) -> Expense:
    """An expense of `target`, which `transport.deps.expense_target` found the caller may record."""
    child = target.child
    person = session.get(Person, data.person_id)
    if person is None or person.child_id != child.id:
        raise invalid_field("person_id", "is not in this child's network")
    if data.incurred_on > clock.now().date() + timedelta(days=1):
        raise invalid_field("incurred_on", "must not be in the future")
    freetext.check(session, child.id, {"purpose": data.purpose}, kind="expenses")
    expense = Expense(created_by=principal.sub, created_at=clock.now(), **data.model_dump())
    session.add(expense)
    record_change(
        session, principal, "expense.recorded", "expense", expense, before=None, child_id=child.id,
        event={"expense_id": expense.id, "arrangement_id": expense.arrangement_id, "amount_pence": expense.amount_pence, "incurred_on": expense.incurred_on},
    )
    return expense


def _child_of(session: Session, arrangement_id: uuid.UUID) -> uuid.UUID | None:
    arrangement = session.get(Arrangement, arrangement_id)
    return arrangement.child_id if arrangement is not None else None


def decide_expense(session: Session, principal: Principal, expense: Expense, data: ExpenseDecision) -> Expense:
    if expense.status != ExpenseStatus.submitted:
        raise WrongState("expense", "decide", expense.status.value)
    if not data.approve and not data.reason:
        raise invalid_field("reason", "a rejected expense needs a reason")
    before = snapshot(expense)
    expense.status = ExpenseStatus.approved if data.approve else ExpenseStatus.rejected
    expense.decided_by = principal.sub
    expense.decided_at = clock.now()
    expense.decision_reason = data.reason
    record_change(
        session, principal, "expense.approved" if data.approve else "expense.rejected", "expense", expense, before=before,
        event={"expense_id": expense.id, "arrangement_id": expense.arrangement_id, "amount_pence": expense.amount_pence},
        child_id=_child_of(session, expense.arrangement_id),
    )
    return expense


def expense_totals(session: Session, *, arrangement_id: uuid.UUID | None, since: date | None, until: date | None) -> list[dict[str, Any]]:
    """Totals per arrangement, month and status for finance (R-34): one grouped query."""
    year = extract("year", Expense.incurred_on)
    month = extract("month", Expense.incurred_on)
    statement = select(Expense.arrangement_id, year, month, Expense.status, func.count(), func.sum(Expense.amount_pence)).group_by(
        Expense.arrangement_id, year, month, Expense.status
    )
    if arrangement_id is not None:
        statement = statement.where(Expense.arrangement_id == arrangement_id)
    if since is not None:
        statement = statement.where(Expense.incurred_on >= since)
    if until is not None:
        statement = statement.where(Expense.incurred_on <= until)
    rows = session.execute(statement.order_by(year, month, Expense.arrangement_id, Expense.status)).all()
    return [
        {"arrangement_id": a, "month": f"{int(y):04d}-{int(m):02d}", "status": s, "count": int(n), "amount_pence": int(total or 0)}
        for a, y, m, s, n, total in rows
    ]


def hold_for_sessions(session: Session, principal: Principal, session_ids: list[uuid.UUID]) -> list[TransportRequest]:
    """R-52a: the transport of sessions put on hold is held too, remembering where it was."""
    if not session_ids:
        return []
    requests = session.execute(
        select(TransportRequest)
        .where(TransportRequest.session_id.in_(session_ids), TransportRequest.status.in_(ACTIVE))
        .order_by(TransportRequest.created_at)
    ).scalars().all()
    for request in requests:
        before = snapshot(request)
        request.held_from = request.status
        request.status = TransportStatus.on_hold
        _change(session, principal, request, "held", before)
    return list(requests)


def release_for_sessions(session: Session, principal: Principal, session_ids: list[uuid.UUID]) -> list[TransportRequest]:
    """Resuming (R-52a): the held transport of sessions booked again returns to where it was."""
    if not session_ids:
        return []
    requests = session.execute(
        select(TransportRequest)
        .where(TransportRequest.session_id.in_(session_ids), TransportRequest.status == TransportStatus.on_hold)
        .order_by(TransportRequest.created_at)
    ).scalars().all()
    for request in requests:
        before = snapshot(request)
        request.status = request.held_from or TransportStatus.requested
        request.held_from = None
        _change(session, principal, request, "resumed", before)
    return list(requests)


def arrangement_page(
    session: Session, arrangement_id: uuid.UUID, readable: ColumnElement[bool], page: PageParams,
    statuses: list[TransportStatus] | None, period: Period,
) -> Page[TransportRequest]:
    """R-83: the arrangement's transport requests the caller may read (`readable`, from the
    policy), by when each was asked for, oldest first; only those in `statuses` and asked
    for in `period`."""
    statement = select(TransportRequest).where(
        TransportRequest.arrangement_id == arrangement_id, readable, *period.where(TransportRequest.created_at)
    )
    if statuses:
        statement = statement.where(TransportRequest.status.in_(statuses))
    return paginate(session, statement, [TransportRequest.created_at, TransportRequest.id], page, lambda row: row)

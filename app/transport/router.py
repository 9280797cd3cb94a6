"""HTTP for transport requests (one, and an arrangement's: R-83), drivers and expenses."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import Query, Response, status

from app.arrangements.deps import ReadableArrangement
from app.core.concurrency import APIRouter
from app.core import clock
from app.core.db import SessionDep
from app.core.config import API_PREFIX, SettingsDep
from app.core.errors import check_area, error_responses, invalid_field
from app.core.pagination import Page, PageParamsDep
from app.core.periods import PeriodDep
from app.core.security import PrincipalDep
from app.core.schemas import Day
from app.transport import service
from app.transport.deps import (
    DecidableExpense,
    DecidableTransport,
    DriverKeeper,
    ExpenseTarget,
    FinanceReader,
    ReadableTransport,
    RequestersTransport,
    TeamLeadersDriver,
    TransportFilter,
    TransportTarget,
    transport_read,
    transport_reads,
)
from app.transport.models import Driver, Expense, TransportStatus
from app.transport.schemas import (
    DriverAssignment,
    DriverCreate,
    DriverRead,
    ExpenseCreate,
    ExpenseDecision,
    ExpenseRead,
    ExpenseTotal,
    JourneyRead,
    TransportCancel,
    TransportCreate,
    TransportDecision,
    TransportRead,
)

router = APIRouter(tags=["transport"])

WRITE_ERRORS = (401, 403, 404, 409, 413, 415, 422)


@router.post(
    "/transport-requests",
    response_model=TransportRead,
    status_code=status.HTTP_201_CREATED,
    summary="Ask for transport to contact",
    description=(
        "R-31, R-32: for one session (`session_id`) or every upcoming session of an arrangement "
        "(`arrangement_id`); the legs, the pick-up place, why the carer cannot and the evidence. "
        "A child in an IFA placement is transported by the agency (`provider: ifa_agency`) unless "
        "the placement agreement says otherwise."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def create_transport_request(
    body: TransportCreate, target: TransportTarget, principal: PrincipalDep, session: SessionDep, response: Response
) -> TransportRead:
    request = service.create_request(session, principal, target, body)
    response.headers["Location"] = f"{API_PREFIX}/transport-requests/{request.id}"
    return transport_read(principal, target.child, request)


@router.get(
    "/transport-requests/{request_id}",
    response_model=TransportRead,
    summary="Read a transport request",
    description="The pick-up address is null for callers the child's address is withheld from (R-08).",
    responses=error_responses(401, 403, 404, 422),
)
def get_transport_request(found: ReadableTransport, principal: PrincipalDep) -> TransportRead:
    transport, child = found
    return transport_read(principal, child, transport)


@router.post(
    "/transport-requests/{request_id}/decision",
    response_model=TransportRead,
    summary="Approve or decline a transport request",
    description="Team leaders; a decline needs a reason.",
    responses=error_responses(*WRITE_ERRORS),
)
def decide_transport_request(found: DecidableTransport, principal: PrincipalDep, body: TransportDecision, session: SessionDep) -> TransportRead:
    transport, child = found
    return transport_read(principal, child, service.decide(session, principal, transport, body))


@router.post(
    "/transport-requests/{request_id}/driver",
    response_model=TransportRead,
    summary="Assign a volunteer driver",
    description=(
        "R-33, R-35: the arrangement keeps its driver; another needs `change_reason`. A driver whose "
        "DBS check will have expired by the journey, or who is already driving at that time, is refused. "
        "A request not yet approved is a 409 naming the step first: `POST .../decision`."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def assign_driver(
    found: DecidableTransport, principal: PrincipalDep, body: DriverAssignment, session: SessionDep, settings: SettingsDep
) -> TransportRead:
    transport, child = found
    return transport_read(principal, child, service.assign_driver(session, principal, settings, transport, body))


@router.post(
    "/transport-requests/{request_id}/cancel",
    response_model=TransportRead,
    summary="Cancel a transport request",
    responses=error_responses(*WRITE_ERRORS),
)
def cancel_transport_request(found: RequestersTransport, principal: PrincipalDep, body: TransportCancel, session: SessionDep) -> TransportRead:
    transport, child = found
    return transport_read(principal, child, service.cancel_request(session, principal, transport, body.reason))


@router.post(
    "/drivers",
    response_model=DriverRead,
    status_code=status.HTTP_201_CREATED,
    summary="Register a volunteer driver",
    description="R-33, R-35: with the date of their DBS check and its expiry.",
    responses=error_responses(*WRITE_ERRORS),
)
def create_driver(body: DriverCreate, principal: DriverKeeper, session: SessionDep, settings: SettingsDep) -> Driver:
    if body.area is not None:
        check_area(settings.areas, body.area)
    return service.create_driver(session, principal, body)


@router.get(
    "/drivers/{driver_id}/journeys",
    response_model=Page[JourneyRead],
    summary="A driver's upcoming journeys",
    description="Team leaders: each leg to or from a venue in the coming `days` (default 28).",
    responses=error_responses(401, 403, 404, 422),
)
def driver_journeys(
    driver: TeamLeadersDriver,
    session: SessionDep,
    settings: SettingsDep,
    days: Annotated[int, Query(ge=1, le=366)] = 28,
) -> Page[JourneyRead]:
    now = clock.now()
    items = service.driver_journeys(session, settings, driver, now, now + timedelta(days=days))
    return Page(
        items=[
            JourneyRead(transport_request_id=j.request_id, session_id=j.session_id, leg=j.leg, starts_at=j.starts_at, ends_at=j.ends_at)
            for j in items
        ],
        next_cursor=None,
    )


@router.post(
    "/expenses",
    response_model=ExpenseRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a contact expense",
    description="R-34: a parent's travel or activity cost, in pence (at most £1,000), with its purpose and date.",
    responses=error_responses(*WRITE_ERRORS),
)
def create_expense(body: ExpenseCreate, target: ExpenseTarget, principal: PrincipalDep, session: SessionDep) -> Expense:
    return service.create_expense(session, principal, target, body)


@router.post(
    "/expenses/{expense_id}/approval",
    response_model=ExpenseRead,
    summary="Approve or reject an expense",
    description="Team leaders; a rejection needs a reason.",
    responses=error_responses(*WRITE_ERRORS),
)
def decide_expense(expense: DecidableExpense, principal: PrincipalDep, body: ExpenseDecision, session: SessionDep) -> Expense:
    return service.decide_expense(session, principal, expense, body)


@router.get(
    "/expenses/totals",
    response_model=Page[ExpenseTotal],
    summary="Expense totals per arrangement and month",
    description="R-34, for finance: count and sum in pence per arrangement, month of `incurred_on` and status.",
    responses=error_responses(401, 403, 422),
)
def expense_totals(
    _principal: FinanceReader,
    session: SessionDep,
    arrangement_id: Annotated[uuid.UUID | None, Query()] = None,
    since: Annotated[Day | None, Query(alias="from", description="First day, YYYY-MM-DD.")] = None,
    until: Annotated[Day | None, Query(alias="to", description="Last day, YYYY-MM-DD.")] = None,
) -> Page[ExpenseTotal]:
    if since is not None and until is not None and until < since:
        raise invalid_field("to", "must not be before from", location="query")
    rows = service.expense_totals(session, arrangement_id=arrangement_id, since=since, until=until)
    return Page(items=[ExpenseTotal(**row) for row in rows], next_cursor=None)


@router.get(
    "/arrangements/{arrangement_id}/transport-requests",
    response_model=Page[TransportRead],
    summary="List the arrangement's transport requests",
    description=(
        "R-83: the arrangement's transport requests the caller may read, as `GET /transport-requests/{id}` gives "
        "each (the pick-up address is null for callers the child's address is withheld from, R-08), oldest first "
        "by when each was asked for (`created_at`), cursor-paged. R-06: whoever may read the child, and a CSW the "
        "requests for their own sessions. `status` (repeat it for several) keeps those in these states; `from` "
        "and `to` keep those asked for on these local days. An arrangement the caller may not read is a 404, as "
        "one that does not exist."
    ),
    responses=error_responses(401, 403, 404, 422),
)
def list_arrangement_transport_requests(
    readable: TransportFilter,
    arrangement: ReadableArrangement,
    principal: PrincipalDep,
    session: SessionDep,
    page: PageParamsDep,
    period: PeriodDep,
    statuses: Annotated[
        list[TransportStatus] | None, Query(alias="status", description="Only requests in these states; repeat for several.")
    ] = None,
) -> Page[TransportRead]:
    rows = service.arrangement_page(session, arrangement.id, readable, page, statuses, period)
    return transport_reads(session, principal, arrangement, rows)

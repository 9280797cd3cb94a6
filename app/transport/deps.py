"""Route dependencies for transport requests, drivers and expenses, built on
`transport.policy`; a pick-up address only through `children.deps.visible_address`."""

from __future__ import annotations

import uuid
from typing import Annotated

from sqlalchemy import ColumnElement
from sqlmodel import Session

from app.core.concurrency import Depends
from app.arrangements.models import Arrangement
from app.children.deps import visible_address
from app.children.models import Child
from app.core.access import Gate, policy
from app.core.db import SessionDep
from app.core.errors import invalid_field, not_found
from app.core.pagination import Page
from app.core.security import Principal
from app.sessions.models import ContactSession
from app.transport.models import Driver, Expense, TransportRequest
from app.transport.policy import (
    DECIDERS,
    DRIVER_KEEPERS,
    EXPENSE_RECORDERS,
    FINANCE_READERS,
    READERS,
    REQUESTERS,
    can_read_transport,
    may_arrange_for,
    readable_transport_requests,
)
from app.transport.schemas import ExpenseCreate, TransportCreate, TransportRead
from app.transport.service import Target


def transport_read(principal: Principal, child: Child, request: TransportRequest) -> TransportRead:
    return TransportRead.model_validate(
        {
            **request.model_dump(exclude={"pickup_address"}),
            "pickup_address": visible_address(principal, child, request.pickup_address),
            "address_withheld": child.address_withheld,
        }
    )


def transport_reads(session: Session, principal: Principal, arrangement: Arrangement, rows: Page[TransportRequest]) -> Page[TransportRead]:
    """A page of one arrangement's requests as `transport_read` gives each (R-08 through it)."""
    child = session.get(Child, arrangement.child_id)  # loaded already, when the arrangement was checked
    assert child is not None
    return Page(items=[transport_read(principal, child, row) for row in rows.items], next_cursor=rows.next_cursor)


def _visible(session: SessionDep, principal: Principal, request_id: uuid.UUID) -> tuple[TransportRequest, Child]:
    request = session.get(TransportRequest, request_id)
    child = session.get(Child, request.child_id) if request else None

    def session_csw() -> str | None:
        row = session.get(ContactSession, request.session_id) if request and request.session_id else None
        return row.csw_sub if row is not None else None

    if request is None or child is None or not can_read_transport(principal, child, session_csw):
        raise not_found("transport request")
    return request, child


@policy
def readable_transport(principal: Gate(*READERS), request_id: uuid.UUID, session: SessionDep) -> tuple[TransportRequest, Child]:
    return _visible(session, principal, request_id)


@policy
def requesters_transport(principal: Gate(*REQUESTERS), request_id: uuid.UUID, session: SessionDep) -> tuple[TransportRequest, Child]:
    """A request its social worker (or a team leader) cancels."""
    return _visible(session, principal, request_id)


@policy
def decidable_transport(principal: Gate(*DECIDERS), request_id: uuid.UUID, session: SessionDep) -> tuple[TransportRequest, Child]:
    return _visible(session, principal, request_id)


@policy
def transport_target(body: TransportCreate, principal: Gate(*REQUESTERS), session: SessionDep) -> Target:
    """The session or arrangement a new request names: the same 422 whether it does not
    exist or is not the caller's to arrange, so nothing is learnt about others' children."""
    row = session.get(ContactSession, body.session_id) if body.session_id is not None else None
    arrangement_id = row.arrangement_id if row is not None else body.arrangement_id
    arrangement = session.get(Arrangement, arrangement_id) if arrangement_id is not None else None
    child = session.get(Child, arrangement.child_id) if arrangement is not None else None
    if child is None or arrangement is None or not may_arrange_for(principal, child):
        field = "session_id" if body.session_id is not None else "arrangement_id"
        raise invalid_field(field, f"there is no {field.removesuffix('_id')} with this id that you may arrange transport for")
    return Target(arrangement, child, row)


@policy
def expense_target(body: ExpenseCreate, principal: Gate(*EXPENSE_RECORDERS), session: SessionDep) -> Target:
    arrangement = session.get(Arrangement, body.arrangement_id)
    child = session.get(Child, arrangement.child_id) if arrangement else None
    if arrangement is None or child is None or not may_arrange_for(principal, child):
        raise invalid_field("arrangement_id", "there is no arrangement you may record expenses for")
    return Target(arrangement, child)


@policy
def keepers_driver(principal: Gate(*DECIDERS), driver_id: uuid.UUID, session: SessionDep) -> Driver:
    driver = session.get(Driver, driver_id)
    if driver is None:
        raise not_found("driver")
    return driver


@policy
def decidable_expense(principal: Gate(*DECIDERS), expense_id: uuid.UUID, session: SessionDep) -> Expense:
    expense = session.get(Expense, expense_id)
    if expense is None:
        raise not_found("expense")
    return expense


@policy
def transport_filter(principal: Gate(*READERS)) -> ColumnElement[bool]:
    """The SQL filter of the transport requests this caller may read, for lists (R-83); the
    list's arrangement comes through `ReadableArrangement`."""
    return readable_transport_requests(principal)


ReadableTransport = Annotated[tuple[TransportRequest, Child], Depends(readable_transport)]
RequestersTransport = Annotated[tuple[TransportRequest, Child], Depends(requesters_transport)]
DecidableTransport = Annotated[tuple[TransportRequest, Child], Depends(decidable_transport)]
TransportTarget = Annotated[Target, Depends(transport_target)]
ExpenseTarget = Annotated[Target, Depends(expense_target)]
TeamLeadersDriver = Annotated[Driver, Depends(keepers_driver)]
DecidableExpense = Annotated[Expense, Depends(decidable_expense)]
DriverKeeper = Gate(*DRIVER_KEEPERS)
FinanceReader = Gate(*FINANCE_READERS)
TransportFilter = Annotated[ColumnElement[bool], Depends(transport_filter)]

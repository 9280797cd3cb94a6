"""Who may see a transport request (R-06, R-08): whoever may see its child, and the CSW of
its session; its pick-up address only through `children.deps.visible_address`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.children.deps import can_read_child, visible_address
from app.children.models import Child
from app.core.db import SessionDep
from app.core.errors import not_found
from app.core.security import Principal, Role, require_roles
from app.scheduling.models import ContactSession
from app.transport.models import Driver, Expense, TransportRequest
from app.transport.schemas import TransportRead

TRANSPORT_READERS = (
    Role.social_worker,
    Role.integration,
    Role.team_manager,
    Role.team_leader,
    Role.service_manager,
    Role.contact_support_worker,
)


def transport_read(principal: Principal, child: Child, request: TransportRequest) -> TransportRead:
    return TransportRead.model_validate(
        {
            **request.model_dump(exclude={"pickup_address"}),
            "pickup_address": visible_address(principal, child, request.pickup_address),
            "address_withheld": child.address_withheld,
        }
    )


def readable_transport(
    principal: Annotated[Principal, Depends(require_roles(*TRANSPORT_READERS))],
    request_id: uuid.UUID,
    session: SessionDep,
) -> tuple[TransportRequest, Child]:
    request = session.get(TransportRequest, request_id)
    child = session.get(Child, request.child_id) if request else None
    if request is None or child is None:
        raise not_found("transport request")
    allowed = can_read_child(principal, child)
    if not allowed and principal.has(Role.contact_support_worker) and request.session_id is not None:
        row = session.get(ContactSession, request.session_id)
        allowed = row is not None and row.csw_sub == principal.sub
    if not allowed:
        raise not_found("transport request")
    return request, child


def valid_driver(driver_id: uuid.UUID, session: SessionDep) -> Driver:
    driver = session.get(Driver, driver_id)
    if driver is None:
        raise not_found("driver")
    return driver


def valid_expense(expense_id: uuid.UUID, session: SessionDep) -> Expense:
    expense = session.get(Expense, expense_id)
    if expense is None:
        raise not_found("expense")
    return expense


ReadableTransport = Annotated[tuple[TransportRequest, Child], Depends(readable_transport)]
Requester = Annotated[Principal, Depends(require_roles(Role.social_worker, Role.team_leader))]
TeamLeader = Annotated[Principal, Depends(require_roles(Role.team_leader))]
DriverKeeper = Annotated[Principal, Depends(require_roles(Role.admin, Role.team_leader))]
ExpenseRecorder = Annotated[Principal, Depends(require_roles(Role.social_worker, Role.team_leader))]
FinanceReader = Annotated[Principal, Depends(require_roles(Role.team_leader, Role.service_manager))]

"""Who may see which child (R-06) and any address that leads to it (R-08): the one place
these rules live. Routes chain `readable_child`; schemas that carry an address fill it
through `visible_address`; nothing else compares subjects."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends
from sqlalchemy import select
from sqlmodel import Session

from app.children.models import Child
from app.children.schemas import AddressWithheldRead, ChildRead
from app.core.db import SessionDep
from app.core.errors import not_found
from app.core.security import Principal, PrincipalDep, Role, require_roles

CHILD_READERS = (
    Role.social_worker,
    Role.integration,
    Role.team_manager,
    Role.team_leader,
    Role.service_manager,
    Role.iro,
    Role.contact_support_worker,
)


def can_read_child(principal: Principal, child: Child) -> bool:
    if principal.has(Role.team_leader, Role.service_manager):
        return True
    if principal.acting_social_worker is not None and principal.acting_social_worker == child.social_worker_sub:
        return True
    if principal.has(Role.team_manager) and principal.team is not None and principal.team == child.team:
        return True
    if principal.has(Role.iro) and child.iro_sub == principal.sub:
        return True
    # A CSW reads a child through the sessions allocated to them: `may_read_child`.
    return False


def can_see_address(principal: Principal, child: Child) -> bool:
    """R-08: a withheld address goes only to the child's own social worker, team leaders and
    service managers; never to an integration caller, a CSW or a data analyst."""
    if not child.address_withheld:
        return True
    if principal.has(Role.team_leader, Role.service_manager):
        return True
    return principal.has(Role.social_worker) and principal.sub == child.social_worker_sub


def visible_address(principal: Principal, child: Child, address: str | None) -> str | None:
    """Every address that can lead to the child (the placement, a transport pick-up place)
    goes out through here: the one place R-08 is applied."""
    return address if can_see_address(principal, child) else None


def child_read(principal: Principal, child: Child) -> ChildRead:
    withheld = (
        AddressWithheldRead(
            authorised_by=child.address_withheld_authorised_by or "",
            reason=child.address_withheld_reason or "",
            authorised_at=child.address_withheld_at,
        )
        if child.address_withheld
        else None
    )
    return ChildRead.model_validate(
        {
            **child.model_dump(exclude={"placement_address", "address_withheld"}),
            "placement_address": visible_address(principal, child, child.placement_address),
            "address_withheld": withheld,
        }
    )


def valid_child(child_id: uuid.UUID, session: SessionDep) -> Child:
    child = session.get(Child, child_id)
    if child is None:
        raise not_found("child")
    return child


def supervises_child(session: Session, principal: Principal, child: Child) -> bool:
    """R-06: a CSW reads what their own sessions need, so the child of a live session
    allocated to them (never a withheld address: `can_see_address` still says no)."""
    if not principal.has(Role.contact_support_worker):
        return False
    from app.scheduling.models import ContactSession, SessionStatus  # scheduling builds on children

    return (
        session.execute(
            select(ContactSession.id)
            .where(
                ContactSession.child_id == child.id,
                ContactSession.csw_sub == principal.sub,
                ContactSession.status != SessionStatus.cancelled,
            )
            .limit(1)
        ).first()
        is not None
    )


def may_read_child(session: Session, principal: Principal, child: Child) -> bool:
    return can_read_child(principal, child) or supervises_child(session, principal, child)


def readable_child(
    principal: Annotated[Principal, Depends(require_roles(*CHILD_READERS))],
    child: Annotated[Child, Depends(valid_child)],
    session: SessionDep,
) -> Child:
    if not may_read_child(session, principal, child):
        raise not_found("child")
    return child


ReadableChild = Annotated[Child, Depends(readable_child)]
ChildWriter = Annotated[Principal, Depends(require_roles(Role.social_worker, Role.integration, Role.team_leader))]
PeopleWriter = Annotated[Principal, Depends(require_roles(Role.social_worker, Role.integration))]
ChildReader = Annotated[Principal, Depends(require_roles(*CHILD_READERS))]

__all__ = ["PrincipalDep", "ReadableChild", "ChildWriter", "PeopleWriter", "ChildReader"]

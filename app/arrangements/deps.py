"""Route dependencies for arrangements, built on `arrangements.policy` and the child's."""

from __future__ import annotations

import uuid
from typing import Annotated

from sqlalchemy import ColumnElement
from sqlmodel import Session

from app.core.concurrency import Depends
from app.arrangements.models import Arrangement
from app.arrangements.policy import MANAGERS, READERS, readable_arrangements
from app.children.deps import may_read_child
from app.children.models import Child
from app.core.access import Gate, policy
from app.core.db import SessionDep
from app.core.errors import not_found
from app.core.security import Principal


def visible_arrangement(
    session: Session, principal: Principal, arrangement: Arrangement | None, what: str = "arrangement"
) -> tuple[Arrangement, Child]:
    """The arrangement and its child, or the same 404 as for an id that does not exist. `what`
    names the row the caller asked for (a restriction, a dispute) when it hangs off one."""
    child = session.get(Child, arrangement.child_id) if arrangement is not None else None
    if arrangement is None or child is None or not may_read_child(session, principal, child):
        raise not_found(what)
    return arrangement, child


def arrangement_by_id(session: Session, principal: Principal, arrangement_id: uuid.UUID) -> tuple[Arrangement, Child]:
    return visible_arrangement(session, principal, session.get(Arrangement, arrangement_id))


@policy
def readable_arrangement(principal: Gate(*READERS), arrangement_id: uuid.UUID, session: SessionDep) -> Arrangement:
    return arrangement_by_id(session, principal, arrangement_id)[0]


ReadableArrangement = Annotated[Arrangement, Depends(readable_arrangement)]


@policy
def managed_arrangement(principal: Gate(*MANAGERS), arrangement_id: uuid.UUID, session: SessionDep) -> Arrangement:
    """An arrangement a team leader or service manager resumes or closes (R-52a)."""
    return arrangement_by_id(session, principal, arrangement_id)[0]


ManagedArrangement = Annotated[Arrangement, Depends(managed_arrangement)]


@policy
def arrangement_filter(principal: Gate(*READERS)) -> ColumnElement[bool]:
    """The SQL filter of the arrangements this caller may read, for lists (R-83); the list's
    child comes through `ReadableChild`."""
    return readable_arrangements(principal)


ArrangementFilter = Annotated[ColumnElement[bool], Depends(arrangement_filter)]

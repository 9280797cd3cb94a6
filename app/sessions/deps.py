"""Route dependencies for sessions, built on `sessions.policy`: a route gets a session or a
bookable arrangement only through one of these."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated

from sqlalchemy import ColumnElement
from sqlmodel import Session

from app.core.concurrency import Depends
from app.arrangements.models import Arrangement
from app.children.models import Child
from app.core.access import Gate, policy
from app.core.db import SessionDep
from app.core.errors import Forbidden, invalid_field, not_found
from app.core.security import Principal
from app.sessions.models import ContactSession
from app.sessions.policy import (
    BOOKERS,
    CANCELLERS,
    READERS,
    can_read_session,
    may_assign,
    may_book,
    readable_sessions,
    supervised_arrangement_ids,
)
from app.sessions.schemas import SessionCreate


def visible_session(session: Session, principal: Principal, session_id: uuid.UUID) -> ContactSession:
    """The session, or the same 404 as for an id that does not exist."""
    row = session.get(ContactSession, session_id)
    child = session.get(Child, row.child_id) if row is not None else None
    if row is None or child is None or not can_read_session(principal, row, child):
        raise not_found("session")
    return row


def session_where(
    session: Session, principal: Principal, session_id: uuid.UUID, allowed: Callable[[Principal, ContactSession], bool], refusal: str
) -> ContactSession:
    """A session the caller may see (else 404) and may act on as `allowed` says (else 403)."""
    row = visible_session(session, principal, session_id)
    if not allowed(principal, row):
        raise Forbidden(refusal)
    return row


def _own_sessions_only(principal: Principal, csw_sub: str) -> None:
    if not may_assign(principal, csw_sub):
        raise Forbidden("A contact support worker books and moves their own sessions.", field="csw_sub")


@policy
def readable_session(principal: Gate(*READERS), session_id: uuid.UUID, session: SessionDep) -> ContactSession:
    return visible_session(session, principal, session_id)


@policy
def cancellable_session(principal: Gate(*CANCELLERS), session_id: uuid.UUID, session: SessionDep) -> ContactSession:
    return visible_session(session, principal, session_id)


@policy
def movable_session(
    principal: Gate(*BOOKERS), session_id: uuid.UUID, body: SessionCreate, session: SessionDep
) -> ContactSession:
    """A session the caller may move, to a CSW they may book (a CSW keeps their own)."""
    row = visible_session(session, principal, session_id)
    _own_sessions_only(principal, body.csw_sub)
    return row


@policy
def bookable_arrangement(body: SessionCreate, principal: Gate(*BOOKERS), session: SessionDep) -> Arrangement:
    """The arrangement a new booking names: the same 422 whether it does not exist or is
    not the caller's to book, so the answer tells nothing about others' arrangements."""
    _own_sessions_only(principal, body.csw_sub)
    arrangement = session.get(Arrangement, body.arrangement_id)
    # The database fact (does the caller supervise it?) is looked up only when it could matter.
    allowed = arrangement is not None and (
        may_book(principal, body.csw_sub, supervises_arrangement=False)
        or may_book(
            principal,
            body.csw_sub,
            supervises_arrangement=session.execute(supervised_arrangement_ids(principal, arrangement.id).limit(1)).first()
            is not None,
        )
    )
    if not allowed:
        raise invalid_field("arrangement_id", "there is no such arrangement")
    return arrangement


@policy
def session_filter(principal: Gate(*READERS)) -> ColumnElement[bool]:
    """The SQL filter of the sessions this caller may read, for lists (R-83); the list's
    arrangement comes through `ReadableArrangement`."""
    return readable_sessions(principal)


ReadableSession = Annotated[ContactSession, Depends(readable_session)]
SessionFilter = Annotated[ColumnElement[bool], Depends(session_filter)]
CancellableSession = Annotated[ContactSession, Depends(cancellable_session)]
MovableSession = Annotated[ContactSession, Depends(movable_session)]
BookableArrangement = Annotated[Arrangement, Depends(bookable_arrangement)]
Booker = Gate(*BOOKERS)

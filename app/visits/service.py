"""Venue check-in (R-30, 000): visitors sign in and out of a session with the time and
whether their identity was checked. No HTTP here.

A visitor is someone in the child's network (`person_id`) or named in words
(`visitor_name`: a professional, an interpreter), exactly one of the two. Times default to
now and are never in the future; a sign-out is never before its sign-in and happens once.
Every write is audited and announced on the outbox with ids and times only: no name.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from app.children.models import Person
from app.core import clock
from app.core.changes import record_change
from app.core.db import lock_key
from app.core.errors import AppError, WrongState, invalid_field, not_found
from app.core.models import snapshot
from app.core.pagination import Page, PageParams, paginate
from app.core.security import Principal
from app.sessions.models import ContactSession, SessionStatus
from app.visits.models import Visit
from app.visits.schemas import SignOutCreate, VisitCreate, VisitRead

def _not_future(field: str, value: datetime, now: datetime) -> None:
    if value > now:
        raise invalid_field(field, "must not be in the future")


def sign_in(session: Session, principal: Principal, row: ContactSession, data: VisitCreate) -> Visit:
    if data.person_id is not None and data.visitor_name is not None:
        raise invalid_field("visitor_name", "give person_id or visitor_name, not both")
    if data.person_id is None and data.visitor_name is None:
        raise invalid_field("person_id", "give person_id (someone in the child's network) or visitor_name")
    now = clock.now()
    signed_in_at = data.signed_in_at or now
    _not_future("signed_in_at", signed_in_at, now)
    if data.person_id is not None:
        known = session.execute(
            select(Person.id).where(Person.id == data.person_id, Person.child_id == row.child_id)
        ).scalar_one_or_none()
        if known is None:
            raise invalid_field("person_id", "is not in this child's network")
    if row.status == SessionStatus.cancelled:
        raise WrongState("session", "sign in to", row.status.value, detail="Nobody signs in to a cancelled session.")
    lock_key(session, f"visits:{row.id}")
    if data.person_id is not None:
        open_visit = session.execute(
            select(Visit.id).where(
                Visit.session_id == row.id, Visit.person_id == data.person_id, Visit.signed_out_at.is_(None)
            )
        ).scalar_one_or_none()
        if open_visit is not None:
            raise AppError(
                409, "already-signed-in", "Already signed in",
                "This person is signed in to the session and has not signed out.",
                extra={"visit_id": str(open_visit)},
            )
    visit = Visit(
        session_id=row.id,
        person_id=data.person_id,
        visitor_name=data.visitor_name,
        signed_in_at=signed_in_at,
        identity_checked=data.identity_checked,
        recorded_by=principal.sub,
    )
    session.add(visit)
    record_change(session, principal, "visit.signed_in", "visit", visit, before=None, event=event_data(visit), child_id=row.child_id)
    return visit


def visit_of(session: Session, row: ContactSession, visit_id: uuid.UUID, *, lock: bool = False) -> Visit:
    statement = select(Visit).where(Visit.id == visit_id, Visit.session_id == row.id)
    if lock:
        statement = statement.with_for_update()
    visit = session.execute(statement).scalar_one_or_none()
    if visit is None:
        raise not_found("visit")
    return visit


def sign_out(session: Session, principal: Principal, row: ContactSession, visit_id: uuid.UUID, data: SignOutCreate) -> Visit:
    visit = visit_of(session, row, visit_id, lock=True)
    if visit.signed_out_at is not None:
        raise AppError(
            409, "already-signed-out", "Already signed out",
            f"The visitor signed out at {visit.signed_out_at.isoformat().replace('+00:00', 'Z')}.",
            extra={"signed_out_at": visit.signed_out_at.isoformat().replace("+00:00", "Z")},
        )
    now = clock.now()
    signed_out_at = data.signed_out_at or now
    _not_future("signed_out_at", signed_out_at, now)
    if signed_out_at < visit.signed_in_at:
        raise invalid_field("signed_out_at", "must not be before signed_in_at")
    before = snapshot(visit)
    visit.signed_out_at = signed_out_at
    record_change(session, principal, "visit.signed_out", "visit", visit, before=before, event=event_data(visit), child_id=row.child_id)
    return visit


def visits_page(session: Session, row: ContactSession, page: PageParams) -> Page[VisitRead]:
    """Who signed in and out of the session, earliest sign-in first."""
    statement = select(Visit).where(Visit.session_id == row.id)
    return paginate(session, statement, [Visit.signed_in_at, Visit.id], page, VisitRead.model_validate)


def event_data(visit: Visit) -> dict[str, Any]:
    """Ids and times only: never a visitor's name."""
    return {
        "visit_id": visit.id,
        "session_id": visit.session_id,
        "person_id": visit.person_id,
        "signed_in_at": visit.signed_in_at,
        "signed_out_at": visit.signed_out_at,
    }

"""HTTP for venue check-in (R-30): visitors sign in and out of a session."""

from __future__ import annotations

import uuid

from fastapi import status

from app.core.concurrency import APIRouter
from app.core.db import SessionDep
from app.core.errors import error_responses
from app.core.pagination import Page, PageParamsDep
from app.core.security import PrincipalDep
from app.visits import service as visits
from app.sessions.deps import ReadableSession
from app.visits.deps import VisitSession
from app.visits.schemas import SignOutCreate, VisitCreate, VisitRead

router = APIRouter(tags=["scheduling"])

WRITE_ERRORS = (401, 403, 404, 409, 413, 415, 422)


@router.post(
    "/sessions/{session_id}/visits",
    response_model=VisitRead,
    status_code=status.HTTP_201_CREATED,
    summary="Sign a visitor in",
    description=(
        "R-30: someone in the child's network (`person_id`) or anyone else by name (`visitor_name`), "
        "exactly one; whether their identity was checked; the time (default now, never in the future). "
        "The session's CSW or a team leader. A cancelled session is 409, and so is a person already "
        "signed in and not yet out."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def sign_in(row: VisitSession, principal: PrincipalDep, body: VisitCreate, session: SessionDep) -> VisitRead:
    return VisitRead.model_validate(visits.sign_in(session, principal, row, body))


@router.post(
    "/sessions/{session_id}/visits/{visit_id}/sign-out",
    response_model=VisitRead,
    summary="Sign a visitor out",
    description=(
        "R-30: the time (default now; not before the sign-in, never in the future). A visit signs "
        "out once: a second sign-out is 409. The session's CSW or a team leader."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def sign_out(
    row: VisitSession, principal: PrincipalDep, visit_id: uuid.UUID, session: SessionDep, body: SignOutCreate | None = None
) -> VisitRead:
    return VisitRead.model_validate(visits.sign_out(session, principal, row, visit_id, body or SignOutCreate()))


@router.get(
    "/sessions/{session_id}/visits",
    response_model=Page[VisitRead],
    summary="List a session's visitors",
    description="R-30: who signed in and out, and whether their identity was checked, earliest sign-in first (R-06: whoever may read the session).",
    responses=error_responses(401, 403, 404, 422),
)
def list_visits(row: ReadableSession, session: SessionDep, page: PageParamsDep) -> Page[VisitRead]:
    return visits.visits_page(session, row, page)

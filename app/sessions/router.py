"""HTTP for sessions: book, read, cancel, move, an arrangement's sessions (R-83), and the per-person
attendance counts."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Response, status
from sqlmodel import Session

from app import flows
from app.arrangements.deps import ReadableArrangement
from app.core.concurrency import APIRouter
from app.core.db import SessionDep
from app.core.config import API_PREFIX, SettingsDep
from app.core.errors import PROBLEM_MEDIA_TYPE, error_responses
from app.core.pagination import Page, PageParamsDep
from app.core.periods import PeriodDep
from app.core.security import PrincipalDep
from app.sessions import service
from app.sessions.deps import BookableArrangement, CancellableSession, MovableSession, ReadableSession, SessionFilter
from app.sessions.models import ContactSession, SessionAttendee, SessionStatus
from app.sessions.schemas import (
    AttendanceRead,
    AttendeeRead,
    CancelCreate,
    SeriesRead,
    SessionCreate,
    SessionRead,
)

router = APIRouter(tags=["scheduling"])

WRITE_ERRORS = (401, 403, 404, 409, 413, 415, 422)
# A booking or a move answers a clash with the problem of its own shape, `ClashProblem`
# (R-22); its other conflicts (an unsigned agreement, a session no longer live) are plain.
BOOKING_ERRORS = {
    **error_responses(*WRITE_ERRORS),
    409: {
        "description": "A clash (`booking-clash`, naming the sessions in the way in `clashes`) or another conflict of state",
        "content": {
            PROBLEM_MEDIA_TYPE: {
                "schema": {"anyOf": [{"$ref": "#/components/schemas/ClashProblem"}, {"$ref": "#/components/schemas/Problem"}]}
            }
        },
    },
}


def session_read(
    db: Session, rows: list[ContactSession], attendees: dict[uuid.UUID, list[SessionAttendee]] | None = None
) -> list[SessionRead]:
    """`attendees` when the caller knows them (none, for a booking that named nobody)."""
    if attendees is None:
        attendees = service.attendees_of(db, [row.id for row in rows])
    return [
        SessionRead.model_validate(
            {**row.model_dump(), "attendees": [AttendeeRead.model_validate(a) for a in attendees.get(row.id, [])]}
        )
        for row in rows
    ]


@router.post(
    "/sessions",
    response_model=SessionRead | SeriesRead,
    status_code=status.HTTP_201_CREATED,
    summary="Book a session or a series",
    description=(
        "R-21 to R-26. One room, one lead CSW, the arrangement's child and the people attending, "
        "inside the venue's opening hours and the CSW's working hours, in a room that holds the people "
        "attending, the child and the CSW (R-20: otherwise a 422 naming `room_id`). A clash in the room, for the "
        "CSW or for the child is a 409 naming every clashing session. With `rrule` the series books "
        "whole or not at all, and answers with `series_id` and `sessions`. While the arrangement's written "
        "agreement lacks a party's signature, a booking is a 409 `agreement-unsigned` naming them (R-50)."
    ),
    responses=BOOKING_ERRORS,
)
def book_session(
    body: SessionCreate,
    arrangement: BookableArrangement,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
) -> SessionRead | SeriesRead:
    series_id, rows = flows.book_sessions(session, principal, settings, arrangement, body)
    reads = session_read(session, rows, None if body.attendees else {})
    if series_id is not None:
        response.headers["Location"] = f"{API_PREFIX}/sessions/{rows[0].id}"
        return SeriesRead(series_id=series_id, sessions=reads)
    response.headers["Location"] = f"{API_PREFIX}/sessions/{rows[0].id}"
    return reads[0]


@router.get(
    "/sessions/{session_id}",
    response_model=SessionRead,
    summary="Read a session",
    description="Its status, times, room, CSW and arrangement (R-06: its CSW, team leaders, the child's social worker).",
    responses=error_responses(401, 403, 404, 422),
)
def get_session(row: ReadableSession, session: SessionDep) -> SessionRead:
    return session_read(session, [row])[0]


@router.post(
    "/sessions/{session_id}/cancel",
    response_model=SessionRead,
    summary="Cancel a session",
    description=(
        "R-29: who called it off and why. Within 24 hours of the start it counts as a late "
        "cancellation; once due to start, it did not go ahead and the report is due by 10:00 the "
        "next working day (event `session.not_held`). One occurrence of a series is cancelled alone."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def cancel_session(row: CancellableSession, principal: PrincipalDep, body: CancelCreate, session: SessionDep, settings: SettingsDep) -> SessionRead:
    flows.cancel_session(session, principal, settings, row, body)
    return session_read(session, [row])[0]


@router.post(
    "/sessions/{session_id}/move",
    response_model=SessionRead,
    summary="Move a session",
    description=(
        "R-26: one session, or one occurrence of a series alone, to a new time, room or CSW, under the "
        "booking rules (a clash is a 409 naming the sessions in the way). Without `room_id` or `outside` "
        "it stays where it was; its attendees keep their staggering. A CSW moves only their own sessions "
        "and keeps them."
    ),
    responses=BOOKING_ERRORS,
)
def move_session(row: MovableSession, principal: PrincipalDep, body: SessionCreate, session: SessionDep, settings: SettingsDep) -> SessionRead:
    service.move(session, principal, settings, row, body)
    return session_read(session, [row])[0]


@router.get(
    "/arrangements/{arrangement_id}/attendance",
    response_model=AttendanceRead,
    summary="Count cancellations and non-attendance per person",
    description=(
        "R-29: for each person or party who called sessions of the arrangement off, how many "
        "sessions, how many of them late (less than 24 hours before the start) and how many once "
        "due to start (the session did not go ahead: non-attendance). Team leaders, service "
        "managers and whoever may read the arrangement's child (R-06)."
    ),
    responses=error_responses(401, 403, 404, 422),
)
def attendance(arrangement: ReadableArrangement, session: SessionDep) -> AttendanceRead:
    return AttendanceRead(arrangement_id=arrangement.id, counts=service.attendance_counts(session, arrangement.id))


@router.get(
    "/arrangements/{arrangement_id}/sessions",
    response_model=Page[SessionRead],
    summary="List the arrangement's sessions",
    description=(
        "R-83: the arrangement's sessions the caller may read, as `GET /sessions/{id}` gives each, earliest start "
        "first, cursor-paged. R-06: team leaders, service managers and whoever may read the child read them all; a "
        "CSW reads the ones allocated to them. `status` (repeat it for several) keeps those in these states; "
        "`from` and `to` keep those starting on these local days. An arrangement the caller may not read is a "
        "404, as one that does not exist."
    ),
    responses=error_responses(401, 403, 404, 422),
)
def list_arrangement_sessions(
    readable: SessionFilter,
    arrangement: ReadableArrangement,
    session: SessionDep,
    page: PageParamsDep,
    period: PeriodDep,
    statuses: Annotated[
        list[SessionStatus] | None, Query(alias="status", description="Only sessions in these states; repeat for several.")
    ] = None,
) -> Page[SessionRead]:
    rows = service.arrangement_page(session, arrangement.id, readable, page, statuses, period)
    return Page(items=session_read(session, rows.items), next_cursor=rows.next_cursor)

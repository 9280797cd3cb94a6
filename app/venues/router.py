"""HTTP for venues, rooms and the staff list (R-20, R-23): administrators only."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Response, status

from app.core.concurrency import APIRouter
from app.core.db import SessionDep
from app.core.config import SettingsDep
from app.core.errors import error_responses
from app.core.schemas import SUBJECT_PATTERN
from app.core.security import PrincipalDep
from app.venues import service
from app.venues.deps import Admin, AdminsVenue
from app.venues.models import Room, Staff, Venue
from app.venues.schemas import RoomCreate, RoomRead, StaffRead, StaffUpsert, VenueCreate, VenueRead

router = APIRouter(tags=["scheduling"])

WRITE_ERRORS = (401, 403, 404, 409, 413, 415, 422)


@router.post(
    "/venues",
    response_model=VenueRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add a venue",
    description="R-20: a contact centre in an area, with its weekly opening hours in local time (default Monday-Friday 08:30-19:00).",
    responses=error_responses(*WRITE_ERRORS),
)
def create_venue(body: VenueCreate, principal: Admin, session: SessionDep, settings: SettingsDep) -> Venue:
    return service.create_venue(session, principal, settings, body)


@router.post(
    "/venues/{venue_id}/rooms",
    response_model=RoomRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add a room to a venue",
    description="R-20: capacity, the ages it suits, whether it is accessible and has outdoor space.",
    responses=error_responses(*WRITE_ERRORS),
)
def add_room(venue: AdminsVenue, principal: PrincipalDep, body: RoomCreate, session: SessionDep) -> Room:
    return service.add_room(session, principal, venue, body)


@router.put(
    "/staff/{sub}",
    response_model=StaffRead,
    summary="Add or update a member of staff",
    description="R-23: a CSW or team leader, their area, weekly working hours and daily session cap (default 3). 201 when new.",
    responses={201: {"model": StaffRead, "description": "Created"}, **error_responses(*WRITE_ERRORS)},
)
def upsert_staff(
    sub: Annotated[str, Path(min_length=1, max_length=255, pattern=SUBJECT_PATTERN)],
    body: StaffUpsert,
    principal: Admin,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
) -> Staff:
    staff, created = service.upsert_staff(session, principal, settings, sub, body)
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return staff

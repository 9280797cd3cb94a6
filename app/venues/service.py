"""Venues, rooms and the staff list (R-20, R-23): kept by administrators. No HTTP here."""

from __future__ import annotations

from sqlmodel import Session

from app.core import clock
from app.core.changes import record_change
from app.core.config import Settings
from app.core.errors import check_area
from app.core.models import snapshot
from app.core.security import Principal
from app.venues.models import Room, Staff, Venue
from app.venues.schemas import RoomCreate, StaffUpsert, VenueCreate


def _area(settings: Settings, area: str) -> None:
    check_area(settings.areas, area)


def create_venue(session: Session, principal: Principal, settings: Settings, data: VenueCreate) -> Venue:
    _area(settings, data.area)
    venue = Venue(name=data.name, area=data.area, opening_hours=[w.model_dump() for w in data.opening_hours], created_at=clock.now())
    session.add(venue)
    record_change(session, principal, "venue.created", "venue", venue, before=None, event={"venue_id": venue.id, "area": venue.area})
    return venue


def add_room(session: Session, principal: Principal, venue: Venue, data: RoomCreate) -> Room:
    room = Room(venue_id=venue.id, created_at=clock.now(), **data.model_dump())
    session.add(room)
    record_change(session, principal, "room.created", "room", room, before=None, event={"room_id": room.id, "venue_id": venue.id})
    return room


def upsert_staff(session: Session, principal: Principal, settings: Settings, sub: str, data: StaffUpsert) -> tuple[Staff, bool]:
    _area(settings, data.area)
    fields = {
        "name": data.name,
        "job_title": data.job_title,
        "role": data.role,
        "area": data.area,
        "working_hours": [w.model_dump() for w in data.working_hours],
        "daily_cap": data.daily_cap or settings.csw_daily_cap,
    }
    staff = session.get(Staff, sub)
    now = clock.now()
    if staff is None:
        staff = Staff(sub=sub, updated_at=now, **fields)
        session.add(staff)
        record_change(
            session, principal, "staff.created", "staff", staff, before=None, entity_id=sub,
            event={"sub": sub, "role": staff.role, "area": staff.area},
        )
        return staff, True
    before = snapshot(staff)
    for name, value in fields.items():
        setattr(staff, name, value)
    if snapshot(staff) == before:
        return staff, False
    staff.updated_at = now
    record_change(
        session, principal, "staff.updated", "staff", staff, before=before, entity_id=sub,
        event={"sub": sub, "role": staff.role, "area": staff.area},
    )
    return staff, False

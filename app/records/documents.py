"""Builds the court PDF's content from the database (R-45): what a parent's lawyer may read.
Attendees appear by relationship, the child by first name, the place by venue and room:
never a surname of the family or an address (R-08)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from app.children.models import Child, Person
from app.core.config import Settings
from app.records import pdf
from app.records.models import SessionRecord
from app.records.service import versions
from app.sessions.models import ContactSession
from app.venues.models import Room, Venue


def reference(row: ContactSession) -> str:
    return f"CSR-{row.starts_at.year}-{str(row.id)[:8].upper()}"


def _labels(session: Session, ids: list[Any]) -> list[str]:
    if not ids:
        return []
    wanted = [uuid.UUID(str(i)) for i in ids]
    people = {str(p.id): p for p in session.execute(select(Person).where(Person.id.in_(wanted))).scalars()}
    out = []
    for person_id in ids:
        person = people.get(str(person_id))
        if person is not None:
            out.append(person.relationship_detail or person.relationship.value.replace("_", " "))
    return out


def _fields(session: Session, fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    for name in ("arrived_at", "left_at"):
        if isinstance(out.get(name), str):
            out[name] = datetime.fromisoformat(out[name])
    out["attendees"] = _labels(session, list(out.get("attendees") or []))
    return out


def record_pdf(session: Session, settings: Settings, row: ContactSession, record: SessionRecord) -> bytes:
    child = session.get(Child, row.child_id)
    room = session.get(Room, row.room_id) if row.room_id else None
    venue = session.get(Venue, row.venue_id) if row.venue_id else None
    place = f"{venue.name} – {room.name}" if venue and room else row.location
    return pdf.render(
        pdf.PdfRecord(
            reference=reference(row),
            session_starts_at=row.starts_at,
            session_ends_at=row.ends_at,
            venue=place,
            child_first_name=child.first_name if child else "",
            csw_sub=row.csw_sub,
            submitted_at=record.submitted_at,
            late=record.late,
            versions=[
                pdf.PdfVersion(
                    number=v.number, author_sub=v.author_sub, author_role=v.author_role, at=v.at, reason=v.reason,
                    fields=_fields(session, v.fields),
                )
                for v in versions(session, record)
            ],
            time_zone=settings.timezone,
        )
    )

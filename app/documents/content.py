"""What a court document says (R-45, R-87), read from the database, and the hash of it.

What reaches a document is what a parent's lawyer may read (R-08): the child by first name,
adults by their relationship to the child, the place by venue and room, staff by name and
job title from the staff register (the sub and role only when the register does not know
them); never a surname of the family or an address.

The content hash is the SHA-256 of a canonical JSON of the ids of every record version the
document covers and of everything it prints apart from the moment it was produced: two
renderings of the same content carry the same hash, and any amendment, cancellation or
breach since makes a different one (so `POST /documents/verify` can say whether a copy is
still current).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from dataclasses import asdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session

from app.agreements.models import Breach
from app.arrangements.models import Arrangement
from app.children.models import Child, Person
from app.documents import pdf
from app.oversight.models import Restriction, RestrictionKind
from app.records.models import RecordStatus, RecordVersion, SessionRecord
from app.records.service import versions
from app.sessions.models import ContactSession, SessionStatus
from app.venues.models import Room, Staff, Venue


def record_reference(row: ContactSession) -> str:
    return f"CSR-{row.starts_at.year}-{str(row.id)[:8].upper()}"


def bundle_reference(arrangement: Arrangement) -> str:
    return f"CSB-{arrangement.opened_at.year}-{str(arrangement.id)[:8].upper()}"


def digest(version_ids: list[Any], content: Any) -> str:
    """The content hash: version ids and printed content, canonical JSON, SHA-256."""
    canonical = json.dumps({"versions": [str(v) for v in version_ids], "content": content}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class StaffNames:
    """Staff as printed: "Jo Bennett, Contact Support Worker"; the role and the sub when
    the staff register does not know them ("Team leader (tl-01)")."""

    def __init__(self, session: Session, subs: set[str]):
        rows = session.execute(select(Staff.sub, Staff.name, Staff.job_title).where(Staff.sub.in_(sorted(subs)))).all() if subs else []
        self._known = {sub: f"{name}, {title}" if title else name for sub, name, title in rows}

    def __call__(self, sub: str | None, role: str | None = None) -> str:
        if not sub:
            return "Not recorded"
        if sub in self._known:
            return self._known[sub]
        label = (role or "staff").replace("_", " ").strip()
        return f"{label[:1].upper()}{label[1:]} ({sub})"


def _labels(people: dict[str, Person], ids: list[Any]) -> list[str]:
    out = []
    for person_id in ids:
        person = people.get(str(person_id))
        if person is not None:
            out.append(relationship(person))
    return out


def relationship(person: Person) -> str:
    return person.relationship_detail or person.relationship.value.replace("_", " ")


def _people(session: Session, child_id: uuid.UUID) -> dict[str, Person]:
    return {str(p.id): p for p in session.execute(select(Person).where(Person.child_id == child_id)).scalars()}


def _fields(people: dict[str, Person], fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    for name in ("arrived_at", "left_at"):
        if isinstance(out.get(name), str):
            out[name] = datetime.fromisoformat(out[name])
    out["attendees"] = _labels(people, list(out.get("attendees") or []))
    return out


def _place(session: Session, row: ContactSession) -> str | None:
    room = session.get(Room, row.room_id) if row.room_id else None
    venue = session.get(Venue, row.venue_id) if row.venue_id else None
    return f"{venue.name} – {room.name}" if venue and room else row.location


def _record(session: Session, row: ContactSession, record: SessionRecord, child: Child, people: dict[str, Person],
            names: StaffNames, made: list[RecordVersion]) -> pdf.PdfRecord:
    return pdf.PdfRecord(
        reference=record_reference(row),
        session_starts_at=row.starts_at,
        session_ends_at=row.ends_at,
        venue=_place(session, row),
        child_first_name=child.first_name,
        worker=names(row.csw_sub, "contact_support_worker"),
        submitted_at=record.submitted_at,
        due_at=record.due_at,
        late=record.late,
        versions=[
            pdf.PdfVersion(number=v.number, author=names(v.author_sub, v.author_role), at=v.at, reason=v.reason, fields=_fields(people, v.fields))
            for v in made
        ],
    )


def record_document(session: Session, row: ContactSession, record: SessionRecord) -> tuple[pdf.PdfRecord, str]:
    """One record as printed, and its content hash."""
    child = session.get(Child, row.child_id)
    assert child is not None
    made = versions(session, record)
    names = StaffNames(session, {row.csw_sub, *(v.author_sub for v in made)})
    document = _record(session, row, record, child, _people(session, child.id), names, made)
    return document, digest([v.id for v in made], asdict(document))


def local_bounds(day_from: date, day_to: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants a run of local days starts and ends (the service's days are local, R-01)."""
    start = datetime.combine(day_from, time(0), zone).astimezone(UTC)
    end = datetime.combine(day_to + timedelta(days=1), time(0), zone).astimezone(UTC)
    return start, end


def submitted_records(session: Session, arrangement: Arrangement, start: datetime, end: datetime) -> list[tuple[ContactSession, SessionRecord]]:
    return [
        (row, record)
        for row, record in session.execute(
            select(ContactSession, SessionRecord)
            .join(SessionRecord, SessionRecord.session_id == ContactSession.id)
            .where(
                ContactSession.arrangement_id == arrangement.id,
                ContactSession.starts_at >= start,
                ContactSession.starts_at < end,
                SessionRecord.status == RecordStatus.submitted,
            )
            .order_by(ContactSession.starts_at, ContactSession.id)
        )
    ]


def bundle_document(
    session: Session, arrangement: Arrangement, child: Child, day_from: date, day_to: date, zone: ZoneInfo, now: datetime
) -> tuple[pdf.PdfBundle, str]:
    """The court bundle as printed, and its content hash. Reads a bounded, known set: the
    arrangement's sessions, records and versions of the period, its breaches and its
    restrictions, each in one statement, whatever the number of records. The attendance
    summary counts the sessions that started before `now` (for a check of an earlier copy,
    the time it was produced)."""
    start, end = local_bounds(day_from, day_to, zone)
    pairs = submitted_records(session, arrangement, start, end)
    record_ids = [record.id for _, record in pairs]
    all_versions: dict[uuid.UUID, list[RecordVersion]] = {rid: [] for rid in record_ids}
    if record_ids:
        for v in session.execute(select(RecordVersion).where(RecordVersion.record_id.in_(record_ids)).order_by(RecordVersion.number)).scalars():
            all_versions[v.record_id].append(v)
    sessions = list(
        session.execute(
            select(ContactSession)
            .where(ContactSession.arrangement_id == arrangement.id, ContactSession.starts_at >= start, ContactSession.starts_at < end, ContactSession.starts_at < now)
            .order_by(ContactSession.starts_at, ContactSession.id)
        ).scalars()
    )
    records_by_session = {row.id: record for row, record in pairs}
    breaches = list(
        session.execute(
            select(Breach).where(Breach.arrangement_id == arrangement.id, Breach.occurred_at >= start, Breach.occurred_at < end).order_by(Breach.occurred_at, Breach.id)
        ).scalars()
    )
    restrictions = list(
        session.execute(
            select(Restriction)
            .where(Restriction.arrangement_id == arrangement.id, Restriction.starts_on <= day_to)
            .where((Restriction.ends_on.is_(None)) | (Restriction.ends_on >= day_from))
            .order_by(Restriction.starts_on, Restriction.id)
        ).scalars()
    )
    subs = {row.csw_sub for row, _ in pairs} | {v.author_sub for vs in all_versions.values() for v in vs}
    subs |= {b.recorded_by for b in breaches} | {r.authorised_by for r in restrictions}
    names = StaffNames(session, subs)
    people = _people(session, child.id)

    lines = [pdf.PdfSessionLine(starts_at=s.starts_at, held=_held(s, records_by_session.get(s.id)), why_not=_why_not(s, records_by_session.get(s.id), people)) for s in sessions]
    late: Counter[str] = Counter()
    for s in sessions:
        if s.status == SessionStatus.cancelled and s.late_cancellation:
            late[_canceller(s, people)] += 1
    document = pdf.PdfBundle(
        reference=bundle_reference(arrangement),
        child_first_name=child.first_name,
        period_from=day_from,
        period_to=day_to,
        records=[_record(session, row, record, child, people, names, all_versions[record.id]) for row, record in pairs],
        sessions=lines,
        late_cancellations=sorted(late.items()),
        breaches=[
            pdf.PdfBreach(occurred_at=b.occurred_at, severity=b.severity.value, description=b.description, recorded_by=names(b.recorded_by), suspended=b.suspended)
            for b in breaches
        ],
        restrictions=[
            pdf.PdfRestriction(
                kind=r.kind.value if isinstance(r.kind, RestrictionKind) else str(r.kind), starts_on=r.starts_on, ends_on=r.ends_on,
                emergency=r.emergency, reason=r.reason, authorised_by=names(r.authorised_by), authorised_at=r.authorised_at,
            )
            for r in restrictions
        ],
    )
    version_ids = [v.id for rid in record_ids for v in all_versions[rid]]
    return document, digest(version_ids, asdict(document))


def _held(row: ContactSession, record: SessionRecord | None) -> bool:
    if record is not None:
        return bool(record.fields.get("went_ahead"))
    return row.status == SessionStatus.completed


def _why_not(row: ContactSession, record: SessionRecord | None, people: dict[str, Person]) -> str | None:
    if _held(row, record):
        return None
    if record is not None and record.fields.get("went_ahead") is False:
        reason = str(record.fields.get("not_ahead_reason") or "not recorded").replace("_", " ")
        return f"did not go ahead: {reason}"
    if row.status == SessionStatus.cancelled:
        return f"cancelled by {_canceller(row, people)}" + (" (late)" if row.late_cancellation else "")
    if row.status == SessionStatus.on_hold:
        return "on hold while contact was suspended"
    return "no record submitted"


def _canceller(row: ContactSession, people: dict[str, Person]) -> str:
    """Who called a session off: the person by relationship, else the party."""
    person = people.get(str(row.cancelled_by_person_id)) if row.cancelled_by_person_id else None
    return relationship(person) if person else (row.cancelled_by or "not recorded").replace("_", " ")

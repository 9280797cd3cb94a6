"""The session record's life (R-40 to R-44): drafts saved as the tablet syncs, one submit
behind a clean anonymisation check, then amendments that each make a new version. No HTTP.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, func, or_, select
from sqlmodel import Session

from app import freetext
from app.agreements.models import Breach
from app.children.models import Child
from app.core import clock, etags, outbox
from app.core.changes import record_change
from app.core.db import lock_key
from app.core.errors import AppError, WrongState, invalid_field
from app.core.models import snapshot, to_json
from app.core.pagination import Page, PageParams, paginate
from app.core.periods import Period
from app.core.security import Principal
from app.freetext import anonymise
from app.records.models import IdempotencyKey, RecordStatus, RecordVersion, SessionRecord
from app.records.schemas import TEXT_FIELDS, Amendment, OverdueItem, RecordDraft, RecordRead, RecordSummary, VersionRead
from app.sessions.models import ContactSession, SessionAttendee, SessionStatus

RECORD_DUE = timedelta(hours=24)


def etag(record: SessionRecord) -> str:
    return etags.etag(record.version)


def request_hash(body: RecordDraft) -> str:
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def replay(session: Session, scope: str, key: str, digest: str) -> IdempotencyKey | None:
    """The stored answer for this key, or None; the same key with another body is a 422. The
    caller holds a lock that covers the scope (two retries of one key must not both run)."""
    stored = session.get(IdempotencyKey, (scope, key))
    if stored is not None and stored.request_hash != digest:
        raise invalid_field("Idempotency-Key", "was already used with a different body", location="header")
    return stored


def remember(session: Session, scope: str, key: str, digest: str, status_code: int, body: str, tag: str | None) -> IdempotencyKey:
    answer = IdempotencyKey(scope=scope, key=key, request_hash=digest, status_code=status_code, body=body, etag=tag, created_at=clock.now())
    session.add(answer)
    session.flush()
    return answer


def _check_fields(session: Session, row: ContactSession, data: RecordDraft) -> dict[str, Any]:
    if row.status == SessionStatus.cancelled:
        raise WrongState("session", "record", "cancelled", detail="The session was cancelled; it has no record.")
    people = (
        set(session.execute(select(SessionAttendee.person_id).where(SessionAttendee.session_id == row.id)).scalars())
        if data.attendees
        else set()
    )
    strangers = [i for i, person in enumerate(data.attendees) if person not in people]
    if strangers:
        raise invalid_field(f"attendees.{strangers[0]}", "is not one of the session's people")
    if data.breaches:
        recorded = set(session.execute(select(Breach.id).where(Breach.session_id == row.id, Breach.id.in_(data.breaches))).scalars())
        unknown = [i for i, breach in enumerate(data.breaches) if breach not in recorded]
        if unknown:
            raise invalid_field(f"breaches.{unknown[0]}", "is not a breach recorded for this session")
    if data.arrived_at and data.left_at and data.left_at < data.arrived_at:
        raise invalid_field("left_at", "must not be before arrived_at")
    return data.model_dump(mode="json")


def findings(session: Session, row: ContactSession, fields: dict[str, Any]) -> list[anonymise.Finding]:
    child = session.get(Child, row.child_id)
    assert child is not None
    return anonymise.check({name: fields.get(name) for name in TEXT_FIELDS}, freetext.known_people(session, child))


def save_draft(session: Session, principal: Principal, row: ContactSession, data: RecordDraft, if_match: str | None) -> tuple[SessionRecord, bool]:
    """Create or replace the draft; the caller holds the record's lock (`lock_record`)."""
    fields = _check_fields(session, row, data)
    record = session.execute(select(SessionRecord).where(SessionRecord.session_id == row.id)).scalar_one_or_none()
    now = clock.now()
    if record is None:
        etags.check_if_match(if_match, None, "record")
        record = SessionRecord(
            session_id=row.id, arrangement_id=row.arrangement_id, csw_sub=row.csw_sub, fields=fields, due_at=row.ends_at + RECORD_DUE, created_at=now, updated_at=now,
        )
        session.add(record)
        record_change(session, principal, "record.draft_saved", "session_record", record, before=None)
        return record, True
    if record.status != RecordStatus.draft:
        raise WrongState("record", "save", record.status.value, type_slug="record-locked", title="The record is submitted", detail="Submitted records change only by amendment.")
    etags.check_if_match(if_match, record.version, "record", required=True)
    before = snapshot(record)
    record.fields = fields
    record.version += 1
    record.updated_at = now
    record_change(session, principal, "record.draft_saved", "session_record", record, before=before)
    return record, False


def _findings_error(found: list[anonymise.Finding]) -> AppError:
    return freetext.error(found, "The record names people or places", f"{len(found)} finding(s) to replace before the record can be submitted (R-42).")


def submit(session: Session, principal: Principal, row: ContactSession, record: SessionRecord | None, if_match: str | None) -> SessionRecord:
    if record is None:
        raise AppError(409, "no-record", "No record yet", "Save the record as a draft first.")
    if record.status != RecordStatus.draft:
        raise WrongState("record", "submit", record.status.value, type_slug="record-locked", title="Already submitted", detail="The record was submitted; change it by amendment.")
    etags.check_if_match(if_match, record.version, "record", required=True)
    now = clock.now()
    if now < row.ends_at:
        raise AppError(409, "session-not-ended", "The session has not ended", "A record is submitted once the session is over.")
    fields = record.fields
    if fields.get("went_ahead") is None:
        raise invalid_field("went_ahead", "say whether the session went ahead")
    if fields.get("went_ahead") is False and not fields.get("not_ahead_reason"):
        raise invalid_field("not_ahead_reason", "say why the session did not go ahead")
    found = findings(session, row, fields)
    if found:
        raise _findings_error(found)
    before = snapshot(record)
    record.status = RecordStatus.submitted
    record.submitted_at = now
    record.submitted_by = principal.sub
    record.late = now > record.due_at
    record.version += 1
    record.updated_at = now
    # One sequence: a version's number is the record's version, the one in its ETag.
    session.add(RecordVersion(record_id=record.id, number=record.version, fields=fields, author_sub=principal.sub, author_role=principal.role_label, at=now))
    if fields.get("went_ahead") and row.status == SessionStatus.booked:
        row.status = SessionStatus.completed
        row.version += 1
        row.updated_at = now
    record_change(
        session, principal, "record.submitted", "session_record", record, before=before,
        event={"record_id": record.id, "session_id": row.id, "child_id": row.child_id, "submitted_at": now, "late": record.late, "version": record.version},
    )
    return record


def amend(session: Session, principal: Principal, row: ContactSession, record: SessionRecord | None, data: Amendment, if_match: str | None) -> SessionRecord:
    if record is None or record.status != RecordStatus.submitted:
        raise AppError(409, "not-submitted", "Nothing to amend", "Only a submitted record is amended; save the draft instead.")
    etags.check_if_match(if_match, record.version, "record", required=True)
    changes = data.changes.model_dump(mode="json", exclude_unset=True)
    if not changes:
        raise invalid_field("changes", "name at least one field that changes")
    same = [name for name, value in changes.items() if record.fields.get(name) == value]
    if len(same) == len(changes):
        raise invalid_field(f"changes.{same[0]}", "is what the record says already: an amendment must change something")
    changes = {name: value for name, value in changes.items() if name not in same}
    merged = {**record.fields, **changes}
    _check_fields(session, row, RecordDraft.model_validate(merged))
    found = [f for f in findings(session, row, merged) if f.field in changes]
    found += freetext.findings(session, row.child_id, {"reason": data.reason}, kind="records.amendment")  # the court PDF prints it
    if found:
        raise _findings_error(found)
    before = snapshot(record)
    now = clock.now()
    record.fields = merged
    record.version += 1
    record.updated_at = now
    number = record.version
    session.add(RecordVersion(record_id=record.id, number=number, fields=merged, author_sub=principal.sub, author_role=principal.role_label, at=now, reason=data.reason))
    record_change(
        session, principal, "record.amended", "session_record", record, before=before,
        event={"record_id": record.id, "session_id": row.id, "child_id": row.child_id, "version": number, "changed": sorted(changes), "amended_at": now},
    )
    return record


def versions(session: Session, record: SessionRecord) -> list[RecordVersion]:
    return list(session.execute(select(RecordVersion).where(RecordVersion.record_id == record.id).order_by(RecordVersion.number)).scalars())


def lock_record(session: Session, row: ContactSession) -> None:
    """Serialise the writers of one session's record: two tablets creating the first draft
    at once, or a tablet retrying with its Idempotency-Key while the first try still runs."""
    lock_key(session, f"record:{row.id}")


def read(session: Session, record: SessionRecord, *, new: bool = False) -> RecordRead:
    """The record as the API shows it; a `new` draft has no versions yet (they begin at
    submission), so they are not looked up."""
    return RecordRead(
        id=record.id,
        session_id=record.session_id,
        status=record.status,
        version=record.version,
        fields=to_json(record.fields),
        due_at=record.due_at,
        submitted_at=record.submitted_at,
        late=record.late,
        versions=[] if new else [VersionRead.model_validate(v) for v in versions(session, record)],
    )


def record_of(session: Session, row: ContactSession) -> SessionRecord | None:
    return session.execute(select(SessionRecord).where(SessionRecord.session_id == row.id)).scalar_one_or_none()


def purge_keys(session: Session, older_than: datetime) -> int:
    rows = session.execute(select(IdempotencyKey).where(IdempotencyKey.created_at < older_than)).scalars().all()
    for row in rows:
        session.delete(row)
    session.flush()
    return len(rows)


def save_draft_once(
    session: Session, principal: Principal, row: ContactSession, data: RecordDraft, key: str, if_match: str | None
) -> IdempotencyKey:
    """R-43: save the draft, or replay the stored answer when this key was used with this
    body before (the tablet retrying after a lost response). The answer is stored in the
    same transaction as the draft, so a replay returns exactly what the first call got."""
    scope = f"record:{row.id}:{principal.sub}"
    digest = request_hash(data)
    lock_record(session, row)  # covers the key too: its scope is this record's
    stored = replay(session, scope, key, digest)
    if stored is not None:
        return stored
    record, created = save_draft(session, principal, row, data, if_match)
    return remember(session, scope, key, digest, 201 if created else 200, read(session, record, new=created).model_dump_json(), etag(record))


def overdue_page(session: Session, now: datetime, page: PageParams) -> Page[OverdueItem]:
    """R-41: sessions that ended over 24 hours ago without a submitted record, oldest first."""
    statement = (
        select(ContactSession.id, ContactSession.csw_sub, ContactSession.ends_at, SessionRecord.status)
        .outerjoin(SessionRecord, SessionRecord.session_id == ContactSession.id)
        .where(
            ContactSession.status.in_((SessionStatus.booked, SessionStatus.completed)),
            ContactSession.ends_at < now - RECORD_DUE,
            or_(SessionRecord.id.is_(None), SessionRecord.status != RecordStatus.submitted),
        )
    )

    def item(r: Row[Any]) -> OverdueItem:
        return OverdueItem(session_id=r.id, csw_sub=r.csw_sub, ends_at=r.ends_at, due_at=r.ends_at + RECORD_DUE, record_status=r.status)

    return paginate(session, statement, [ContactSession.ends_at, ContactSession.id], page, item)


OVERDUE_LOOKBACK = timedelta(days=7)
OVERDUE_SWEEPER = Principal(sub="system:record-sweep", roles=frozenset())


def sweep_overdue_records(session: Session, now: datetime) -> int:
    """R-41, R-85: `record.overdue` once for each session whose record fell due in the last
    week without being submitted (the worker, every 10 minutes). The team leader's list
    (`GET /records/overdue`) shows all of them, however old."""
    rows = session.execute(
        select(ContactSession.id, ContactSession.arrangement_id, ContactSession.child_id, ContactSession.csw_sub, ContactSession.ends_at)
        .outerjoin(SessionRecord, SessionRecord.session_id == ContactSession.id)
        .where(
            ContactSession.status.in_((SessionStatus.booked, SessionStatus.completed)),
            ContactSession.ends_at < now - RECORD_DUE,
            ContactSession.ends_at >= now - RECORD_DUE - OVERDUE_LOOKBACK,
            or_(SessionRecord.id.is_(None), SessionRecord.status != RecordStatus.submitted),
        )
        .order_by(ContactSession.ends_at, ContactSession.id)
    ).all()
    announced = outbox.announced(session, "record.overdue", [r.id for r in rows])
    fresh = [r for r in rows if str(r.id) not in announced]
    for r in fresh:
        outbox.emit(session, "record.overdue", r.id, {
            "session_id": r.id, "arrangement_id": r.arrangement_id, "child_id": r.child_id, "csw_sub": r.csw_sub,
            "due_at": r.ends_at + RECORD_DUE, "notify": ["contact_support_worker", "team_leader"],
        })
    return len(fresh)


def arrangement_page(
    session: Session, arrangement_id: uuid.UUID, readable: ColumnElement[bool], page: PageParams,
    statuses: list[RecordStatus] | None, period: Period,
) -> Page[RecordSummary]:
    """R-83: the records of the arrangement's sessions the caller may read (`readable`, from the
    policy, over the record and its session), by the session's start; only those in `statuses`
    and of sessions starting in `period`. Metadata only: the two facts read out of the record's
    fields are a yes/no and a closed reason, so no note text is even loaded."""
    amendments = (
        select(func.count()).select_from(RecordVersion)
        .where(RecordVersion.record_id == SessionRecord.id, RecordVersion.reason.is_not(None))
        .correlate(SessionRecord).scalar_subquery()
    )
    statement = (
        select(
            SessionRecord.id, SessionRecord.session_id, ContactSession.starts_at.label("session_starts_at"), SessionRecord.csw_sub,
            SessionRecord.status, SessionRecord.version, SessionRecord.fields["went_ahead"].as_boolean().label("went_ahead"),
            SessionRecord.fields["not_ahead_reason"].as_string().label("not_ahead_reason"), SessionRecord.due_at,
            SessionRecord.submitted_at, SessionRecord.submitted_by, SessionRecord.late, amendments.label("amendments"),
            SessionRecord.updated_at,
        )
        .join(ContactSession, ContactSession.id == SessionRecord.session_id)
        .where(ContactSession.arrangement_id == arrangement_id, readable, *period.where(ContactSession.starts_at))
    )
    if statuses:
        statement = statement.where(SessionRecord.status.in_(statuses))
    return paginate(
        session, statement, [ContactSession.starts_at, SessionRecord.id], page,
        lambda row: RecordSummary.model_validate(row._asdict()),
    )

"""Route dependencies for session records, built on `records.policy`."""

from __future__ import annotations

import uuid
from typing import Annotated

from sqlalchemy import ColumnElement

from app.core.concurrency import Depends
from app.children.models import Child
from app.core.access import Gate, policy
from app.core.db import SessionDep
from app.core.errors import NotFound
from app.records.models import SessionRecord
from app.records.policy import AMENDERS, OVERDUE_READERS, READERS, WRITERS, can_read_record, may_amend, may_write, readable_records
from app.records.service import record_of
from app.sessions.deps import session_where, visible_session
from app.sessions.models import ContactSession

@policy
def writable_record_session(principal: Gate(*WRITERS), session_id: uuid.UUID, session: SessionDep) -> ContactSession:
    """A session whose record the caller writes: its own CSW."""
    return session_where(session, principal, session_id, may_write, "Only the session's contact support worker writes its record.")


@policy
def amendable_record_session(principal: Gate(*AMENDERS), session_id: uuid.UUID, session: SessionDep) -> ContactSession:
    return session_where(
        session, principal, session_id, may_amend, "A record is amended by the session's contact support worker or a team leader."
    )


@policy
def readable_record(
    principal: Gate(*READERS), session_id: uuid.UUID, session: SessionDep
) -> tuple[ContactSession, SessionRecord]:
    row = visible_session(session, principal, session_id)
    record = record_of(session, row)
    child = session.get(Child, row.child_id)
    if record is None or child is None or not can_read_record(principal, row, child, record):
        # The session is known to the caller, so say so; a draft the caller may not read is
        # answered the same as no record at all.
        raise NotFound("record", detail="There is no record yet for this session that you may read.")
    return row, record


@policy
def record_filter(principal: Gate(*READERS)) -> ColumnElement[bool]:
    """The SQL filter of the records this caller may read (over records joined to their
    sessions), for lists (R-83); the list's arrangement comes through `ReadableArrangement`."""
    return readable_records(principal)


WritableRecordSession = Annotated[ContactSession, Depends(writable_record_session)]
AmendableRecordSession = Annotated[ContactSession, Depends(amendable_record_session)]
ReadableRecord = Annotated[tuple[ContactSession, SessionRecord], Depends(readable_record)]
OverdueReader = Gate(*OVERDUE_READERS)
RecordFilter = Annotated[ColumnElement[bool], Depends(record_filter)]

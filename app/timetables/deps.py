"""Route dependencies for timetables and feed tokens, built on `timetables.policy`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from sqlmodel import Session

from app.core.concurrency import Depends
from app.core.access import Gate, policy
from app.core.db import SessionDep
from app.core.errors import Forbidden, not_found
from app.core.schemas import SUBJECT_PATTERN
from app.timetables.policy import FEED_MANAGERS, READERS, may_manage_feed, may_read_timetable
from app.venues.models import Staff

StaffSub = Annotated[str, Path(min_length=1, max_length=255, pattern=SUBJECT_PATTERN, description="The member of staff's subject id.")]


def _staff(session: Session, sub: str) -> Staff:
    staff = session.get(Staff, sub)
    if staff is None:
        raise not_found("member of staff")
    return staff


@policy
def timetable_owner(sub: StaffSub, principal: Gate(*READERS), session: SessionDep) -> Staff:
    if not may_read_timetable(principal, sub):
        raise Forbidden("A contact support worker reads their own timetable; team leaders read anyone's.")
    return _staff(session, sub)


@policy
def feed_owner(sub: StaffSub, principal: Gate(*FEED_MANAGERS), session: SessionDep) -> Staff:
    if not may_manage_feed(principal, sub):
        raise Forbidden("A contact support worker manages their own feed token; team leaders anyone's.")
    return _staff(session, sub)


TimetableOwner = Annotated[Staff, Depends(timetable_owner)]
FeedOwner = Annotated[Staff, Depends(feed_owner)]

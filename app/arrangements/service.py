"""Opening, suspending, resuming and closing contact arrangements (R-18, R-52, R-52a). No HTTP here."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlmodel import Session

from app.arrangements.models import Arrangement, ArrangementStatus
from app.calendar.deadlines import working_calendar
from app.core import clock
from app.core.changes import record_change
from app.core.config import Settings
from app.core.errors import WrongState
from app.core.models import snapshot
from app.core.pagination import Page, PageParams, paginate
from app.core.periods import Period
from app.core.security import Principal
from app.referrals.models import Referral


def open_for(session: Session, principal: Principal, referral: Referral) -> Arrangement:
    """An accepted referral opens one active arrangement; a later one needs a new referral."""
    arrangement = Arrangement(
        referral_id=referral.id,
        child_id=referral.child_id,
        area=referral.area,
        status=ArrangementStatus.active,
        basis=referral.outcome,
        level=referral.level,
        room_only=referral.room_only,
        court_arena=referral.court_arena,
        review_by=referral.review_by,
        opened_at=clock.now(),
    )
    session.add(arrangement)
    record_change(
        session, principal, "arrangement.opened", "arrangement", arrangement, before=None,
        event={"arrangement_id": arrangement.id, "referral_id": referral.id, "child_id": referral.child_id, "basis": referral.outcome},
    )
    return arrangement


def id_for_referral(session: Session, referral_id: uuid.UUID) -> uuid.UUID | None:
    return session.execute(select(Arrangement.id).where(Arrangement.referral_id == referral_id)).scalar_one_or_none()


def _event(arrangement: Arrangement, **extra: Any) -> dict[str, Any]:
    """Ids, state and dates only: no reason, plan or description leaves in an event."""
    return {"arrangement_id": arrangement.id, "child_id": arrangement.child_id, "status": arrangement.status, **extra}


def lock(session: Session, arrangement: Arrangement) -> Arrangement:
    """Re-read the arrangement under a row lock (PostgreSQL; a SQLite write already holds the
    database's), so two breaches counted at once see each other (R-52)."""
    session.refresh(arrangement, with_for_update=True)
    return arrangement


def require_open(arrangement: Arrangement, action: str) -> None:
    """A closed arrangement accepts nothing more; reinstating contact takes a new referral (R-18)."""
    if arrangement.status == ArrangementStatus.closed:
        raise WrongState(
            "arrangement", action, arrangement.status.value,
            type_slug="arrangement-closed", title="The arrangement is closed",
            detail=f"Cannot {action} a closed arrangement; reinstating contact needs a new referral.",
        )


def count_breach(arrangement: Arrangement) -> None:
    """Called with the arrangement locked."""
    arrangement.breach_count += 1
    arrangement.version += 1


def _change(
    session: Session, principal: Principal, arrangement: Arrangement, action: str, changes: dict[str, Any], *,
    event_type: str | None = None, **event: Any,
) -> None:
    """Apply `changes`, count the version, and audit and announce it in the same transaction
    (the event: ids, state and `event`'s dates, never text)."""
    before = snapshot(arrangement)
    for key, value in changes.items():
        setattr(arrangement, key, value)
    arrangement.version += 1
    record_change(
        session, principal, action, "arrangement", arrangement, before=before,
        event=_event(arrangement, **event), event_type=event_type,
    )


def suspend(
    session: Session, principal: Principal, settings: Settings, arrangement: Arrangement, *,
    breach_id: uuid.UUID | None = None, restriction_id: uuid.UUID | None = None,
) -> None:
    """R-52: suspended at once and the social worker told at once (the event says so). After a
    breach the review meeting is due within 3 working days (R-03); a suspension a service
    manager authorised (R-53) carries its own dates instead."""
    if arrangement.status != ArrangementStatus.active:
        raise WrongState("arrangement", "suspend", arrangement.status.value, "active")
    now = clock.now()
    meeting = arrangement.review_meeting_due_by
    if breach_id is not None:
        calendar = working_calendar(settings)
        # the end of the third working day after today, local time, as a UTC instant
        meeting = calendar.end_of_day(calendar.nth_working_day_after(calendar.local_date(now), 3))
    _change(
        session, principal, arrangement, "arrangement.suspended",
        {"status": ArrangementStatus.suspended, "suspended_at": now, "review_meeting_due_by": meeting},
        breach_id=breach_id, restriction_id=restriction_id, suspended_at=now, review_meeting_due_by=meeting,
        notify=["social_worker"],
    )


def flag_s34(session: Session, principal: Principal, arrangement: Arrangement) -> None:
    """R-54a: a court application (s34) is needed, shown until it is recorded."""
    now = clock.now()
    _change(
        session, principal, arrangement, "arrangement.s34_flagged", {"s34_application_needed": True, "s34_flagged_at": now},
        event_type="s34.flagged", flagged_at=now, notify=["social_worker", "service_manager"],
    )


def record_s34_application(session: Session, principal: Principal, arrangement: Arrangement, applied_on: Any, court_reference: str) -> None:
    """The application is made: the flag clears (R-54a). Accepted on a closed arrangement too:
    a termination needs it most."""
    _change(
        session, principal, arrangement, "arrangement.s34_applied",
        {"s34_application_needed": False, "s34_applied_on": applied_on, "s34_court_reference": court_reference},
        event_type="s34.applied", applied_on=applied_on,
    )


def resume(session: Session, principal: Principal, arrangement: Arrangement) -> None:
    """R-52a: after the review meeting, a team leader or service manager resumes contact."""
    if arrangement.status != ArrangementStatus.suspended:
        raise WrongState("arrangement", "resume", arrangement.status.value, "suspended")
    now = clock.now()
    _change(
        session, principal, arrangement, "arrangement.resumed",
        {"status": ArrangementStatus.active, "resumed_at": now, "review_meeting_due_by": None}, resumed_at=now,
    )


def close(session: Session, principal: Principal, arrangement: Arrangement, reason: str, exit_plan: str | None) -> None:
    """Closing ends the arrangement, with the reason and the exit plan. A termination brings no
    plan of its own, and keeps the one a review recorded."""
    require_open(arrangement, "close")
    now = clock.now()
    changes: dict[str, Any] = {"status": ArrangementStatus.closed, "closed_at": now, "close_reason": reason, "review_meeting_due_by": None}
    if exit_plan is not None:
        changes["exit_plan"] = exit_plan
    _change(session, principal, arrangement, "arrangement.closed", changes, closed_at=now)


def set_exit_plan(session: Session, principal: Principal, arrangement: Arrangement, exit_plan: str) -> None:
    """The exit plan agreed at a review (004 s14: expected by the third LAC review)."""
    _change(session, principal, arrangement, "arrangement.exit_plan_recorded", {"exit_plan": exit_plan},
            event_type="arrangement.exit_plan_recorded")


def meeting_held(session: Session, principal: Principal, arrangement: Arrangement) -> None:
    """The review meeting a suspension called for (R-52) has been held: no longer due."""
    _change(session, principal, arrangement, "arrangement.review_meeting_held", {"review_meeting_due_by": None},
            event_type="arrangement.review_meeting_held")


def set_review_by(session: Session, principal: Principal, arrangement: Arrangement, review_by: Any) -> None:
    """A dispute resolved by exceptionality sets the date its arrangement is reviewed by (004 s15)."""
    _change(session, principal, arrangement, "arrangement.review_by_set", {"review_by": review_by},
            event_type="arrangement.review_by_set", review_by=review_by)


def child_page(
    session: Session, child_id: uuid.UUID, readable: ColumnElement[bool], page: PageParams,
    statuses: list[ArrangementStatus] | None, period: Period,
) -> Page[Arrangement]:
    """R-83: the child's arrangements the caller may read (`readable`, from the policy), by
    when each opened, oldest first; only those in `statuses` and opened in `period`."""
    statement = select(Arrangement).where(Arrangement.child_id == child_id, readable, *period.where(Arrangement.opened_at))
    if statuses:
        statement = statement.where(Arrangement.status.in_(statuses))
    return paginate(session, statement, [Arrangement.opened_at, Arrangement.id], page, lambda row: row)

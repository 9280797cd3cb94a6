"""Restrictions of contact, their notices, the s34 flag and reviews (R-53 to R-55a). No HTTP.

What a restriction does to the arrangement (a suspension holds its sessions, a termination
closes it) is the flow in `app.flows`; this module records it and asks `rules` whether
the court's authority is needed.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlmodel import Session

from app import freetext
from app.arrangements import service as arrangement_service
from app.arrangements.models import Arrangement, ArrangementStatus
from app.children.models import Child
from app.core import clock, outbox
from app.calendar.deadlines import WorkingCalendar
from app.core.changes import record_change
from app.core.config import Settings
from app.core.errors import AppError, WrongState, invalid_field
from app.core.models import snapshot, to_json
from app.core.pagination import Page, PageParams, paginate
from app.core.security import Principal
from app.oversight import rules
from app.oversight.models import (
    LADDER,
    Dispute,
    DisputeStep,
    DisputeStepRecord,
    Flag,
    Resolution,
    Restriction,
    RestrictionKind,
    Review,
    ReviewDue,
    ReviewKind,
)
from app.oversight.schemas import (
    DisputeCreate,
    DisputeRead,
    FlaggedRead,
    NoticeCreate,
    RestrictionCreate,
    RestrictionRead,
    ReviewCreate,
    ReviewDueRead,
    ReviewRead,
    S34ApplicationCreate,
    StepCreate,
    StepRead,
)
from app.referrals.models import Level

PLACING_AUTHORITY = "placing_authority"
PLACING_AUTHORITY_HOURS = 24  # R-53a, R-04
SYSTEM = Principal(sub="system:s34-sweep", roles=frozenset())


def _notices(data: list[NoticeCreate], now: datetime) -> list[dict[str, Any]]:
    for index, notice in enumerate(data):
        if notice.sent_at > now:
            raise invalid_field(f"notices.{index}.sent_at", "is in the future")
    return [to_json(notice.model_dump()) for notice in data]


def _placing_authority_told(notices: list[dict[str, Any]]) -> datetime | None:
    sent = [datetime.fromisoformat(n["sent_at"]) for n in notices if n["recipient"] == PLACING_AUTHORITY]
    return min(sent) if sent else None


def _event(restriction: Restriction, arrangement: Arrangement) -> dict[str, Any]:
    """Ids, kind and dates: the reason stays in the service."""
    return {
        "restriction_id": restriction.id, "arrangement_id": arrangement.id, "child_id": arrangement.child_id,
        "kind": restriction.kind, "emergency": restriction.emergency, "starts_on": restriction.starts_on,
        "ends_on": restriction.ends_on, "placing_authority_notify_by": restriction.placing_authority_notify_by,
    }


def record(session: Session, principal: Principal, arrangement: Arrangement, data: RestrictionCreate, today: date) -> Restriction:
    arrangement_service.lock(session, arrangement)
    arrangement_service.require_open(arrangement, "restrict contact of")
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise invalid_field("ends_on", "is before starts_on")
    if data.kind in (RestrictionKind.suspend, RestrictionKind.terminate) and data.starts_on > today:
        raise invalid_field("starts_on", f"a {data.kind.value} takes effect at once: it starts today or earlier")
    if data.kind == RestrictionKind.restrict:
        if data.changes is None or not data.changes.model_dump(exclude_none=True):
            raise invalid_field("changes", "a restriction says what changes: frequency, duration_minutes, level or people")
    elif data.changes is not None:
        raise invalid_field("changes", f"only a restrict has changes, not a {data.kind.value}")
    now = clock.now()
    notices = _notices(data.notices, now)
    recipients = {f"notices.{i}.recipient": notice.recipient for i, notice in enumerate(data.notices)}
    freetext.check(session, arrangement.child_id, {"reason": data.reason, **recipients}, kind="restrictions")
    restriction = Restriction(
        arrangement_id=arrangement.id, kind=data.kind, reason=data.reason, starts_on=data.starts_on, ends_on=data.ends_on,
        changes=to_json(data.changes.model_dump(exclude_none=True)) if data.changes else None, emergency=data.emergency,
        authorised_by=principal.sub, authorised_at=now, notices=notices,
        placing_authority_notify_by=now + timedelta(hours=PLACING_AUTHORITY_HOURS) if data.emergency else None,
        placing_authority_notified_at=_placing_authority_told(notices) if data.emergency else None,
    )
    session.add(restriction)
    record_change(
        session, principal, "restriction.recorded", "restriction", restriction, before=None,
        event=_event(restriction, arrangement), event_type="arrangement.restricted",
    )
    return restriction


def add_notice(session: Session, principal: Principal, restriction: Restriction, data: NoticeCreate) -> Restriction:
    """A written notice given after the restriction was recorded; one to the placing authority
    clears an emergency restriction's flag (R-53a)."""
    now = clock.now()
    if data.sent_at > now:
        raise invalid_field("sent_at", "is in the future")
    notice = to_json(data.model_dump())
    arrangement = session.get(Arrangement, restriction.arrangement_id)
    assert arrangement is not None
    freetext.check(session, arrangement.child_id, {"recipient": data.recipient}, kind="notices")
    before = snapshot(restriction)
    restriction.notices = [*restriction.notices, notice]
    if restriction.emergency and restriction.placing_authority_notified_at is None:
        restriction.placing_authority_notified_at = _placing_authority_told([notice])
    record_change(
        session, principal, "restriction.notice_recorded", "restriction", restriction, before=before,
        event={**_event(restriction, arrangement), "recipient_is_placing_authority": notice["recipient"] == PLACING_AUTHORITY,
               "sent_at": data.sent_at, "placing_authority_notified_at": restriction.placing_authority_notified_at},
    )
    return restriction


def restrictions_page(session: Session, arrangement: Arrangement, page: PageParams) -> Page[RestrictionRead]:
    statement = select(Restriction).where(Restriction.arrangement_id == arrangement.id)
    return paginate(session, statement, [Restriction.authorised_at, Restriction.id], page, RestrictionRead.model_validate)


def check_s34(
    session: Session, principal: Principal, arrangement: Arrangement, child: Child, *,
    kind: RestrictionKind, starts_on: date, ends_on: date | None, today: date,
) -> bool:
    """Raise the flag when `rules` says the court's authority is needed (R-54a); once."""
    if arrangement.s34_application_needed or arrangement.s34_applied_on is not None:
        return False
    due = rules.s34_application_due(
        legal_status=child.legal_status, court_arena=arrangement.court_arena, kind=kind,
        starts_on=starts_on, ends_on=ends_on, today=today,
    )
    if due:
        arrangement_service.flag_s34(session, principal, arrangement)
    return due


def sweep_s34(session: Session, calendar: WorkingCalendar, now: datetime) -> int:
    """Suspensions that have now lasted more than 7 days (`contact-service s34-sweep`, later
    the worker): each qualifying arrangement is flagged once; running it again flags nothing new."""
    rows = session.execute(
        select(Arrangement, Child)
        .join(Child, Child.id == Arrangement.child_id)
        .where(
            Arrangement.status == ArrangementStatus.suspended,
            Arrangement.s34_application_needed.is_(False),
            Arrangement.s34_applied_on.is_(None),
        )
        .order_by(Arrangement.suspended_at)
    ).all()
    flagged = 0
    for arrangement, child in rows:
        assert arrangement.suspended_at is not None
        arrangement_service.lock(session, arrangement)
        if arrangement.status != ArrangementStatus.suspended:
            continue
        flagged += check_s34(
            session, SYSTEM, arrangement, child, kind=RestrictionKind.suspend,
            starts_on=calendar.local_date(arrangement.suspended_at), ends_on=None, today=calendar.local_date(now),
        )
    return flagged


def record_s34_application(session: Session, principal: Principal, arrangement: Arrangement, data: S34ApplicationCreate, today: date) -> None:
    if data.applied_on > today:
        raise invalid_field("applied_on", "is in the future")
    arrangement_service.lock(session, arrangement)
    arrangement_service.record_s34_application(session, principal, arrangement, data.applied_on, data.court_reference)


def _flag_conditions(today: date, now: datetime) -> dict[Flag, ColumnElement[bool]]:
    """Each flag as SQL over the arrangement: the one definition, for the list and for one arrangement."""
    in_force = select(Restriction.arrangement_id).where(
        Restriction.kind == RestrictionKind.restrict, Restriction.starts_on <= today,
        or_(Restriction.ends_on.is_(None), Restriction.ends_on >= today),
    )
    unnotified = select(Restriction.arrangement_id).where(
        Restriction.emergency.is_(True), Restriction.placing_authority_notified_at.is_(None)
    )
    third_lac = (
        select(Review.arrangement_id).where(Review.kind == ReviewKind.lac).group_by(Review.arrangement_id)
        .having(or_(func.count() >= 3, func.max(Review.lac_number) >= 3))
    )
    meeting = and_(Arrangement.status == ArrangementStatus.suspended, Arrangement.review_meeting_due_by.is_not(None))
    return {
        Flag.s34_application_needed: Arrangement.s34_application_needed.is_(True),
        Flag.placing_authority_notification_due: Arrangement.id.in_(unnotified),
        Flag.restricted: Arrangement.id.in_(in_force),
        Flag.review_meeting_due: and_(meeting, Arrangement.review_meeting_due_by >= now),
        Flag.review_meeting_overdue: and_(meeting, Arrangement.review_meeting_due_by < now),
        Flag.exit_plan_overdue: and_(Arrangement.exit_plan.is_(None), Arrangement.id.in_(third_lac)),
    }


def _flag_columns(today: date, now: datetime) -> list[Any]:
    return [condition.label(flag.value) for flag, condition in _flag_conditions(today, now).items()]


def _raised(row: Any) -> list[str]:
    return [flag.value for flag in Flag if row._mapping[flag.value]]


def flags(session: Session, arrangement: Arrangement, today: date, now: datetime) -> list[str]:
    """The arrangement's open flags (R-53a, R-54a, R-55a), from the same SQL as the list."""
    return _raised(session.execute(select(*_flag_columns(today, now)).where(Arrangement.id == arrangement.id)).one())


def flagged_page(
    session: Session, page: PageParams, today: date, now: datetime, *, flag: Flag | None, area: str | None
) -> Page[FlaggedRead]:
    """Arrangements with an open flag (R-54a: the service managers' list), by id, cursor-paged;
    each row's flags come with it."""
    conditions = _flag_conditions(today, now)
    statement = select(Arrangement.id, Arrangement.child_id, Arrangement.area, Arrangement.status, *_flag_columns(today, now))
    statement = statement.where(conditions[flag] if flag is not None else or_(*conditions.values()))
    if area is not None:
        statement = statement.where(Arrangement.area == area)

    def item(row: Any) -> FlaggedRead:
        return FlaggedRead(arrangement_id=row.id, child_id=row.child_id, area=row.area, status=row.status, flags=_raised(row))

    return paginate(session, statement, [Arrangement.id], page, item)


# --- reviews (R-55, R-55a) ---------------------------------------------------------------


def _interval(kind: ReviewKind, settings: Settings) -> relativedelta | None:
    if kind == ReviewKind.contact_service:
        return relativedelta(months=settings.contact_service_review_months)
    if kind == ReviewKind.supervised:
        return relativedelta(weeks=settings.supervised_review_weeks)
    return None  # a LAC review's date is the IRO's; a breach meeting is not periodic


def _set_due(session: Session, arrangement_id: uuid.UUID, kind: ReviewKind, due_on: date) -> None:
    row = session.get(ReviewDue, (arrangement_id, kind))
    if row is None:
        session.add(ReviewDue(arrangement_id=arrangement_id, kind=kind, due_on=due_on))
    else:
        row.due_on, row.overdue_announced, row.due_announced = due_on, False, False


def schedule_first_reviews(session: Session, arrangement: Arrangement, settings: Settings, opened_on: date) -> None:
    """An arrangement opens with its first contact service review due, and, when supervised,
    its first supervised review (R-55)."""
    kinds = [ReviewKind.contact_service] + ([ReviewKind.supervised] if arrangement.level == Level.supervised else [])
    for kind in kinds:
        interval = _interval(kind, settings)
        assert interval is not None
        _set_due(session, arrangement.id, kind, opened_on + interval)


def record_review(
    session: Session, principal: Principal, settings: Settings, arrangement: Arrangement, data: ReviewCreate, today: date
) -> Review:
    arrangement_service.lock(session, arrangement)
    arrangement_service.require_open(arrangement, "review")
    if data.held_on > today:
        raise invalid_field("held_on", "is in the future: record a review once it has been held")
    if data.kind == ReviewKind.lac and data.lac_number is None:
        raise invalid_field("lac_number", "a LAC review says which one it was")
    if data.kind != ReviewKind.lac and data.lac_number is not None:
        raise invalid_field("lac_number", f"only a LAC review is numbered, not a {data.kind.value} review")
    if data.next_due_on is not None and data.next_due_on <= data.held_on:
        raise invalid_field("next_due_on", "is not after held_on")
    text = {"outcome": data.outcome} | ({"exit_plan": data.exit_plan} if data.exit_plan else {})
    freetext.check(session, arrangement.child_id, text, kind="reviews")
    interval = _interval(data.kind, settings)
    next_due = data.next_due_on or (data.held_on + interval if interval is not None else None)
    review = Review(
        arrangement_id=arrangement.id, kind=data.kind, held_on=data.held_on, attended=data.attended, outcome=data.outcome,
        lac_number=data.lac_number, next_due_on=next_due, recorded_by=principal.sub, recorded_at=clock.now(),
    )
    session.add(review)
    if next_due is not None:
        _set_due(session, arrangement.id, data.kind, next_due)
    record_change(
        session, principal, "review.recorded", "review", review, before=None,
        event={
            "review_id": review.id, "arrangement_id": arrangement.id, "child_id": arrangement.child_id, "kind": review.kind,
            "held_on": review.held_on, "lac_number": review.lac_number, "next_due_on": review.next_due_on,
        },
    )
    if data.exit_plan:
        arrangement_service.set_exit_plan(session, principal, arrangement, data.exit_plan)
    if data.kind == ReviewKind.breach_meeting and arrangement.review_meeting_due_by is not None:
        arrangement_service.meeting_held(session, principal, arrangement)
    return review


def reviews_page(session: Session, arrangement: Arrangement, page: PageParams) -> Page[ReviewRead]:
    statement = select(Review).where(Review.arrangement_id == arrangement.id)
    return paginate(session, statement, [Review.held_on, Review.id], page, ReviewRead.model_validate)


def due_page(
    session: Session, page: PageParams, today: date, *, area: str | None, kind: ReviewKind | None, overdue: bool | None
) -> Page[ReviewDueRead]:
    """Due and overdue reviews of open arrangements, soonest first (R-55a)."""
    statement = (
        select(ReviewDue.arrangement_id, ReviewDue.kind, ReviewDue.due_on, Arrangement.child_id, Arrangement.area)
        .join(Arrangement, Arrangement.id == ReviewDue.arrangement_id)
        .where(Arrangement.status != ArrangementStatus.closed)
    )
    if area is not None:
        statement = statement.where(Arrangement.area == area)
    if kind is not None:
        statement = statement.where(ReviewDue.kind == kind)
    if overdue is True:
        statement = statement.where(ReviewDue.due_on < today)
    elif overdue is False:
        statement = statement.where(ReviewDue.due_on >= today)

    def item(row: Any) -> ReviewDueRead:
        return ReviewDueRead(
            arrangement_id=row.arrangement_id, child_id=row.child_id, area=row.area, kind=row.kind,
            due_on=row.due_on, overdue=row.due_on < today,
        )

    return paginate(session, statement, [ReviewDue.due_on, ReviewDue.arrangement_id, ReviewDue.kind], page, item)


def next_reviews(session: Session, arrangement: Arrangement, today: date) -> list[dict[str, Any]]:
    rows = session.execute(select(ReviewDue).where(ReviewDue.arrangement_id == arrangement.id).order_by(ReviewDue.due_on)).scalars()
    return [{"kind": row.kind, "due_on": row.due_on, "overdue": row.due_on < today} for row in rows]


SWEEPER = Principal(sub="system:review-sweep", roles=frozenset())


def _announce_reviews(session: Session, event_type: str, flag: str, *when: ColumnElement[bool]) -> int:
    """`event_type` once per due date matching `when`, marked by the row's `flag`."""
    rows = session.execute(
        select(ReviewDue, Arrangement)
        .join(Arrangement, Arrangement.id == ReviewDue.arrangement_id)
        .where(*when, getattr(ReviewDue, flag).is_(False), Arrangement.status != ArrangementStatus.closed)
        .order_by(ReviewDue.due_on, ReviewDue.arrangement_id)
    ).all()
    for due, arrangement in rows:
        setattr(due, flag, True)
        record_change(
            session, SWEEPER, event_type, "review_due", due, before=None, entity_id=f"{due.arrangement_id}:{due.kind.value}",
            event={"arrangement_id": arrangement.id, "child_id": arrangement.child_id, "kind": due.kind, "due_on": due.due_on,
                   "notify": ["team_leader"]},
        )
    return len(rows)


def sweep_overdue_reviews(session: Session, today: date) -> int:
    """`review.overdue` once per due date passed (`contact-service sweep-reviews`, and the worker daily)."""
    return _announce_reviews(session, "review.overdue", "overdue_announced", ReviewDue.due_on < today)


REVIEW_NOTICE = timedelta(days=7)  # `review.due` goes out this long before the due date


def sweep_reviews_due(session: Session, today: date) -> int:
    """`review.due` once per due date, a week before it (R-55, R-85: the worker, daily)."""
    return _announce_reviews(session, "review.due", "due_announced", ReviewDue.due_on <= today + REVIEW_NOTICE, ReviewDue.due_on >= today)


NOTICE_SWEEPER = Principal(sub="system:notice-sweep", roles=frozenset())


def sweep_placing_authority_overdue(session: Session, now: datetime) -> int:
    """R-53a, R-85: `restriction.placing_authority_overdue` once for each emergency restriction
    whose 24 hours to tell the placing authority have passed with no notice recorded."""
    rows = session.execute(
        select(Restriction, Arrangement)
        .join(Arrangement, Arrangement.id == Restriction.arrangement_id)
        .where(Restriction.emergency.is_(True), Restriction.placing_authority_notified_at.is_(None),
               Restriction.placing_authority_notify_by.is_not(None), Restriction.placing_authority_notify_by < now)
        .order_by(Restriction.placing_authority_notify_by, Restriction.id)
    ).all()
    announced = outbox.announced(session, "restriction.placing_authority_overdue", [restriction.id for restriction, _ in rows])
    fresh = [(restriction, arrangement) for restriction, arrangement in rows if str(restriction.id) not in announced]
    for restriction, arrangement in fresh:
        outbox.emit(session, "restriction.placing_authority_overdue", restriction.id, {
            "restriction_id": restriction.id, "arrangement_id": arrangement.id, "child_id": arrangement.child_id,
            "notify_by": restriction.placing_authority_notify_by, "notify": ["service_manager", "team_leader"],
        })
    return len(fresh)


# --- disputes (R-56, R-56a) ----------------------------------------------------------------


def _dispute_event(dispute: Dispute, arrangement: Arrangement, **extra: Any) -> dict[str, Any]:
    return {"dispute_id": dispute.id, "arrangement_id": arrangement.id, "child_id": arrangement.child_id, "step": dispute.step, **extra}


def next_step(dispute: Dispute) -> DisputeStep | None:
    if dispute.resolved_at is not None:
        return None
    if dispute.step is None:
        return LADDER[0]
    index = LADDER.index(dispute.step)
    return LADDER[index + 1] if index + 1 < len(LADDER) else None


def open_dispute(session: Session, principal: Principal, arrangement: Arrangement, data: DisputeCreate) -> Dispute:
    arrangement_service.require_open(arrangement, "raise a dispute about")
    dispute = Dispute(arrangement_id=arrangement.id, concern=data.concern, raised_by=principal.sub, raised_at=clock.now())
    session.add(dispute)
    record_change(session, principal, "dispute.opened", "dispute", dispute, before=None, event=_dispute_event(dispute, arrangement))
    return dispute


def take_step(session: Session, principal: Principal, dispute: Dispute, data: StepCreate, today: date) -> Dispute:
    """R-56a: one rung at a time (a skipped or repeated step is a 409 naming the next), each
    with when, who and the outcome; `resolved` ends it from any step, and an
    `exceptionality` resolution sets the arrangement's review date."""
    session.refresh(dispute, with_for_update=True)
    if dispute.resolved_at is not None:
        raise WrongState("dispute", "take a step in", "resolved")
    expected = next_step(dispute)
    if data.step != DisputeStep.resolved and data.step != expected:
        nxt = expected.value if expected else "none: the ladder's top is reached, only `resolved` remains"
        raise AppError(
            409, "dispute-step-out-of-order", "A step of the ladder is skipped or repeated",
            f"The next step of this dispute is {nxt}, not {data.step.value} (004 s15).",
            extra={"next_step": expected.value if expected else None, "current_step": dispute.step.value if dispute.step else None},
        )
    if data.held_on > today:
        raise invalid_field("held_on", "is in the future")
    last = session.execute(
        select(func.max(DisputeStepRecord.held_on)).where(DisputeStepRecord.dispute_id == dispute.id)
    ).scalar_one_or_none()
    if last is not None and data.held_on < last:
        raise invalid_field("held_on", f"is before the previous step ({last.isoformat()})")
    if data.step == DisputeStep.resolved:
        if data.resolution is None:
            raise invalid_field("resolution", "a resolved dispute says how: agreed, exit_strategy or exceptionality")
        if data.resolution == Resolution.exceptionality and data.review_on is None:
            raise invalid_field("review_on", "an exceptionality outcome sets a review date")
        if data.review_on is not None and data.review_on <= data.held_on:
            raise invalid_field("review_on", "is not after held_on")
    elif data.resolution is not None or data.review_on is not None:
        raise invalid_field("resolution" if data.resolution is not None else "review_on", "only a `resolved` step has one")
    arrangement = session.get(Arrangement, dispute.arrangement_id)
    assert arrangement is not None
    now = clock.now()
    record = DisputeStepRecord(
        dispute_id=dispute.id, step=data.step, held_on=data.held_on, who=data.who, outcome=data.outcome,
        resolution=data.resolution, review_on=data.review_on, recorded_by=principal.sub, recorded_at=now,
    )
    session.add(record)
    before = snapshot(dispute)
    dispute.version += 1
    if data.step == DisputeStep.resolved:
        dispute.resolution, dispute.resolved_at, dispute.review_on = data.resolution, now, data.review_on
        record_change(session, principal, "dispute.resolved", "dispute", dispute, before=before,
                      event=_dispute_event(dispute, arrangement, resolution=data.resolution, review_on=data.review_on))
        if data.resolution == Resolution.exceptionality and data.review_on is not None:
            arrangement_service.set_review_by(session, principal, arrangement, data.review_on)
    else:
        dispute.step = data.step
        record_change(session, principal, "dispute.escalated", "dispute", dispute, before=before,
                      event=_dispute_event(dispute, arrangement, held_on=data.held_on))
    return dispute


def read_dispute(session: Session, dispute: Dispute) -> DisputeRead:
    steps = session.execute(
        select(DisputeStepRecord).where(DisputeStepRecord.dispute_id == dispute.id).order_by(DisputeStepRecord.recorded_at)
    ).scalars().all()
    return DisputeRead(
        id=dispute.id, arrangement_id=dispute.arrangement_id, concern=dispute.concern, raised_by=dispute.raised_by,
        raised_at=dispute.raised_at, status="resolved" if dispute.resolved_at else "open", step=dispute.step,
        next_step=next_step(dispute), resolution=dispute.resolution, resolved_at=dispute.resolved_at, review_on=dispute.review_on,
        steps=[StepRead.model_validate(s) for s in steps],
    )

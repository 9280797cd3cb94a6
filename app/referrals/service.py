"""The referral lifecycle (R-10 to R-16): one function per transition, each checking the
state it starts from. draft -> approved (team manager) -> submitted -> decided, and
withdrawn from any open state. No HTTP here."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, select
from sqlmodel import Session

from app import freetext
from app.calendar.deadlines import hours_after, working_calendar
from app.children.models import Child, Person
from app.core import audit, clock, outbox
from app.core.changes import record_change
from app.core.config import Settings
from app.core.errors import AppError, WrongState, check_area, invalid_field
from app.core.models import snapshot, to_json
from app.core.pagination import Page, PageParams, paginate
from app.core.periods import Period
from app.core.security import Principal
from app.referrals import policy
from app.referrals.models import ALTERNATIVE_ROUTE, Outcome, Referral, ReferralPerson, ReferralStatus
from app.referrals.schemas import (
    Approval,
    DecisionCreate,
    DecisionRead,
    QueueItem,
    ReferralCreate,
    ReferralRead,
    Submission,
    Triage,
    Withdrawal,
)

OPEN = (ReferralStatus.draft, ReferralStatus.approved, ReferralStatus.submitted)


def wrong_state(referral: Referral, action: str, expected: str) -> WrongState:
    return WrongState("referral", action, referral.status.value, expected)


def priority(urgent: bool, court_arena: bool) -> int:
    return (0 if urgent else 2) + (0 if court_arena else 1)


def _record(
    session: Session, principal: Principal, referral: Referral, action: str, before: dict[str, Any] | None, event: dict[str, Any] | None
) -> None:
    record_change(
        session, principal, f"referral.{action}", "referral", referral, before=before, event=event, child_id=referral.child_id
    )


def _touch(referral: Referral, now: datetime) -> None:
    referral.version += 1
    referral.updated_at = now


def people_of(session: Session, referral_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        session.execute(
            select(ReferralPerson.person_id).where(ReferralPerson.referral_id == referral_id).order_by(ReferralPerson.person_id)
        ).scalars()
    )


def create(session: Session, principal: Principal, child: Child, data: ReferralCreate) -> Referral:
    """Draft a referral for `child`, which `referrals.deps.referable_child` found the caller
    may refer."""
    assert principal.acting_social_worker is not None
    known = set(
        session.execute(select(Person.id).where(Person.child_id == child.id, Person.id.in_(data.people))).scalars()
    )
    strangers = [i for i, person in enumerate(data.people) if person not in known]
    if strangers:
        raise AppError(
            422,
            "validation",
            "The request is not valid",
            "people: not in this child's network",
            errors=[{"field": f"people.{i}", "location": "body", "message": "is not in this child's network"} for i in strangers],
        )
    now = clock.now()
    if data.urgent is not None and data.urgent.called_at > now:
        raise invalid_field("urgent.called_at", "must not be in the future")
    court_arena = child.court_arena if data.court_arena is None else data.court_arena
    referral = Referral(
        child_id=child.id,
        social_worker_sub=principal.acting_social_worker,
        team=child.team,
        area=child.area,
        purposes=[p.value for p in data.purpose],
        purpose_detail=data.purpose_detail,
        level=data.level,
        frequency_times=data.frequency.times,
        frequency_per=data.frequency.per,
        duration_minutes=data.duration_minutes,
        risk_assessment=data.risk_assessment.model_dump(mode="json"),
        transport_reason=data.transport.reason if data.transport else None,
        transport_evidence=data.transport.evidence if data.transport else None,
        alternative_venue=data.alternative_venue.description if data.alternative_venue else None,
        alternative_venue_reason=data.alternative_venue.reason if data.alternative_venue else None,
        court_arena=court_arena,
        urgent=data.urgent is not None,
        urgent_called_at=data.urgent.called_at if data.urgent else None,
        urgent_caller=data.urgent.caller if data.urgent else None,
        priority=priority(data.urgent is not None, court_arena),
        created_at=now,
        updated_at=now,
    )
    session.add(referral)
    session.flush()
    session.add_all(ReferralPerson(referral_id=referral.id, person_id=person) for person in data.people)
    _record(session, principal, referral, "drafted", None, event={"referral_id": referral.id, "child_id": child.id})
    return referral


def approve(session: Session, principal: Principal, referral: Referral, data: Approval) -> Referral:
    """R-11: a team manager approves before the referral can be submitted (004 s4 p22)."""
    if referral.status != ReferralStatus.draft:
        raise wrong_state(referral, "approve", "draft")
    before = snapshot(referral)
    now = clock.now()
    referral.status = ReferralStatus.approved
    referral.approved_by = principal.sub
    referral.approved_at = now
    _touch(referral, now)
    event = {"referral_id": referral.id, "approved_by": principal.sub, "approved_at": now}
    _record(session, principal, referral, "approved", before, event=event)
    return referral


def submit(session: Session, principal: Principal, settings: Settings, referral: Referral, data: Submission) -> Referral:
    """R-13, R-14: stamp the receipt and the deadlines that run from it."""
    if referral.status != ReferralStatus.approved:
        detail = "approved by a team manager" if referral.status == ReferralStatus.draft else "approved"
        raise wrong_state(referral, "submit", detail)
    now = clock.now()
    received_at = now
    if data.received_at is not None:
        if not policy.may_backdate_receipt(principal):
            raise invalid_field("received_at", "only a case-record system may say when it received the referral")
        if data.received_at > now:
            raise invalid_field("received_at", "must not be in the future")
        received_at = data.received_at
    before = snapshot(referral)
    referral.status = ReferralStatus.submitted
    referral.submitted_by = principal.sub
    referral.received_at = received_at
    referral.decision_due_at = working_calendar(settings).working_days_after(received_at, settings.referral_decision_working_days)
    if referral.urgent and referral.urgent_called_at is not None:
        referral.triage_due_at = hours_after(referral.urgent_called_at, settings.urgent_triage_hours)
    referral.next_due_at = referral.triage_due_at or referral.decision_due_at
    _touch(referral, now)
    event = {
        "referral_id": referral.id,
        "child_id": referral.child_id,
        "urgent": referral.urgent,
        "court_arena": referral.court_arena,
        "received_at": referral.received_at,
        "decision_due_at": referral.decision_due_at,
        "triage_due_at": referral.triage_due_at,
    }
    _record(session, principal, referral, "submitted", before, event=event)
    return referral


def _mark_triaged(referral: Referral, principal: Principal, now: datetime, note: str | None) -> None:
    referral.triaged_at = now
    referral.triaged_by = principal.sub
    referral.triage_note = note
    referral.triage_missed = referral.triage_due_at is not None and now > referral.triage_due_at
    referral.next_due_at = referral.decision_due_at


def triage(session: Session, principal: Principal, referral: Referral, data: Triage) -> Referral:
    """R-14: a team leader considers an urgent referral within the triage window."""
    if referral.status != ReferralStatus.submitted:
        raise wrong_state(referral, "triage", "submitted")
    if not referral.urgent:
        raise AppError(409, "not-urgent", "Not an urgent referral", "Only urgent referrals are triaged.")
    if referral.triaged_at is not None:
        raise AppError(409, "already-triaged", "Already triaged", f"Triaged by {referral.triaged_by}.")
    before = snapshot(referral)
    now = clock.now()
    _mark_triaged(referral, principal, now, data.note)
    _touch(referral, now)
    event = {"referral_id": referral.id, "triaged_at": now, "triage_due_at": referral.triage_due_at, "missed": referral.triage_missed}
    _record(session, principal, referral, "triaged", before, event=event)
    return referral


def _validate_decision(referral: Referral, data: DecisionCreate, today: Any) -> None:
    exceptional = data.outcome == Outcome.accepted_exceptional
    if exceptional:
        if not data.rationale:
            raise invalid_field("rationale", "an exceptional acceptance needs its rationale (004 s7)")
        if data.review_by is None:
            raise invalid_field("review_by", "an exceptional acceptance is time limited: give its review date")
        if data.review_by <= today:
            raise invalid_field("review_by", "must be after today")
    else:
        if data.rationale is not None:
            raise invalid_field("rationale", "only an exceptional acceptance takes a rationale")
        if data.review_by is not None:
            raise invalid_field("review_by", "only an exceptional acceptance takes a review date")
    if data.outcome == Outcome.declined and not data.reason:
        raise invalid_field("reason", "a decline needs a reason the social worker can read")
    if data.outcome == Outcome.accepted_core and not referral.court_arena and not data.reason:
        raise invalid_field(
            "reason", "outside the court arena, the core offer needs the significant risk with no alternative (004 s6)"
        )
    if data.room_only and not (data.outcome.accepted and referral.level == "supported"):
        raise invalid_field("room_only", "only supported contact may be accepted as a room only")


def decide(session: Session, principal: Principal, settings: Settings, referral: Referral, data: DecisionCreate) -> None:
    """R-15: the team leader's decision. `flows.decide_referral` opens the arrangement of an
    accepted one (R-18) and announces it (`announce_decision`)."""
    if referral.status == ReferralStatus.decided:
        raise WrongState(
            "referral", "decide", referral.status.value, type_slug="already-decided", title="Already decided",
            detail=f"The referral was decided ({referral.outcome}) at {to_json(referral.decided_at)}.",
        )
    if referral.status != ReferralStatus.submitted:
        raise wrong_state(referral, "decide", "submitted")
    now = clock.now()
    _validate_decision(referral, data, working_calendar(settings).local_date(now))
    freetext.check(session, referral.child_id, {"reason": data.reason, "rationale": data.rationale}, kind="referrals.decision")
    before = snapshot(referral)
    if referral.urgent and referral.triaged_at is None:
        _mark_triaged(referral, principal, now, None)  # deciding is considering it
    referral.status = ReferralStatus.decided
    referral.outcome = data.outcome
    referral.decided_at = now
    referral.decided_by = principal.sub
    referral.decision_reason = data.reason
    referral.decision_rationale = data.rationale
    referral.review_by = data.review_by
    referral.room_only = data.room_only
    referral.alternative_route = ALTERNATIVE_ROUTE if data.outcome == Outcome.declined_capacity else None
    # The outbox event below is the notification; it commits with the decision.
    referral.notified_at = now
    referral.decision_missed = (
        not data.outcome.accepted and referral.decision_due_at is not None and now > referral.decision_due_at
    )
    referral.next_due_at = None
    _touch(referral, now)
    _record(session, principal, referral, "decided", before, event=None)  # announced by `announce_decision`


def announce_decision(session: Session, referral: Referral, arrangement_id: uuid.UUID | None) -> None:
    """R-16: the notification of a decision, with the arrangement it opened (R-18); the
    outbox event commits with the decision, and `notified_at` is its time."""
    now = referral.notified_at
    outbox.emit(
        session,
        "referral.decided",
        referral.id,
        {
            "referral_id": referral.id,
            "child_id": referral.child_id,
            "social_worker_sub": referral.social_worker_sub,
            "outcome": referral.outcome,
            "reason": referral.decision_reason,
            "rationale": referral.decision_rationale,
            "review_by": referral.review_by,
            "room_only": referral.room_only,
            "alternative_route": referral.alternative_route,
            "decided_at": now,
            "decision_due_at": referral.decision_due_at,
            "missed_deadline": referral.decision_missed,
            "triage_missed": referral.triage_missed,
            "arrangement_id": arrangement_id,
        },
    )


def withdraw(session: Session, principal: Principal, referral: Referral, data: Withdrawal) -> Referral:
    if referral.status not in OPEN:
        raise wrong_state(referral, "withdraw", "draft, approved or submitted")
    before = snapshot(referral)
    now = clock.now()
    referral.status = ReferralStatus.withdrawn
    referral.withdrawn_at = now
    referral.withdrawn_by = principal.sub
    referral.withdrawn_reason = data.reason
    referral.next_due_at = None
    _touch(referral, now)
    _record(session, principal, referral, "withdrawn", before, event={"referral_id": referral.id, "withdrawn_at": now})
    return referral


def read(session: Session, referral: Referral, arrangement_id: uuid.UUID | None = None) -> ReferralRead:
    """The referral as the API gives it; `arrangement_id` is the one its acceptance opened."""
    decision = None
    if referral.outcome is not None and referral.decided_at is not None:
        decision = DecisionRead(
            outcome=referral.outcome,
            reason=referral.decision_reason,
            rationale=referral.decision_rationale,
            review_by=referral.review_by,
            room_only=referral.room_only,
            alternative_route=referral.alternative_route,
            decided_at=referral.decided_at,
            decided_by=referral.decided_by or "",
            notified_at=referral.notified_at,
            missed_deadline=referral.decision_missed,
            arrangement_id=arrangement_id,
        )
    return ReferralRead(
        id=referral.id,
        status=referral.status,
        version=referral.version,
        child_id=referral.child_id,
        social_worker_sub=referral.social_worker_sub,
        team=referral.team,
        area=referral.area,
        people=people_of(session, referral.id),
        purpose=referral.purposes,
        purpose_detail=referral.purpose_detail,
        level=referral.level,
        frequency={"times": referral.frequency_times, "per": referral.frequency_per},
        duration_minutes=referral.duration_minutes,
        risk_assessment=referral.risk_assessment,
        transport={"reason": referral.transport_reason, "evidence": referral.transport_evidence or ""}
        if referral.transport_reason
        else None,
        alternative_venue={"description": referral.alternative_venue, "reason": referral.alternative_venue_reason or ""}
        if referral.alternative_venue
        else None,
        urgent={"called_at": referral.urgent_called_at, "caller": referral.urgent_caller} if referral.urgent else None,
        court_arena=referral.court_arena,
        created_at=referral.created_at,
        approved_by=referral.approved_by,
        approved_at=referral.approved_at,
        received_at=referral.received_at,
        decision_due_at=referral.decision_due_at,
        triage_due_at=referral.triage_due_at,
        triaged_at=referral.triaged_at,
        triage_missed=referral.triage_missed,
        decision=decision,
        withdrawn_at=referral.withdrawn_at,
        withdrawn_reason=referral.withdrawn_reason,
    )


QUEUE_COLUMNS = (
    Referral.id, Referral.child_id, Referral.social_worker_sub, Referral.area, Referral.level, Referral.urgent,
    Referral.court_arena, Referral.received_at, Referral.decision_due_at, Referral.triage_due_at, Referral.triaged_at,
)
QUEUE_ORDER = (Referral.priority, Referral.next_due_at, Referral.id)


def queue_page(session: Session, settings: Settings, now: datetime, page: PageParams, **filters: Any) -> Page[QueueItem]:
    """R-17: a page of the team leaders' queue, each item with its next due time; an `area`
    filter that is not one of the service's areas is a 422 naming it."""
    if filters.get("area") is not None:
        check_area(settings.areas, filters["area"], location="query")

    def item(row: Row[Any]) -> QueueItem:
        fields = row._asdict()  # one call per row; the page's key columns are ignored as extras
        due, first, last = fields.pop("next_due_at"), fields.pop("first_name"), fields.pop("last_name")
        fields.update(
            child_name=f"{first} {last[:1]}.", due_at=due, seconds_left=int((due - now).total_seconds()), overdue=now > due
        )
        return QueueItem.model_validate(fields)

    return paginate(session, queue_statement(now, **filters), list(QUEUE_ORDER), page, item)


def queue_statement(
    now: datetime,
    *,
    urgent: bool | None,
    court_arena: bool | None,
    area: str | None,
    overdue: bool | None,
    due_within_hours: int | None,
) -> Select[Any]:
    # Only the columns a queue item shows: whole rows cost more to load than the query does.
    statement = (
        select(*QUEUE_COLUMNS, Referral.next_due_at, Child.first_name, Child.last_name)
        .join(Child, Child.id == Referral.child_id)
        .where(Referral.status == ReferralStatus.submitted)
    )
    if urgent is not None:
        statement = statement.where(Referral.urgent.is_(urgent))
    if court_arena is not None:
        statement = statement.where(Referral.court_arena.is_(court_arena))
    if area is not None:
        statement = statement.where(Referral.area == area)
    if overdue is True:
        statement = statement.where(Referral.next_due_at < now)
    elif overdue is False:
        statement = statement.where(Referral.next_due_at >= now)
    if due_within_hours is not None:
        statement = statement.where(Referral.next_due_at <= now + timedelta(hours=due_within_hours))
    return statement


SYSTEM = Principal(sub="system:deadline-sweep", roles=frozenset())


def sweep_missed_deadlines(session: Session, now: datetime) -> list[tuple[str, uuid.UUID]]:
    """R-16, R-60: tell subscribers once when an open referral passes a deadline. An urgent
    referral not triaged by `triage_due_at` emits `referral.triage_overdue`; one not decided
    by `decision_due_at` emits `referral.decision_overdue`. Run it every few minutes
    (`contact-service sweep-deadlines`); running it again emits nothing new."""
    emitted: list[tuple[str, uuid.UUID]] = []
    checks = (
        ("referral.triage_overdue", Referral.triage_due_at, Referral.triaged_at.is_(None)),
        ("referral.decision_overdue", Referral.decision_due_at, Referral.decided_at.is_(None)),
    )
    for event_type, due, pending in checks:
        overdue = session.execute(
            select(Referral)
            .where(Referral.status == ReferralStatus.submitted, due.is_not(None), due < now, pending)
            .order_by(due, Referral.id)
        ).scalars().all()
        announced = outbox.announced(session, event_type, [r.id for r in overdue])
        overdue = [r for r in overdue if str(r.id) not in announced]
        for referral in overdue:
            due_at = referral.triage_due_at if event_type == "referral.triage_overdue" else referral.decision_due_at
            data = {
                "referral_id": referral.id,
                "child_id": referral.child_id,
                "social_worker_sub": referral.social_worker_sub,
                "urgent": referral.urgent,
                "court_arena": referral.court_arena,
                "due_at": due_at,
                "noticed_at": now,
            }
            audit.record(session, SYSTEM, event_type, "referral", referral.id, before=None, after=to_json(data))
            outbox.emit(session, event_type, referral.id, data)
            emitted.append((event_type, referral.id))
    return emitted


def child_page(
    session: Session, child: Child, readable: ColumnElement[bool], page: PageParams, statuses: list[ReferralStatus] | None, period: Period
) -> Page[Referral]:
    """R-83: the child's referrals the caller may read (`readable`, from the policy), by when
    each was drafted, oldest first; only those in `statuses` and drafted in `period`."""
    statement = select(Referral).where(Referral.child_id == child.id, readable, *period.where(Referral.created_at))
    if statuses:
        statement = statement.where(Referral.status.in_(statuses))
    return paginate(session, statement, [Referral.created_at, Referral.id], page, lambda row: row)

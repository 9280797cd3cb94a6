"""HTTP for referrals, decisions and the team leaders' queue."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from sqlalchemy import Row
from sqlmodel import Session

from app import flows
from app.arrangements import service as arrangement_service
from app.core import clock
from app.core.db import SessionDep
from app.core.errors import error_responses
from app.core.security import PrincipalDep
from app.core.pagination import Page, PageParamsDep, paginate
from app.referrals import service
from app.referrals.deps import (
    ApprovableReferral,
    DecidableReferral,
    QueueReader,
    ReadableReferral,
    ReferableChild,
    ReferrersReferral,
)
from app.referrals.models import Referral
from app.referrals.schemas import (
    Approval,
    DecisionCreate,
    DecisionResult,
    QueueItem,
    ReferralCreate,
    ReferralRead,
    Submission,
    Triage,
    Withdrawal,
)

router = APIRouter(prefix="/referrals", tags=["referrals"])


def _read(session: Session, referral: Referral) -> ReferralRead:
    """The referral with the arrangement its acceptance opened, if any (R-18)."""
    accepted = referral.outcome is not None and referral.outcome.accepted
    return service.read(session, referral, arrangement_service.id_for_referral(session, referral.id) if accepted else None)

QUEUE_COLUMNS = (
    "id", "child_id", "social_worker_sub", "area", "level", "urgent", "court_arena",
    "received_at", "decision_due_at", "triage_due_at", "triaged_at",
)

WRITE_ERRORS = (401, 403, 404, 409, 413, 415, 422)


@router.post(
    "",
    response_model=ReferralRead,
    status_code=status.HTTP_201_CREATED,
    summary="Draft a referral",
    description=(
        "A social worker (or a case-record system acting for one) drafts a referral for a child "
        "allocated to them (R-10, R-12). It needs a team manager's approval before submission."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def create_referral(
    body: ReferralCreate, child: ReferableChild, principal: PrincipalDep, session: SessionDep, response: Response
) -> ReferralRead:
    referral = service.create(session, principal, child, body)
    response.headers["Location"] = f"/api/v1/referrals/{referral.id}"
    return _read(session, referral)


@router.get(
    "/queue",
    response_model=Page[QueueItem],
    summary="The team leaders' queue",
    description=(
        "Submitted referrals awaiting a decision (R-17): urgent first, then court arena, then the "
        "earliest due (so the overdue lead each group). `due_at` is the next deadline: triage while "
        "an urgent referral is untriaged, then the decision."
    ),
    responses=error_responses(401, 403, 422),
)
def queue(
    _principal: QueueReader,
    session: SessionDep,
    page: PageParamsDep,
    urgent: Annotated[bool | None, Query()] = None,
    court_arena: Annotated[bool | None, Query()] = None,
    area: Annotated[str | None, Query(max_length=50)] = None,
    overdue: Annotated[bool | None, Query()] = None,
    due_within_hours: Annotated[int | None, Query(ge=0, le=24 * 366)] = None,
) -> Page[QueueItem]:
    now = clock.now()
    statement = service.queue_statement(
        now, urgent=urgent, court_arena=court_arena, area=area, overdue=overdue, due_within_hours=due_within_hours
    )

    def item(row: Row[Any]) -> QueueItem:
        return QueueItem(
            **{name: getattr(row, name) for name in QUEUE_COLUMNS},
            child_name=f"{row.first_name} {row.last_name[:1]}.",
            due_at=row.next_due_at,
            seconds_left=int((row.next_due_at - now).total_seconds()),
            overdue=now > row.next_due_at,
        )

    return paginate(session, statement, [Referral.priority, Referral.next_due_at, Referral.id], page, item)


@router.get(
    "/{referral_id}",
    response_model=ReferralRead,
    summary="Read a referral",
    description="With its status, due times and decision (R-06: the referrer, their team manager, team leaders, service managers).",
    responses=error_responses(401, 403, 404, 422),
)
def get_referral(referral: ReadableReferral, session: SessionDep) -> ReferralRead:
    return _read(session, referral)


@router.post(
    "/{referral_id}/approval",
    response_model=ReferralRead,
    summary="Approve a draft referral",
    description="R-11: the team manager of the referring social worker's team approves before submission.",
    responses=error_responses(*WRITE_ERRORS),
)
def approve_referral(
    referral: ApprovableReferral, principal: PrincipalDep, session: SessionDep, body: Approval | None = None
) -> ReferralRead:
    return _read(session, service.approve(session, principal, referral, body or Approval()))


@router.post(
    "/{referral_id}/submit",
    response_model=ReferralRead,
    summary="Submit an approved referral",
    description=(
        "R-13, R-14: stamps `received_at` and `decision_due_at` (5 working days), and `triage_due_at` "
        "(24 hours from the telephone call) for an urgent one. A case-record system may send the "
        "earlier `received_at` it recorded, never a future one."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def submit_referral(
    referral: ReferrersReferral, principal: PrincipalDep, session: SessionDep, request: Request, body: Submission | None = None
) -> ReferralRead:
    settings = request.app.state.settings
    return _read(session, service.submit(session, principal, settings, referral, body or Submission()))


@router.post(
    "/{referral_id}/triage",
    response_model=ReferralRead,
    summary="Triage an urgent referral",
    description="R-14: a team leader records that the urgent referral was considered; after `triage_due_at` it is marked missed.",
    responses=error_responses(*WRITE_ERRORS),
)
def triage_referral(
    referral: DecidableReferral, principal: PrincipalDep, session: SessionDep, body: Triage | None = None
) -> ReferralRead:
    return _read(session, service.triage(session, principal, referral, body or Triage()))


@router.post(
    "/{referral_id}/decision",
    response_model=DecisionResult,
    summary="Decide a submitted referral",
    description=(
        "R-15, R-16: team leaders only. `accepted_core`, `accepted_exceptional` (needs `rationale` and "
        "`review_by`), `declined` (needs `reason`) or `declined_capacity` (routes to the Resources "
        "service). The social worker is notified on the outbox at once; an accepted referral opens "
        "an arrangement (R-18) whose id is returned."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def decide_referral(
    referral: DecidableReferral, principal: PrincipalDep, body: DecisionCreate, session: SessionDep, request: Request
) -> DecisionResult:
    arrangement_id = flows.decide_referral(session, principal, request.app.state.settings, referral, body)
    return DecisionResult(**service.read(session, referral, arrangement_id).model_dump(), arrangement_id=arrangement_id)


@router.post(
    "/{referral_id}/withdraw",
    response_model=ReferralRead,
    summary="Withdraw a referral",
    description="The referrer withdraws a referral that is not yet decided, with a reason.",
    responses=error_responses(*WRITE_ERRORS),
)
def withdraw_referral(referral: ReferrersReferral, principal: PrincipalDep, body: Withdrawal, session: SessionDep) -> ReferralRead:
    return _read(session, service.withdraw(session, principal, referral, body))

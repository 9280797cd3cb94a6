"""HTTP for referrals, decisions, the team leaders' queue and a child's referrals (R-83)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response, status

from app import flows

from app.core.concurrency import APIRouter
from app.core import clock
from app.core.db import SessionDep
from app.core.config import API_PREFIX, SettingsDep
from app.core.errors import error_responses
from app.core.security import PrincipalDep
from app.core.pagination import Page, PageParamsDep
from app.core.periods import PeriodDep
from app.children.deps import ReadableChild
from app.referrals import service
from app.referrals.deps import (
    ApprovableReferral,
    DecidableReferral,
    QueueReader,
    ReadableReferral,
    ReferableChild,
    ReferralFilter,
    ReferrersReferral,
)
from app.referrals.models import ReferralStatus
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
# the referrals of one child, under the child (main.py includes it beside `router`).
by_child_router = APIRouter(prefix="/children/{child_id}", tags=["referrals"])

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
    response.headers["Location"] = f"{API_PREFIX}/referrals/{referral.id}"
    return flows.read_referral(session, referral)


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
    settings: SettingsDep,
    page: PageParamsDep,
    urgent: Annotated[bool | None, Query()] = None,
    court_arena: Annotated[bool | None, Query()] = None,
    area: Annotated[str | None, Query(max_length=50, description="One of the service's areas (`AREAS`); another is a 422.")] = None,
    overdue: Annotated[bool | None, Query()] = None,
    due_within_hours: Annotated[int | None, Query(ge=0, le=24 * 366)] = None,
) -> Page[QueueItem]:
    return service.queue_page(
        session, settings, clock.now(), page,
        urgent=urgent, court_arena=court_arena, area=area, overdue=overdue, due_within_hours=due_within_hours,
    )


@router.get(
    "/{referral_id}",
    response_model=ReferralRead,
    summary="Read a referral",
    description="With its status, due times and decision (R-06: the referrer, their team manager, team leaders, service managers).",
    responses=error_responses(401, 403, 404, 422),
)
def get_referral(referral: ReadableReferral, session: SessionDep) -> ReferralRead:
    return flows.read_referral(session, referral)


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
    return flows.read_referral(session, service.approve(session, principal, referral, body or Approval()))


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
    referral: ReferrersReferral, principal: PrincipalDep, session: SessionDep, settings: SettingsDep, body: Submission | None = None
) -> ReferralRead:
    return flows.read_referral(session, service.submit(session, principal, settings, referral, body or Submission()))


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
    return flows.read_referral(session, service.triage(session, principal, referral, body or Triage()))


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
    referral: DecidableReferral, principal: PrincipalDep, body: DecisionCreate, session: SessionDep, settings: SettingsDep
) -> DecisionResult:
    arrangement_id = flows.decide_referral(session, principal, settings, referral, body)
    return DecisionResult(**service.read(session, referral, arrangement_id).model_dump(), arrangement_id=arrangement_id)


@router.post(
    "/{referral_id}/withdraw",
    response_model=ReferralRead,
    summary="Withdraw a referral",
    description="The referrer withdraws a referral that is not yet decided, with a reason.",
    responses=error_responses(*WRITE_ERRORS),
)
def withdraw_referral(referral: ReferrersReferral, principal: PrincipalDep, body: Withdrawal, session: SessionDep) -> ReferralRead:
    return flows.read_referral(session, service.withdraw(session, principal, referral, body))


@by_child_router.get(
    "/referrals",
    response_model=Page[ReferralRead],
    summary="List the child's referrals",
    description=(
        "R-83: every referral of the child the caller may read (R-06: the referrer, their team manager, an "
        "integration of the child's source, team leaders and service managers), as `GET /referrals/{id}` gives "
        "each, oldest first by when it was drafted (`created_at`), cursor-paged. `status` (repeat it for several) "
        "keeps those in these states; `from` and `to` keep those drafted on these local days. A child the caller "
        "may not read is a 404, as one that does not exist."
    ),
    responses=error_responses(401, 403, 404, 422),
)
def list_child_referrals(
    readable: ReferralFilter,
    child: ReadableChild,
    session: SessionDep,
    page: PageParamsDep,
    period: PeriodDep,
    statuses: Annotated[
        list[ReferralStatus] | None, Query(alias="status", description="Only referrals in these states; repeat for several.")
    ] = None,
) -> Page[ReferralRead]:
    rows = service.child_page(session, child, readable, page, statuses, period)
    return Page(items=[flows.read_referral(session, row) for row in rows.items], next_cursor=rows.next_cursor)

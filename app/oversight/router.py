"""HTTP for restrictions of contact, their notices, the s34 application, reviews and disputes (R-53 to R-56)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, status

from app import flows
from app.arrangements.deps import ReadableArrangement
from app.arrangements.schemas import ArrangementRead
from app.calendar.deadlines import working_calendar
from app.core import clock
from app.core.concurrency import APIRouter
from app.core.config import SettingsDep
from app.core.db import SessionDep
from app.core.errors import check_area, error_responses
from app.core.pagination import Page, PageParamsDep
from app.core.security import PrincipalDep
from app.oversight import service
from app.oversight.deps import (
    DisputableArrangement,
    DisputeTarget,
    DueReader,
    FlagReader,
    RestrictableArrangement,
    RestrictionTarget,
    ReviewableArrangement,
    S34Arrangement,
)
from app.oversight.models import Flag, ReviewKind
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
)

router = APIRouter(tags=["oversight"])
WRITE_ERRORS = (401, 403, 404, 409, 422)


@router.post(
    "/arrangements/{arrangement_id}/restrictions",
    response_model=RestrictionRead,
    status_code=status.HTTP_201_CREATED,
    summary="Suspend, restrict or terminate contact",
    description=(
        "R-53, R-53a. Authorised by a service manager, with a reason, a start and an optional end, and the written "
        "notices given. `suspend` and `terminate` take effect at once (they start today or earlier): a suspension "
        "holds the sessions still to come and their transport; a termination closes the arrangement and cancels "
        "them. `restrict` records what changes. A team leader may make an `emergency` one: the placing authority "
        "must then be told within 24 hours (`placing_authority_notify_by`), flagged until a notice to "
        "`placing_authority` is recorded. A child in proceedings or on an (interim) care order whose contact is "
        "terminated, or suspended for more than 7 days, raises `s34_application_needed` (R-54a)."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def post_restriction(
    arrangement: RestrictableArrangement, body: RestrictionCreate, principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> RestrictionRead:
    return RestrictionRead.model_validate(flows.restrict_arrangement(session, principal, settings, arrangement, body))


@router.get(
    "/arrangements/{arrangement_id}/restrictions",
    response_model=Page[RestrictionRead],
    summary="List the arrangement's restrictions",
    description="Every suspension, restriction and termination recorded, oldest first and cursor-paged, with its notices (R-53a).",
    responses=error_responses(401, 403, 404, 422),
)
def list_restrictions(arrangement: ReadableArrangement, session: SessionDep, page: PageParamsDep) -> Page[RestrictionRead]:
    return service.restrictions_page(session, arrangement, page)


@router.post(
    "/restrictions/{restriction_id}/notices",
    response_model=RestrictionRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a written notice of a restriction",
    description=(
        "R-53a: who was given notice, when and how. A notice to `placing_authority` records that the placing "
        "authority was told, which clears an emergency restriction's flag."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def post_notice(restriction: RestrictionTarget, body: NoticeCreate, principal: PrincipalDep, session: SessionDep) -> RestrictionRead:
    return RestrictionRead.model_validate(service.add_notice(session, principal, restriction, body))


@router.post(
    "/arrangements/{arrangement_id}/s34-application",
    response_model=ArrangementRead,
    summary="Record the s34 application",
    description=(
        "R-54a: the application to court was made (date, court reference); `s34_application_needed` clears. "
        "Accepted on a closed arrangement too: a termination is what needs it most."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def post_s34_application(
    arrangement: S34Arrangement, body: S34ApplicationCreate, principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> ArrangementRead:
    today = working_calendar(settings).local_date(clock.now())
    service.record_s34_application(session, principal, arrangement, body, today)
    return flows.read_arrangement(session, settings, arrangement)


@router.post(
    "/arrangements/{arrangement_id}/reviews",
    response_model=ReviewRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a review",
    description=(
        "R-55, R-55a. Kind (`contact_service` every 3 months, `supervised` every 4 to 6 weeks, `lac` with its "
        "number, `breach_meeting`), the day it was held (not in the future), who attended, the outcome (checked "
        "under R-82) and the next due date, computed for the periodic kinds when left out. A breach meeting "
        "clears the suspension's `review_meeting_due`; an `exit_plan` is recorded on the arrangement."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def post_review(
    arrangement: ReviewableArrangement, body: ReviewCreate, principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> ReviewRead:
    today = working_calendar(settings).local_date(clock.now())
    return ReviewRead.model_validate(service.record_review(session, principal, settings, arrangement, body, today))


@router.get(
    "/arrangements/{arrangement_id}/reviews",
    response_model=Page[ReviewRead],
    summary="List the arrangement's reviews",
    description="Every review recorded, earliest held first and cursor-paged (R-55a).",
    responses=error_responses(401, 403, 404, 422),
)
def list_reviews(arrangement: ReadableArrangement, session: SessionDep, page: PageParamsDep) -> Page[ReviewRead]:
    return service.reviews_page(session, arrangement, page)


@router.get(
    "/reviews/due",
    response_model=Page[ReviewDueRead],
    summary="List due and overdue reviews",
    description=(
        "R-55a: the next review of each kind of every open arrangement, soonest first and cursor-paged; "
        "filter by `area`, `kind` and `overdue`."
    ),
    responses=error_responses(401, 403, 422),
)
def reviews_due(
    _: DueReader,
    session: SessionDep,
    settings: SettingsDep,
    page: PageParamsDep,
    area: Annotated[str | None, Query(min_length=1, max_length=50, description="Only arrangements of this area.")] = None,
    kind: Annotated[ReviewKind | None, Query(description="Only reviews of this kind.")] = None,
    overdue: Annotated[bool | None, Query(description="true: only overdue ones; false: only those not yet overdue.")] = None,
) -> Page[ReviewDueRead]:
    if area is not None:
        check_area(settings.areas, area, location="query")
    today = working_calendar(settings).local_date(clock.now())
    return service.due_page(session, page, today, area=area, kind=kind, overdue=overdue)


@router.post(
    "/arrangements/{arrangement_id}/disputes",
    response_model=DisputeRead,
    status_code=status.HTTP_201_CREATED,
    summary="Raise a dispute",
    description=(
        "R-56: a concern or dispute about the arrangement, to be climbed up the ladder of 004 s15 one step at a "
        "time: team leader, review form, management team's provisional plan, meeting, the two CSMs, group manager."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def post_dispute(arrangement: DisputableArrangement, body: DisputeCreate, principal: PrincipalDep, session: SessionDep) -> DisputeRead:
    return service.read_dispute(session, service.open_dispute(session, principal, arrangement, body))


@router.post(
    "/disputes/{dispute_id}/steps",
    response_model=DisputeRead,
    status_code=status.HTTP_201_CREATED,
    summary="Take a dispute's next step, or resolve it",
    description=(
        "R-56a: the next rung only (a skipped or repeated step is a 409 `dispute-step-out-of-order` naming the "
        "next), with when, who and the outcome; `resolved` ends it from any step with its `resolution`, and an "
        "`exceptionality` resolution sets the arrangement's review date (`review_on`)."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def post_step(dispute: DisputeTarget, body: StepCreate, principal: PrincipalDep, session: SessionDep, settings: SettingsDep) -> DisputeRead:
    today = working_calendar(settings).local_date(clock.now())
    return service.read_dispute(session, service.take_step(session, principal, dispute, body, today))


@router.get(
    "/disputes/{dispute_id}",
    response_model=DisputeRead,
    summary="Read a dispute",
    description="Its concern, every step taken (when, who, outcome), the next step and how it was resolved (R-56a).",
    responses=error_responses(401, 403, 404, 422),
)
def get_dispute(dispute: DisputeTarget, session: SessionDep) -> DisputeRead:
    return service.read_dispute(session, dispute)


@router.get(
    "/flags",
    response_model=Page[FlaggedRead],
    summary="List arrangements with open flags",
    description=(
        "R-54a, R-53a, R-55a: the managers' list of what to act on: a needed s34 application, a placing "
        "authority yet to be told of an emergency restriction, a restriction in force, a suspension's review "
        "meeting due or overdue, an exit plan overdue. Filter by `flag` and `area`; cursor-paged."
    ),
    responses=error_responses(401, 403, 422),
)
def list_flags(
    _: FlagReader,
    session: SessionDep,
    settings: SettingsDep,
    page: PageParamsDep,
    flag: Annotated[Flag | None, Query(description="Only arrangements with this flag.")] = None,
    area: Annotated[str | None, Query(min_length=1, max_length=50, description="Only arrangements of this area.")] = None,
) -> Page[FlaggedRead]:
    if area is not None:
        check_area(settings.areas, area, location="query")
    now = clock.now()
    return service.flagged_page(session, page, working_calendar(settings).local_date(now), now, flag=flag, area=area)

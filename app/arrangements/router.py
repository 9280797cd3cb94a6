"""HTTP for arrangements: reading one, listing a child's (R-83), resuming and closing it (R-18, R-52a)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from app import flows
from app.arrangements import service
from app.arrangements.deps import ArrangementFilter, ManagedArrangement, ReadableArrangement
from app.arrangements.models import ArrangementStatus
from app.arrangements.schemas import ArrangementRead, CloseCreate, CloseRead, ResumeRead
from app.children.deps import ReadableChild
from app.core.concurrency import APIRouter
from app.core.config import SettingsDep
from app.core.db import SessionDep
from app.core.errors import error_responses
from app.core.pagination import Page, PageParamsDep
from app.core.periods import PeriodDep
from app.core.security import PrincipalDep

router = APIRouter(prefix="/arrangements", tags=["arrangements"])
# the arrangements of one child, under the child (main.py includes it beside `router`).
by_child_router = APIRouter(prefix="/children/{child_id}", tags=["arrangements"])


@router.get(
    "/{arrangement_id}",
    response_model=ArrangementRead,
    summary="Read a contact arrangement",
    description=(
        "The live case an accepted referral opened (R-18): status, breach count, flags, the review meeting due "
        "while suspended (R-52), and the written agreement's state (R-50)."
    ),
    responses=error_responses(401, 403, 404, 422),
)
def get_arrangement(arrangement: ReadableArrangement, session: SessionDep, settings: SettingsDep) -> ArrangementRead:
    return flows.read_arrangement(session, settings, arrangement)


@router.post(
    "/{arrangement_id}/resume",
    response_model=ResumeRead,
    summary="Resume a suspended arrangement",
    description=(
        "R-52a, after the review meeting: held sessions still to start go back to `booked` where their room, CSW "
        "and child are still free, with their transport; the others stay on hold and are answered as `clashes` "
        "to move or cancel. A team leader or service manager resumes; an arrangement not suspended is a 409."
    ),
    responses=error_responses(401, 403, 404, 409, 422),
)
def resume_arrangement(arrangement: ManagedArrangement, principal: PrincipalDep, session: SessionDep) -> ResumeRead:
    return flows.resume_arrangement(session, principal, arrangement)


@router.post(
    "/{arrangement_id}/close",
    response_model=CloseRead,
    summary="Close an arrangement",
    description=(
        "Ends contact with the reason and the exit plan: sessions still to come are cancelled by the service with "
        "the reason, and their transport too. A closed arrangement accepts nothing more; reinstating contact "
        "needs a new referral (R-18)."
    ),
    responses=error_responses(401, 403, 404, 409, 422),
)
def close_arrangement(
    arrangement: ManagedArrangement, body: CloseCreate, principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> CloseRead:
    return flows.close_arrangement(session, principal, settings, arrangement, body)


@by_child_router.get(
    "/arrangements",
    response_model=Page[ArrangementRead],
    summary="List the child's arrangements",
    description=(
        "R-83: every contact arrangement of the child, as `GET /arrangements/{id}` gives each, oldest first by "
        "when it opened (`opened_at`), cursor-paged; whoever may read the child reads them (R-06). `status` "
        "(repeat it for several) keeps those in these states; `from` and `to` keep those opened on these local "
        "days. A child the caller may not read is a 404, as one that does not exist."
    ),
    responses=error_responses(401, 403, 404, 422),
)
def list_child_arrangements(
    readable: ArrangementFilter,
    child: ReadableChild,
    session: SessionDep,
    settings: SettingsDep,
    page: PageParamsDep,
    period: PeriodDep,
    statuses: Annotated[
        list[ArrangementStatus] | None, Query(alias="status", description="Only arrangements in these states; repeat for several.")
    ] = None,
) -> Page[ArrangementRead]:
    rows = service.child_page(session, child.id, readable, page, statuses, period)
    return Page(items=[flows.read_arrangement(session, settings, row) for row in rows.items], next_cursor=rows.next_cursor)

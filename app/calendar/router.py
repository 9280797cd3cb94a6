"""`GET /calendar/due`: the service's deadline rules for clients to show the same due times."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from app.core.concurrency import APIRouter
from app.calendar.deadlines import hours_after, working_calendar
from app.core.access import AnyCaller
from app.core.config import SettingsDep
from app.core.errors import error_responses, invalid_field
from app.core.schemas import InstantIn
from app.calendar.schemas import DueRead

router = APIRouter(prefix="/calendar", tags=["calendar"])


@router.get(
    "/due",
    response_model=DueRead,
    summary="Compute a deadline",
    description=(
        "`working_days=N`: the end (23:59:59.999 local) of the N-th working day after the local date "
        "of `from` (R-03). `hours=N`: `from` plus N clock hours (R-04). Give exactly one."
    ),
    responses=error_responses(401, 422),
)
def due(
    _caller: AnyCaller,
    settings: SettingsDep,
    from_: Annotated[InstantIn, Query(alias="from", description="An instant with its UTC offset.")],
    working_days: Annotated[int | None, Query(ge=0, le=366)] = None,
    hours: Annotated[int | None, Query(ge=0, le=8784)] = None,
) -> DueRead:
    if (working_days is None) == (hours is None):
        raise invalid_field("working_days", "give exactly one of working_days and hours", location="query")
    if working_days is not None:
        return DueRead(due_at=working_calendar(settings).working_days_after(from_, working_days))
    return DueRead(due_at=hours_after(from_, hours or 0))

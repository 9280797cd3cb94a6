"""HTTP for availability (R-27): free slots for a venue or an area.

Team leaders and contact support workers may search. A CSW may ask about any CSW (or all
of them), not only themselves: arranging cover means finding a colleague who is free, and
the answer holds only rooms, staff ids and times, nothing about a child.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query

from app.core.concurrency import APIRouter
from app.core import clock
from app.core.db import SessionDep
from app.core.config import SettingsDep
from app.core.errors import error_responses
from app.core.pagination import Page, PageParamsDep
from app.core.schemas import InstantIn
from app.availability import service as availability
from app.availability.schemas import AvailabilityQuery, AvailabilitySlot
from app.availability.deps import Searcher

router = APIRouter(tags=["scheduling"])


@router.get(
    "/availability",
    response_model=Page[AvailabilitySlot],
    summary="Find free slots",
    description=(
        "R-27: slots of `duration_minutes` between `from` and `to` (at most "
        f"{availability.MAX_RANGE_DAYS} days) in one venue (`venue_id`) or every venue of an `area`, "
        "each a room and a CSW free together. Slots start on local quarter hours and lie inside the "
        "venue's opening hours and the CSW's working hours (R-20, R-23); the room, the CSW and, with "
        "`arrangement_id`, its child have no live session then (R-22); the room holds at least a child "
        "and the CSW (R-20); the CSW is under their daily cap that day (R-23); none is in the past. With `arrangement_id` (an active arrangement) "
        "rooms must suit the child's age, and a school-age child is not offered school hours on a "
        "school day (R-24). Without `csw_sub`, every CSW of the venue's area is considered. "
        "Ordered by `starts_at`, `room_id`, `csw_sub`; cursor-paged."
    ),
    responses=error_responses(401, 403, 404, 409, 422),
)
def find_availability(
    _principal: Searcher,
    session: SessionDep,
    settings: SettingsDep,
    page: PageParamsDep,
    duration_minutes: Annotated[
        int,
        Query(
            ge=availability.MIN_DURATION_MINUTES,
            le=availability.MAX_DURATION_MINUTES,
            description="Length of the session wanted, in minutes.",
        ),
    ],
    from_: Annotated[InstantIn, Query(alias="from", description="Earliest start: an instant with its UTC offset.")],
    to: Annotated[InstantIn, Query(description="Latest end: an instant with its UTC offset, after `from`.")],
    venue_id: Annotated[uuid.UUID | None, Query(description="One venue; give this or `area`.")] = None,
    area: Annotated[str | None, Query(min_length=1, max_length=50, description="Every venue of an area; give this or `venue_id`.")] = None,
    csw_sub: Annotated[
        str | None, Query(min_length=1, max_length=255, description="Only this contact support worker.")
    ] = None,
    arrangement_id: Annotated[
        uuid.UUID | None, Query(description="Its child must be free too, and the room suit the child's age.")
    ] = None,
) -> Page[AvailabilitySlot]:
    query = AvailabilityQuery(
        starts=from_,
        ends=to,
        duration_minutes=duration_minutes,
        venue_id=venue_id,
        area=area,
        csw_sub=csw_sub,
        arrangement_id=arrangement_id,
    )
    return availability.search(session, settings, query, page, clock.now())

"""HTTP for the change feed and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from app.core.concurrency import APIRouter
from app.core.db import SessionDep
from app.core.errors import error_responses
from app.core.pagination import CURSOR_PATTERN, DEFAULT_LIMIT, MAX_LIMIT, Page, PageParams, PageParamsDep
from app.events import service
from app.events.deps import AuditReader, FeedFilter
from app.events.schemas import AuditEntryRead, EventPage, EventRead

router = APIRouter(tags=["events"])


@router.get(
    "/events",
    response_model=EventPage,
    summary="Read the change feed",
    description=(
        "Events from the outbox, oldest first (R-60). Start without `after`; then pass the "
        "`next_cursor` you were given as `after` to read on from there. An integration reads the "
        "events about its own source's children only, and needs no `act_for` (R-80); a service "
        "manager reads all."
    ),
    responses=error_responses(401, 403, 422),
)
def list_events(
    readable: FeedFilter,
    session: SessionDep,
    after: Annotated[
        str | None, Query(max_length=512, pattern=CURSOR_PATTERN, description="`next_cursor` of the previous page (opaque).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    type: Annotated[str | None, Query(max_length=100, description="Only events of this type, e.g. `referral.decided`.")] = None,
) -> Page[EventRead]:
    return service.feed_page(session, readable, PageParams(limit=limit, cursor=after), type)


@router.get(
    "/audit",
    response_model=Page[AuditEntryRead],
    summary="Read the audit log",
    description="The append-only audit log (R-61), oldest first; service managers only.",
    responses=error_responses(401, 403, 422),
)
def list_audit(
    _principal: AuditReader,
    session: SessionDep,
    page: PageParamsDep,
    entity_type: Annotated[str | None, Query(max_length=100)] = None,
    entity_id: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[AuditEntryRead]:
    return service.audit_page(session, page, entity_type, entity_id)

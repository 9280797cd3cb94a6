"""HTTP for the exports (R-62, R-86): the catalogue, and each dataset as CSV or NDJSON."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

import anyio
from fastapi import Path, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from app.core import clock
from app.core.concurrency import APIRouter
from app.core.config import Settings, SettingsDep
from app.core.errors import error_responses
from app.exports import service
from app.exports.deps import ExportView
from app.exports.schemas import Catalogue, ColumnRead, DatasetRead

router = APIRouter(tags=["exports"])

DatasetName = Annotated[str, Path(description=f"One of: {', '.join(service.DATASETS)}.", max_length=50)]
Since = Annotated[date | None, Query(description="Only rows on or after this day (local), by the dataset's date column.")]
Until = Annotated[date | None, Query(description="Only rows on or before this day (local); at most 10 years after `since`.")]
Area = Annotated[str | None, Query(max_length=50, description="Only rows of this service area.")]

EXPORT_DESCRIPTION = (
    "R-62, R-86: streamed from a server-side cursor at flat memory. For a data analyst every "
    "child, person and staff id is an HMAC-SHA256 pseudonym (stable across exports and datasets), "
    "dates of birth are `birth_month` (YYYY-MM) and names are left out; a service manager reads "
    "real ids and the child's name. No export carries an address, a note or other free text. "
    "An unknown dataset is a 404 that lists the known ones.\n\nDatasets and columns:\n\n"
)
CSV_DESCRIPTION = "CSV (RFC 4180) with a header row; a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`.\n\n"
_PSEUDONYM = "3f1c9e0a5b7d2e4f6a8c0b1d3e5f7a9c2b4d6f8e0a1c3e5b7d9f1a3c5e7b9d0f"
CSV_EXAMPLE = (
    "session_id,arrangement_id,child_id,area,venue_id,room_id,csw,starts_at,ends_at,status,series_id,retrospective,"
    "created_at,created_by,cancelled_at,cancelled_by,cancelled_by_person_id,cancelled_by_staff,late_cancellation\r\n"
    f"6a0e2f8c-1b3d-4e5f-9a7b-2c4d6e8f0a1b,0b9c8d7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e,{_PSEUDONYM},north,"
    "5e4d3c2b-1a09-4f8e-a7d6-c5b4a3928170,7c6b5a49-3827-4165-9f4e-3d2c1b0a9f8e,9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c,"
    "2026-12-01T16:00:00Z,2026-12-01T17:30:00Z,completed,,false,2026-11-30T09:00:00Z,1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809,"
    ",,,,false\r\n"
)
NDJSON_EXAMPLE = (
    f'{{"referral_id":"6a0e2f8c-1b3d-4e5f-9a7b-2c4d6e8f0a1b","child_id":"{_PSEUDONYM}","area":"north","outcome":"accepted_core",'
    '"level":"supervised","room_only":false,"urgent":false,"received_at":"2026-11-30T09:00:00Z","decision_due_at":"2026-12-07T17:00:00Z",'
    '"decided_at":"2026-12-02T10:15:00Z","decided_by":"1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809",'
    '"decision_missed":false,"review_by":null,"notified_at":"2026-12-02T10:15:00Z"}\n'
)
NDJSON_DESCRIPTION = "One JSON object per line, typed values (null when empty).\n\n"


@router.get(
    "/exports",
    response_model=Catalogue,
    summary="The export catalogue",
    description="Every dataset with its columns: name, type and meaning, and what a data analyst's export carries (R-86).",
    responses=error_responses(401, 403),
)
def list_exports(view: ExportView) -> Catalogue:
    return Catalogue(
        items=[
            DatasetRead(
                name=d.name,
                description=d.description,
                date_filter=next((c.name for c in d.columns if c.expr is d.dated), d.name),
                columns=[
                    ColumnRead(
                        name=c.name,
                        type=c.catalogue_type,
                        meaning=c.meaning,
                        data_analyst=c.shown(service.View(pseudonymised=True)),
                        pseudonymised=c.kind in service.PSEUDONYM_KINDS,
                    )
                    for c in d.columns
                ],
                csv=f"/api/v1/exports/{d.name}.csv",
                ndjson=f"/api/v1/exports/{d.name}.ndjson",
            )
            for d in service.DATASETS.values()
        ]
    )


def _export(
    request: Request, fmt: Literal["csv", "ndjson"], dataset: str, view: service.View, settings: Settings,
    since: date | None, until: date | None, area: str | None,
) -> StreamingResponse:
    found = service.dataset(dataset)
    today = clock.now().astimezone(ZoneInfo(settings.timezone)).date()
    filters = service.check_filters(settings, today, since, until, area)
    body = service.stream(request.app.state.engine, found, view, filters, settings, fmt)
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson"
    disposition = f'attachment; filename="{found.name}-{today.isoformat()}.{fmt}"'
    return StreamingResponse(_closing(body), media_type=media, headers={"Content-Disposition": disposition})


async def _closing(body: Iterator[bytes]) -> AsyncIterator[bytes]:
    """Each batch is read in a worker thread; the generator (and so its connection) is
    closed however the stream ends, a client going away included."""
    try:
        async for chunk in iterate_in_threadpool(body):
            yield chunk
    finally:
        with anyio.CancelScope(shield=True):
            await run_in_threadpool(body.close)


@router.get(
    "/exports/{dataset}.csv",
    response_class=StreamingResponse,
    summary="Export a dataset as CSV",
    description=EXPORT_DESCRIPTION + CSV_DESCRIPTION + service.catalogue_text(),
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE}}, "description": "The dataset, streamed."}, **error_responses(401, 403, 404, 422)},
)
def export_csv(request: Request, dataset: DatasetName, view: ExportView, settings: SettingsDep, since: Since = None, until: Until = None, area: Area = None) -> StreamingResponse:
    return _export(request, "csv", dataset, view, settings, since, until, area)


@router.get(
    "/exports/{dataset}.ndjson",
    response_class=StreamingResponse,
    summary="Export a dataset as NDJSON",
    description=EXPORT_DESCRIPTION + NDJSON_DESCRIPTION + service.catalogue_text(),
    responses={200: {"content": {"application/x-ndjson": {"schema": {"type": "string"}, "example": NDJSON_EXAMPLE}}, "description": "The dataset, streamed."}, **error_responses(401, 403, 404, 422)},
)
def export_ndjson(request: Request, dataset: DatasetName, view: ExportView, settings: SettingsDep, since: Since = None, until: Until = None, area: Area = None) -> StreamingResponse:
    return _export(request, "ndjson", dataset, view, settings, since, until, area)

"""`/health` answers without touching anything; `/health/ready` checks the database."""

from __future__ import annotations

from fastapi import Request
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine, text

from app.core.concurrency import APIRouter, run_blocking
from app.core.errors import AppError, error_responses

router = APIRouter(tags=["health"])


class HealthRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})
    status: str


@router.get("/health", response_model=HealthRead, summary="Liveness", responses=error_responses(405))
async def health() -> HealthRead:
    return HealthRead(status="ok")


@router.get(
    "/health/ready",
    response_model=HealthRead,
    summary="Readiness: the database answers",
    responses={**error_responses(405), 503: {"description": "The database does not answer", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}},
)
async def ready(request: Request) -> HealthRead:
    try:
        await run_blocking(_ping, request.app.state.request_engines.read)
    except Exception:
        raise AppError(503, "not-ready", "Not ready", "The database does not answer.") from None
    return HealthRead(status="ok")


def _ping(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))

"""create_app(): routers, middleware, error handlers; nothing else."""

from __future__ import annotations

import ctypes
import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline

from app.core.concurrency import APIRouter, Depends
from app.agreements.router import router as agreements_router
from app.oversight.router import router as oversight_router
from app.arrangements.router import by_child_router as child_arrangements_router
from app.arrangements.router import router as arrangements_router
from app.calendar.router import router as calendar_router
from app.children.router import router as children_router
from app.core.config import API_PREFIX, Settings, get_settings
from app.core.configured import enumerate_configured, plain_headers
from app.core.db import build_engine, build_request_engines
from app.core.errors import PROBLEM_MEDIA_TYPE, FieldError, Problem, error_responses, install_error_handlers
from app.core.links import declare_links
from app.core.logging import configure_logging
from app.core.middleware import RequestMiddleware
from app.core.schemas import storable_parameters
from app.core.security import TokenVerifier, get_principal
from app.documents.router import VERIFY_PATH
from app.freetext import gazetteer
from app.documents.router import router as documents_router
from app.events.router import router as events_router
from app.exports.router import router as exports_router
from app.health.router import router as health_router
from app.records.router import router as records_router
from app.referrals.router import by_child_router as child_referrals_router
from app.referrals.router import router as referrals_router
from app.reports.router import router as reports_router
from app.availability.router import router as availability_router
from app.sessions.router import router as sessions_router
from app.sessions.schemas import ClashProblem
from app.timetables.router import public_router as feed_router
from app.timetables.router import router as timetable_router
from app.transport.router import router as transport_router
from app.venues.router import router as venues_router
from app.visits.router import router as visits_router
from app.webhooks.router import router as webhooks_router

DESCRIPTION = """\
The Supervised Contact Service for children in care: referrals, decisions, bookings,
transport and session records. Every endpoint but health and this document needs a
Bearer JWT. Errors are RFC 9457 `application/problem+json`. Lists are cursor-paged:
`{"items": [...], "next_cursor": ...}`.
"""


# Where the docs pages' JavaScript, CSS and favicon are served.
DOCS_ASSETS = "/static/docs"


def operation_id(route: APIRoute) -> str:
    """Stable ids from tag and function name, e.g. `children_upsert_child`."""
    return f"{route.tags[0]}_{route.name}" if route.tags else route.name


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    engine = build_engine(settings)
    engines = build_request_engines(settings, engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        limit_malloc_arenas()
        await anyio.to_thread.run_sync(gazetteer.load, settings.place_names_file)  # R-42's word lists, before the first check
        worker = None
        if settings.worker:  # deliveries and jobs in-process, unless WORKER=off
            from app.jobs.worker import Worker

            worker = Worker(settings, engine)
            worker.start()
        yield
        if worker is not None:
            await anyio.to_thread.run_sync(worker.stop)
        if engines.async_engine is not None:
            await engines.async_engine.dispose()

    # Swagger UI and ReDoc from fastapi-offline's wheel, not a CDN: the pages render on a
    # machine with no internet. Their assets are a static mount, so not in the document.
    app = FastAPIOffline(
        docs_url="/docs",
        redoc_url="/redoc",
        static_url=DOCS_ASSETS,
        title="Contact Service API",
        version="1.0.0",
        description=DESCRIPTION,
        generate_unique_id_function=operation_id,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.request_engines = engines
    app.state.verifier = TokenVerifier(settings)

    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(get_principal), Depends(storable_parameters)])
    api.include_router(children_router)
    api.include_router(referrals_router)
    api.include_router(child_referrals_router)
    api.include_router(arrangements_router)
    api.include_router(child_arrangements_router)
    api.include_router(agreements_router)
    api.include_router(oversight_router)
    api.include_router(calendar_router)
    api.include_router(venues_router)
    api.include_router(sessions_router)
    api.include_router(availability_router)
    api.include_router(timetable_router)
    api.include_router(visits_router)
    api.include_router(transport_router)
    api.include_router(records_router)
    api.include_router(documents_router)
    api.include_router(events_router)
    api.include_router(webhooks_router)
    api.include_router(exports_router)
    api.include_router(reports_router)
    app.include_router(health_router)
    app.include_router(api)
    # Calendar apps cannot send a bearer token: the feed authenticates by its own revocable
    # token in the path, so it sits outside the authenticated router.
    app.include_router(feed_router, prefix=API_PREFIX)

    install_error_handlers(app)
    # Outermost last: the request context wraps everything, so even a 413 is logged with its id.
    app.add_middleware(
        RequestMiddleware, max_bytes=settings.max_body_bytes, db_io=engines.io,
        binary={VERIFY_PATH: ("application/pdf", settings.max_document_bytes)},
    )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


MALLOC_ARENAS = 2


def limit_malloc_arenas() -> None:
    """glibc gives each thread that allocates its own malloc arena (up to 8 per core), and
    the threadpool's 40 threads each kept one: on SQLite the server's memory grew by about
    a third under load (bench/README.md). Two arenas, as `MALLOC_ARENA_MAX=2` would give;
    an explicit MALLOC_ARENA_MAX wins, and other C libraries are left alone."""
    if sys.platform != "linux" or "MALLOC_ARENA_MAX" in os.environ:
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_ARENA_MAX, MALLOC_ARENAS)
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        pass


M_ARENA_MAX = -8  # glibc's malloc.h


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas["Problem"].pop("$defs", None)
    schemas["FieldError"] = FieldError.model_json_schema()
    # Problems with members of their own, named so the routes that answer them can say so.
    for model in (ClashProblem,):
        extended = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in extended.pop("$defs", {}).items():
            schemas.setdefault(name, definition)
        schemas[model.__name__] = extended
    enumerate_configured(schema, app.state.settings)
    plain_headers(schema)
    declare_links(schema)
    components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
    # Every API route sits behind `get_principal` (401, 403) and `storable_parameters` (422,
    # even for a query parameter the route does not declare), so each documents all three.
    behind_the_api = {str(status): response for status, response in error_responses(401, 403, 422).items()}
    public = {API_PREFIX + route.path for route in feed_router.routes}  # type: ignore[attr-defined]
    for path, operations in schema["paths"].items():
        if path in public:
            for operation in operations.values():
                operation["security"] = []  # no bearer token: the feed token in the path
            continue
        if path.startswith(API_PREFIX):
            for operation in operations.values():
                operation["security"] = [{"bearer": []}]
                responses = operation.setdefault("responses", {})
                for status, response in behind_the_api.items():
                    if PROBLEM_MEDIA_TYPE not in responses.get(status, {}).get("content", {}):
                        responses[status] = response
    if "#/components/schemas/HTTPValidationError" not in json.dumps(schema["paths"]):
        # FastAPI's own 422 body, replaced by Problem everywhere above.
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
    app.openapi_schema = schema
    return schema

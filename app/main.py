"""create_app(): routers, middleware, error handlers; nothing else."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from app.arrangements.router import router as arrangements_router
from app.calendar.router import router as calendar_router
from app.children.router import router as children_router
from app.core.config import Settings, get_settings
from app.core.db import build_engine
from app.core.errors import FieldError, Problem, install_error_handlers
from app.core.logging import configure_logging
from app.core.middleware import BodyLimitMiddleware, JsonBodyMiddleware, RequestContextMiddleware
from app.core.security import TokenVerifier, get_principal
from app.events.router import router as events_router
from app.health.router import router as health_router
from app.referrals.router import router as referrals_router

API_PREFIX = "/api/v1"
DESCRIPTION = """\
The Supervised Contact Service for children in care: referrals, decisions, bookings,
transport and session records. Every endpoint but health and this document needs a
Bearer JWT. Errors are RFC 9457 `application/problem+json`. Lists are cursor-paged:
`{"items": [...], "next_cursor": ...}`.
"""


def operation_id(route: APIRoute) -> str:
    """Stable ids from tag and function name, e.g. `children_upsert_child`."""
    return f"{route.tags[0]}_{route.name}" if route.tags else route.name


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    app = FastAPI(
        title="Contact Service API",
        version="1.0.0",
        description=DESCRIPTION,
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    app.state.engine = build_engine(settings)
    app.state.verifier = TokenVerifier(settings)

    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(get_principal)])
    api.include_router(children_router)
    api.include_router(referrals_router)
    api.include_router(arrangements_router)
    api.include_router(calendar_router)
    api.include_router(events_router)
    app.include_router(health_router)
    app.include_router(api)

    install_error_handlers(app)
    # Outermost last: the request context wraps everything, so even a 413 is logged with its id.
    app.add_middleware(JsonBodyMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas["Problem"].pop("$defs", None)
    schemas["FieldError"] = FieldError.model_json_schema()
    components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
    for path, operations in schema["paths"].items():
        if path.startswith(API_PREFIX):
            for operation in operations.values():
                operation["security"] = [{"bearer": []}]
    app.openapi_schema = schema
    return schema

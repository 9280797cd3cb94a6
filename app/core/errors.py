"""One error base rendered as RFC 9457 problem+json (R-70), and the handlers for the rest.

Every error the app can produce leaves as problem+json with a stable `type` per kind.
Validation errors name each field at fault. An unexpected exception is logged with its
type and frames only (exception messages can carry personal data, R-73) and answered
with a bare 500 by `core.middleware` (it sits inside Starlette's own error middleware, so
the server never prints the exception either): no stack trace leaves the process.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.methods import allowed_methods

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:contact-service:problem:"

class FieldError(BaseModel):
    field: str = Field(description="Dotted path of the field at fault, e.g. `address_withheld.reason`.")
    location: str = Field(description="Where the field was sent: `body`, `query`, `path` or `header`.")
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:contact-service:problem:validation",
                    "title": "The request is not valid",
                    "status": 422,
                    "detail": "1 field is not valid",
                    "errors": [{"field": "legal_status", "location": "body", "message": "Input should be 'care_order', ..."}],
                }
            ]
        },
    )

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None


class AppError(Exception):
    """A failure the caller can act on, with its HTTP status and stable problem type."""

    def __init__(
        self,
        status: int,
        type_slug: str,
        title: str,
        detail: str | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(title)
        self.status = status
        self.type_slug = type_slug
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
        self.extra = extra or {}


class Forbidden(AppError):
    """The caller's role may not do this (403). A row the caller may not know exists is a
    `not_found` instead, worded exactly as for an id that does not exist."""

    def __init__(self, detail: str, *, field: str | None = None, location: str = "body") -> None:
        errors = [{"field": field, "location": location, "message": detail}] if field else None
        super().__init__(403, "forbidden", "Not allowed", detail, errors=errors)


class NotFound(AppError):
    """404, worded the same whether the row does not exist or the caller may not know it does."""

    def __init__(self, what: str, *, detail: str | None = None) -> None:
        super().__init__(404, "not-found", "Not found", detail or f"No {what} with that id that you may see.")


def not_found(what: str) -> AppError:
    return NotFound(what)


class WrongState(AppError):
    """409: the action does not apply to the row in its current state (R-70: a broken rule of
    state is 409, not 422). `current_state` is in the body for clients to branch on."""

    def __init__(
        self,
        entity: str,
        action: str,
        current: str,
        expected: str | None = None,
        *,
        type_slug: str = "wrong-state",
        title: str = "Not allowed in this state",
        detail: str | None = None,
    ) -> None:
        must = f"; it must be {expected}" if expected else ""
        super().__init__(
            409,
            type_slug,
            title,
            detail or f"Cannot {action} a {entity} that is {current}{must}.",
            extra={"current_state": current},
        )


class PreconditionFailed(AppError):
    """412: the `If-Match` sent does not match the row's current version (never a lost update)."""

    def __init__(self, detail: str, *, current_etag: str | None = None) -> None:
        extra = {"current_etag": current_etag} if current_etag is not None else None
        super().__init__(412, "precondition-failed", "Precondition failed", detail, extra=extra)


class Clash(AppError):
    """409 `booking-clash`: the time is taken; `clashes` names each live session in the way (R-22)."""

    def __init__(self, clashes: list[dict[str, Any]]) -> None:
        noun = "session" if len(clashes) == 1 else "sessions"
        detail = (
            f"Clashes with {len(clashes)} live {noun}: " + ", ".join(sorted({str(c["session_id"]) for c in clashes}))
            if clashes
            else "Clashes with a session booked at the same moment; read the timetable and try again."
        )
        super().__init__(409, "booking-clash", "The time is already booked", detail, extra={"clashes": clashes})


def invalid_field(field: str, message: str, *, location: str = "body", status: int = 422) -> AppError:
    return AppError(
        status,
        "validation",
        "The request is not valid",
        f"{field}: {message}",
        errors=[{"field": field, "location": location, "message": message}],
    )


def problem_response(
    status: int,
    type_slug: str,
    title: str,
    detail: str | None = None,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": TYPE_PREFIX + type_slug, "title": title, "status": status}
    if detail is not None:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


_STATUS_SLUGS = {
    400: ("bad-request", "Bad request"),
    401: ("unauthenticated", "Authentication required"),
    403: ("forbidden", "Not allowed"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "Conflict"),
    412: ("precondition-failed", "Precondition failed"),
    413: ("payload-too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("validation", "The request is not valid"),
    428: ("precondition-required", "Precondition required"),
}


def _field_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    out = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        location = loc[0] if loc else "body"
        path = loc[1:] if len(loc) > 1 else loc
        if err.get("type") == "extra_forbidden":
            message = "is not a field you may set"
        elif err.get("type") == "json_invalid":
            # FastAPI puts the character offset in `loc`; the field at fault is the body.
            path, message = [], "the body is not valid JSON"
        elif err.get("type") == "value_error":
            message = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
        else:
            message = err.get("msg", "is not valid")
        error = {"field": ".".join(path) or location, "location": location, "message": message}
        # A body read by both a route and its access dependency is validated twice.
        if error not in out:
            out.append(error)
    return out


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_request: Request, exc: AppError) -> JSONResponse:
        return problem_response(
            exc.status, exc.type_slug, exc.title, exc.detail, errors=exc.errors, headers=exc.headers, extra=exc.extra
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _field_errors(exc)
        noun = "field is" if len(errors) == 1 else "fields are"
        detail = f"{len(errors)} {noun} not valid: " + ", ".join(e["field"] for e in errors)
        return problem_response(422, "validation", "The request is not valid", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError | RecursionError):
            # FastAPI answers a body that is not UTF-8, or nested deeper than Python's JSON
            # parser can follow (`[[[[...`), with a bare 400. JSON must be UTF-8 (RFC 8259) and
            # no body here nests more than a few levels: the same fault as malformed JSON, a
            # 422 naming the body.
            message = "the body is nested too deeply" if isinstance(exc.__cause__, RecursionError) else "the body is not valid JSON"
            return problem_response(
                422,
                "validation",
                "The request is not valid",
                "1 field is not valid: body",
                errors=[{"field": "body", "location": "body", "message": message}],
            )
        slug, title = _STATUS_SLUGS.get(exc.status_code, ("http-error", "Request failed"))
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            allow = allowed_methods(request.app, request.url.path)
            headers = {**(headers or {}), **({"Allow": allow} if allow else {})}
        return problem_response(exc.status_code, slug, title, detail, headers=headers)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entries that document a route's problem answers in OpenAPI."""
    descriptions = {status: title for status, (_slug, title) in _STATUS_SLUGS.items()}
    return {
        status: {
            "description": descriptions.get(status, "Error"),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


def check_area(areas: list[str], area: str, *, location: str = "body") -> None:
    """A 422 naming `area` when it is not one of the service's areas (AREAS)."""
    if area not in areas:
        raise invalid_field("area", f"must be one of: {', '.join(areas)}", location=location)

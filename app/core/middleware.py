"""Pure ASGI middleware: request ids and access logs, the body limit (413), the JSON-only
rule for bodies (415), and the last-resort 500 that keeps stack traces in the process."""

from __future__ import annotations

import logging
import re
import time
import traceback
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem_response

access_log = logging.getLogger("app.access")
error_log = logging.getLogger("app.errors")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestContextMiddleware:
    """Accepts or makes `X-Request-ID`, echoes it, logs one line per request, and turns an
    unhandled exception into a plain 500 problem (type and frames logged, no message)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = _header(scope, b"x-request-id")
        request_id = given if given and _REQUEST_ID.match(given) else uuid.uuid4().hex
        scope["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:  # the last resort; AppError and HTTP errors never get here
            frames = [f"{f.filename}:{f.lineno}:{f.name}" for f in traceback.extract_tb(exc.__traceback__)]
            error_log.error(
                "unhandled exception",
                extra={"fields": {"request_id": request_id, "exc_type": type(exc).__name__, "frames": frames[-10:]}},
            )
            if not response_started:
                response = problem_response(
                    500, "internal", "Internal error", "The service failed; quote the request id to support."
                )
                await response(scope, receive, send_with_id)
        finally:
            state: dict[str, Any] = scope.get("state") or {}
            access_log.info(
                "request",
                extra={
                    "fields": {
                        "method": scope.get("method"),
                        "path": path_template(scope),
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                        "request_id": request_id,
                        "subject": state.get("subject"),
                    }
                },
            )


class BodyLimitMiddleware:
    """Refuses bodies over the limit with 413 before anything parses them, whether the
    client declared the length or streamed the body in chunks."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        received = 0
        refused = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Answer 413 now; the app then sees a disconnect and whatever it
                    # tries to send afterwards is dropped.
                    refused = True
                    await self._refuse(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:
                await send(message)

        await self.app(scope, limited_receive, guarded_send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            413, "payload-too-large", "Request body too large", f"Bodies are limited to {self.max_bytes} bytes."
        )
        await response(scope, receive, send)


class JsonBodyMiddleware:
    """A request that carries a body must say it is JSON (415 otherwise), so a form post or
    a text body is refused clearly instead of failing validation in a confusing way."""

    def __init__(self, app: ASGIApp, prefix: str = "/api/") -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT", "PATCH") and scope["path"].startswith(self.prefix):
            length = _header(scope, b"content-length")
            has_body = (length is not None and length != "0") or _header(scope, b"transfer-encoding") is not None
            content_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
            if has_body and not (content_type == "application/json" or content_type.endswith("+json")):
                response = problem_response(
                    415,
                    "unsupported-media-type",
                    "Unsupported media type",
                    "Send the body as application/json.",
                    errors=[{"field": "content-type", "location": "header", "message": "must be application/json"}],
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def path_template(scope: Scope) -> str:
    """The matched route's template with its router prefix (`/api/v1/children/{child_id}`),
    never the raw path: ids in a path are fine, but the template groups the log lines."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    if not template:
        return "(unmatched)"
    own = template.strip("/").split("/")
    actual = scope.get("path", "").strip("/").split("/")
    return "/" + "/".join(actual[: max(len(actual) - len(own), 0)] + own)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None

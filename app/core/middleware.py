"""The pure ASGI middleware: request ids and access logs, the body limit (413), the JSON-only
rule for bodies (415), and the last-resort 500 that keeps stack traces in the process."""

from __future__ import annotations

import itertools
import logging
import re
import time
import traceback
import uuid
from typing import Any

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.concurrency import DB_IO, IoMode
from app.core.errors import problem_response

access_log = logging.getLogger("app.access")
error_log = logging.getLogger("app.errors")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestMiddleware:
    """One pure ASGI layer in front of the app (one layer, not three: each costs every
    request a coroutine and a wrapped `send`):

    - accepts or makes `X-Request-ID`, echoes it, and logs one line per request;
    - sets how the request's blocking code runs (`core.concurrency.DB_IO`);
    - refuses a body over the limit with 413 before anything parses it, whether the client
      declared its length or streams it in chunks;
    - refuses a body on POST/PUT/PATCH under the API that does not say it is JSON (415), so
      a form post or a text body is refused clearly, not as a confusing validation error;
    - turns an unhandled exception into a plain 500 problem (type and frames logged, no
      message).
    """

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, db_io: IoMode = "thread", prefix: str = "/api/",
        binary: dict[str, tuple[str, int]] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # The paths that take a body other than JSON: path -> (content type, byte limit).
        self.binary = binary or {}
        self.db_io = db_io
        self.prefix = prefix
        self.ids = _RequestIds()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        DB_IO.set(self.db_io)  # this request's task only
        headers = _headers(scope)
        given = headers.get(b"x-request-id")
        request_id = given if given and _REQUEST_ID.match(given) else self.ids.next()
        scope["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        response_started = False
        refused = False
        received = 0
        limit = self.binary[scope["path"]][1] if scope["path"] in self.binary else self.max_bytes

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        async def app_send(message: Message) -> None:
            if not refused:  # after a 413 for its body, whatever the app sends is dropped
                await send_with_id(message)

        async def limited_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Answer 413 now; the app then sees a disconnect, and whatever it tries
                    # to send afterwards is dropped.
                    refused = True
                    if not response_started:
                        await self._too_large(limit)(scope, receive, send_with_id)
                    return {"type": "http.disconnect"}
            return message

        try:
            early = self._refusal(scope, headers)
            if early is not None:
                await early(scope, receive, send_with_id)
            else:
                await self.app(scope, limited_receive, app_send)
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
            if access_log.isEnabledFor(logging.INFO):
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

    def _refusal(self, scope: Scope, headers: dict[bytes, str]) -> Response | None:
        """The 413 or 415 a request earns from its headers alone, if any."""
        binary = self.binary.get(scope["path"])
        limit = binary[1] if binary else self.max_bytes
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return self._too_large(limit)
        if scope["method"] in ("POST", "PUT", "PATCH") and scope["path"].startswith(self.prefix):
            has_body = (declared is not None and declared != "0") or b"transfer-encoding" in headers
            content_type = (headers.get(b"content-type") or "").split(";")[0].strip().lower()
            wanted = binary[0] if binary else "application/json"
            accepted = content_type == wanted if binary else (content_type == "application/json" or content_type.endswith("+json"))
            if has_body and not accepted:
                return problem_response(
                    415,
                    "unsupported-media-type",
                    "Unsupported media type",
                    f"Send the body as {wanted}.",
                    errors=[{"field": "content-type", "location": "header", "message": f"must be {wanted}"}],
                )
        return None

    def _too_large(self, limit: int) -> Response:
        return problem_response(
            413, "payload-too-large", "Request body too large", f"Bodies are limited to {limit} bytes."
        )


class _RequestIds:
    """Request ids without a system call each: a random per-process prefix and a counter
    (unique across processes and restarts, 32 hex digits like a UUID's)."""

    def __init__(self) -> None:
        self.prefix = uuid.uuid4().hex[:20]
        self.counter = itertools.count()

    def next(self) -> str:
        return f"{self.prefix}{next(self.counter):012x}"


def path_template(scope: Scope) -> str:
    """The matched route's template with its router prefix (`/api/v1/children/{child_id}`),
    never the raw path: ids in a path are fine, but the template groups the log lines."""
    route = scope.get("route")
    # `path_format` drops a convertor (`{source:child_source}` -> `{source}`), as the document does.
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if not template:
        # A mount (the docs' assets) has no route: its prefix is what the root path grew by.
        root, app_root = scope.get("root_path") or "", scope.get("app_root_path") or ""
        if len(root) > len(app_root) and root.startswith(app_root):
            return root[len(app_root) :] + "/{path}"
        return "(unmatched)"
    own = template.strip("/").split("/")
    actual = scope.get("path", "").strip("/").split("/")
    return "/" + "/".join(actual[: max(len(actual) - len(own), 0)] + own)


_WANTED = frozenset({b"x-request-id", b"content-length", b"content-type", b"transfer-encoding"})


def _headers(scope: Scope) -> dict[bytes, str]:
    """The few request headers this layer reads (the first of each)."""
    found: dict[bytes, str] = {}
    for key, value in scope.get("headers", []):
        if key in _WANTED and key not in found:
            found[key] = value.decode("latin-1")
    return found

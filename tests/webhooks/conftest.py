"""A real webhook receiver for the tests: a small HTTP server that verifies each delivery's
signature with the `standardwebhooks` library and answers as the test scripts it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    webhook_id: str
    headers: dict[str, str]
    body: dict[str, Any]
    verified: bool
    at: float  # time.monotonic() when it arrived
    path: str


@dataclass
class Receiver:
    """`script` is consumed one entry per request: a status code, or ("hang", seconds) to
    answer 200 only after that long; when it runs out, every request gets `default`."""

    port: int = 0
    secrets: list[str] = field(default_factory=list)
    script: list[Any] = field(default_factory=list)
    default: int = 200
    delay: float = 0.0  # before every answer
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def verify(self, raw: bytes, headers: dict[str, str]) -> bool:
        for secret in self.secrets:
            try:
                Webhook(secret).verify(raw, headers)
                return True
            except WebhookVerificationError:
                continue
        return False

    def next_answer(self) -> Any:
        with self.lock:
            return self.script.pop(0) if self.script else self.default

    def wait_for(self, predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if predicate(list(self.received)):
                    return
            time.sleep(0.05)
        raise AssertionError(f"receiver: condition not met in {timeout} s; got {len(self.received)} requests")

    def seqs(self) -> list[int]:
        with self.lock:
            return [r.body["seq"] for r in self.received]


def serve(receiver: Receiver) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            raw = self.rfile.read(int(self.headers.get("content-length", 0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = receiver.next_answer()
            with receiver.lock:
                receiver.received.append(Received(
                    headers.get("webhook-id", ""), headers, json.loads(raw), receiver.verify(raw, headers), time.monotonic(), self.path,
                ))
            if receiver.delay:
                time.sleep(receiver.delay)
            if isinstance(answer, tuple) and answer[0] == "hang":
                time.sleep(answer[1])
                answer = 200
            self.send_response(answer)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", receiver.port), Handler)
    server.daemon_threads = True
    receiver.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    hook = Receiver()
    server = serve(hook)
    yield hook
    server.shutdown()
    server.server_close()

"""Where a request's blocking code runs (issue 11): in a greenlet on the event loop over
PostgreSQL's async driver, or in AnyIO's threadpool over SQLite.

The code stays plain `def` with a sync SQLModel `Session` (DESIGN: sessions). What changes
is how FastAPI calls it. By default every sync dependency and endpoint is a separate trip
to the threadpool, so a simple read made six or seven thread hand-offs, and most of a
request's CPU went on them.

Routes and dependencies are therefore declared with this module's `APIRouter` and
`Depends`. They hand FastAPI an `async def` wrapper of each sync function, which calls
`run_blocking`:

- **greenlet** (PostgreSQL): SQLAlchemy's `greenlet_spawn` runs the function on the event
  loop. Each query it makes through the asyncio engine suspends the greenlet, and the loop
  awaits the socket. Nothing blocks the loop on I/O, so a lock wait (an advisory lock, a
  row lock) just parks that request. No thread hop is made.
- **thread** (SQLite): the threadpool, as FastAPI would do it. pysqlite has no async
  driver (aiosqlite is a thread per connection), and a writer waiting on the database lock
  in the loop thread would stall every other request.

The middleware picks the mode per request from the app's database (`DB_IO`), so apps on
different databases can share one process (the tests do).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, Literal, TypeVar

import fastapi
from sqlalchemy.util import greenlet_spawn
from starlette.concurrency import run_in_threadpool

T = TypeVar("T")
IoMode = Literal["greenlet", "thread"]

DB_IO: ContextVar[IoMode] = ContextVar("db_io", default="thread")
_WRAPPED: dict[Callable[..., Any], Callable[..., Any]] = {}


async def run_blocking(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run sync (possibly database) code the way this request's database wants."""
    if DB_IO.get() == "greenlet":
        return await greenlet_spawn(function, *args, **kwargs)
    return await run_in_threadpool(function, *args, **kwargs)


def on_loop(function: Callable[..., Any]) -> Callable[..., Any]:
    """An `async def` that runs a sync `function` through `run_blocking`; coroutine and
    generator functions are returned as they are. One wrapper per function, so FastAPI's
    per-request dependency cache still sees one dependency (one session per request)."""
    if (
        inspect.iscoroutinefunction(function)
        or inspect.isasyncgenfunction(function)
        or inspect.isgeneratorfunction(function)
        or not inspect.isfunction(function)
    ):
        return function
    wrapped = _WRAPPED.get(function)
    if wrapped is None:

        @functools.wraps(function)  # keeps the signature (FastAPI reads __wrapped__) and marks
        async def wrapped(*args: Any, **kwargs: Any) -> Any:
            return await run_blocking(function, *args, **kwargs)

        _WRAPPED[function] = wrapped
    return wrapped


def Depends(dependency: Callable[..., Any], **kwargs: Any) -> Any:  # noqa: N802 - FastAPI's name
    """`fastapi.Depends` for a dependency that may be a plain `def`."""
    return fastapi.Depends(on_loop(dependency), **kwargs)


class APIRouter(fastapi.APIRouter):
    """`fastapi.APIRouter` whose plain `def` endpoints run through `run_blocking`."""

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().add_api_route(path, on_loop(endpoint), **kwargs)

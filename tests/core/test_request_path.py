"""The lean request path (issue 11): no thread hop per dependency, reads outside a
transaction on PostgreSQL, and one pure ASGI layer. Speed itself is measured by
bench/throughput.py, not here."""

from __future__ import annotations

import inspect
from datetime import UTC, date, datetime
from typing import Annotated

import fastapi
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy import select
from sqlmodel import Session

from app.children.models import Child
from app.core.concurrency import APIRouter, Depends, on_loop
from app.core.db import READ_ONLY, SessionDep
from tests.conftest import child_body


def _dependants(dependant):  # type: ignore[no-untyped-def]
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)


def thread_hops(app: FastAPI) -> list[str]:
    """Every dependency or endpoint FastAPI would run in its threadpool: a plain `def`
    (or a sync generator) that did not come through `app.core.concurrency`."""
    found = set()
    for context in iter_route_contexts(app.routes):
        dependant = getattr(context, "dependant", None)
        if dependant is None:
            continue
        for item in _dependants(dependant):
            call = item.call
            if call is None or inspect.isclass(call):
                continue  # a class as a dependency (a pydantic model) is built on the loop
            if not (inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call)):
                found.add(f"{context.path}: {getattr(call, '__qualname__', call)}")
    return sorted(found)


def test_issue11_no_route_leaves_a_dependency_or_endpoint_to_the_threadpool(app):
    """A plain `def` dependency is one thread hand-off per request, and a simple read had six
    or seven. Routes and dependencies use `app.core.concurrency.APIRouter` and `Depends`."""
    assert len(list(iter_route_contexts(app.routes))) > 50
    assert thread_hops(app) == []


def _plain() -> int:
    return 1


def test_issue11_the_walk_finds_a_plain_def_dependency():
    """The check itself can fail: fastapi's own Depends on a plain `def` is reported."""
    router = APIRouter()

    @router.get("/wrapped")
    def wrapped(value: Annotated[int, Depends(_plain)]) -> dict[str, int]:
        return {"value": value}

    @router.get("/raw")
    def raw(value: Annotated[int, fastapi.Depends(_plain)]) -> dict[str, int]:
        return {"value": value}

    app = FastAPI()
    app.include_router(router)
    assert thread_hops(app) == ["/raw: _plain"]


def test_issue11_one_wrapper_per_function_so_a_request_shares_one_dependency():
    def dependency() -> None:
        return None

    assert on_loop(dependency) is on_loop(dependency)
    assert inspect.signature(on_loop(dependency)) == inspect.signature(dependency)
    assert on_loop(on_loop(dependency)) is on_loop(dependency)


def test_issue11_a_read_that_tries_to_write_is_refused_and_writes_nothing(app, client, auth, engine):
    """Reads run without a transaction on PostgreSQL, so a GET must never write: the session
    of a read request refuses to flush (a bug would surface as a 500, not as a half write)."""
    router = APIRouter()

    @router.get("/_test/read-that-writes")
    def read_that_writes(session: SessionDep) -> dict[str, bool]:
        assert session.info.get(READ_ONLY) is True
        now = datetime.now(UTC)
        fields = {**child_body(), "date_of_birth": date(2017, 3, 14), "address_withheld": False}
        session.add(Child(**fields, source="manual", external_id="written-by-a-get", created_at=now, updated_at=now))
        session.flush()
        return {"wrote": True}

    probe = FastAPI()
    probe.state = app.state
    probe.include_router(router)
    from fastapi.testclient import TestClient

    from app.core.middleware import RequestMiddleware

    probe.add_middleware(RequestMiddleware, max_bytes=1024, db_io=app.state.request_engines.io)
    with TestClient(probe, raise_server_exceptions=False) as test_client:
        response = test_client.get("/_test/read-that-writes")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    with Session(engine) as session:
        assert session.execute(select(Child).where(Child.external_id == "written-by-a-get")).first() is None


def test_issue11_reads_on_postgresql_run_outside_a_transaction(app, client, auth, engine):
    """One round trip for a read, not BEGIN, query and COMMIT (SQLite keeps its deferred
    BEGIN: it is in-process and costs no round trip)."""
    engines = app.state.request_engines
    if engine.dialect.name == "sqlite":
        assert engines.read is engines.write is engine and engines.io == "thread"
        return
    assert engines.io == "greenlet"
    assert engines.read.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
    assert engines.write.get_execution_options().get("isolation_level") is None

"""Engines, the per-request session, and the metadata every table model registers on.

A request gets one session that commits once at the end or rolls back; services only
flush. On SQLite a write request starts with BEGIN IMMEDIATE, so writers queue on the
database lock instead of failing half way (the serialised write path of R-22).

Requests use `app.state.request_engine`: on PostgreSQL the same database through psycopg's
async driver, whose sync face the code uses from greenlets (`core.concurrency`); on SQLite
the one engine. `app.state.engine` is a plain sync engine for the CLI, readiness, tests,
the worker, and the exports, which stream from a server-side cursor on a connection of
their own, read in a worker thread as the client takes the bytes.

Neither pool pings a connection before handing it out (`pool_pre_ping`): that was one more
round trip on every request. A connection the server dropped (a database restart) fails
the one request that meets it, and SQLAlchemy then discards every older pooled connection;
`pool_recycle` retires connections before a server-side idle timeout would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

import anyio
from fastapi import Request
from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel import Session, SQLModel, create_engine

from app.core.concurrency import Depends, IoMode, run_blocking
from app.core.config import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
READ_ONLY = "read_only"  # session.info key: a read request's session, which must not write
POOL_RECYCLE_SECONDS = 1800


def build_engine(settings: Settings) -> Engine:
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            from pathlib import Path

            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": settings.sqlite_busy_timeout_ms / 1000},
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
        )
        _configure_sqlite(engine, settings.sqlite_busy_timeout_ms)
    else:
        engine = create_engine(url, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow, pool_recycle=POOL_RECYCLE_SECONDS)
    from app.core import publish  # the commit hook reads the checkpoint settings per engine

    publish.configure(engine, settings)
    return engine


@dataclass(frozen=True)
class RequestEngines:
    """What requests run on: `write` for POST/PUT/PATCH/DELETE, `read` for the rest (on
    PostgreSQL in autocommit: a read is then one round trip, not BEGIN, query, COMMIT;
    each statement of a read sees its own snapshot, as under READ COMMITTED it would
    anyway), `io` how their blocking code runs, and the asyncio engine to dispose of."""

    write: Engine
    read: Engine
    io: IoMode
    async_engine: AsyncEngine | None = None


def build_request_engines(settings: Settings, engine: Engine) -> RequestEngines:
    if engine.dialect.name != "postgresql":
        return RequestEngines(engine, engine, "thread")
    async_engine = create_async_engine(
        engine.url, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow, pool_recycle=POOL_RECYCLE_SECONDS
    )
    from app.core import publish

    write = async_engine.sync_engine
    publish.configure(write, settings)
    return RequestEngines(write, write.execution_options(isolation_level="AUTOCOMMIT"), "greenlet", async_engine)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Take transaction control from the driver so we can choose BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def open_session(engine: Engine, *, write: bool) -> Session:
    bind = engine.execution_options(sqlite_immediate=True) if write and engine.dialect.name == "sqlite" else engine
    return Session(bind=bind, expire_on_commit=False)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request: commit once on success, roll back on any error. Opening a
    session does no I/O; the end is one `run_blocking` call, shielded so that a client
    going away cannot leave a transaction open or a connection checked out."""
    engines: RequestEngines = request.app.state.request_engines
    write = request.method in WRITE_METHODS or getattr(request.scope.get("endpoint"), RECORDS_WHAT_IT_SERVES, False)
    session = open_session(engines.write if write else engines.read, write=write)
    session.info["request_id"] = request.scope.get("request_id")
    if not write:
        session.info[READ_ONLY] = True
    try:
        yield session
    except BaseException:
        with anyio.CancelScope(shield=True):
            await run_blocking(_finish, session, commit=False)
        raise
    with anyio.CancelScope(shield=True):
        await run_blocking(_finish, session, commit=True)


@event.listens_for(Session, "before_flush")
def _refuse_writes_in_reads(session: Session, _context: object, _instances: object) -> None:
    if session.info.get(READ_ONLY):
        raise ReadOnlyRequest("A GET request tried to write; reads run outside a transaction.")


RECORDS_WHAT_IT_SERVES = "_records_what_it_serves"


def records_what_it_serves(endpoint: Any) -> Any:
    """Marks a GET endpoint whose request writes: it records what it served (a court
    document is audited and remembered for verification, R-87), so its session is a
    write session like a POST's."""
    setattr(endpoint, RECORDS_WHAT_IT_SERVES, True)
    return endpoint


class ReadOnlyRequest(RuntimeError):
    """A read request (GET, HEAD, OPTIONS) tried to change the database: a bug, never data."""


def _finish(session: Session, *, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": the commit happens before the response is sent, so a client never
# sees 201 for a write that then failed to commit.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


# PostgreSQL's answers to two writers racing for one slot: a unique or exclusion violation,
# or, when each has inserted before checking the other's row (exclusion constraints check
# after inserting), a deadlock or serialization failure for one of them.
_LOST_RACE_STATES = frozenset({"40P01", "40001"})


def deadlocked(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) == "40P01"


def lost_race(exc: DBAPIError) -> bool:
    """Whether a failed flush means a concurrent writer took what this one wanted."""
    return isinstance(exc, IntegrityError) or getattr(exc.orig, "sqlstate", None) in _LOST_RACE_STATES


def lock_key(session: Session, key: str) -> None:
    """Serialise writers on one logical key until the transaction ends.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: nothing to do, a write request
    already holds the database's write lock from BEGIN IMMEDIATE.
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text

        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})

"""Engine, the per-request session, and the metadata every table model registers on.

A request gets one session that commits once at the end or rolls back; services only
flush. On SQLite a write request starts with BEGIN IMMEDIATE, so writers queue on the
database lock instead of failing half way (the serialised write path of R-22).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, create_engine

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
        engine = create_engine(url, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow, pool_pre_ping=True)
    from app.core import publish  # the commit hook reads the checkpoint settings per engine

    publish.configure(engine, settings)
    return engine


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


def get_session(request: Request) -> Iterator[Session]:
    """One session per request: commit once on success, roll back on any error."""
    engine: Engine = request.app.state.engine
    session = open_session(engine, write=request.method in WRITE_METHODS)
    session.info["request_id"] = request.scope.get("request_id")
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": the commit happens before the response is sent, so a client never
# sees 201 for a write that then failed to commit.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def lock_key(session: Session, key: str) -> None:
    """Serialise writers on one logical key until the transaction ends.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: nothing to do, a write request
    already holds the database's write lock from BEGIN IMMEDIATE.
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text

        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})

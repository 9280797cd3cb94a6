"""Shared fixtures: a database built by running the migrations, cleaned before each test,
and an HTTP client against the app with tokens for any role.

`TEST_DATABASE_URL` picks the database (CI sets a PostgreSQL scratch database); without it
the suite uses a SQLite file in a temporary folder. Under pytest-xdist (`make test` runs a
worker per core) each worker has a database of its own.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.cli import migrate
from app.core import outbox
from app.core.config import Settings
from app.core.security import mint_local_token
from app.main import create_app
from tests.helpers import launch, stop

TEST_SECRET = "test-secret-with-enough-entropy-0123456789abcdef"
# the integration clients the tests use, each bound to the child source it owns.
AUDIT_KEY = "test-audit-key-0123456789abcdef"
WEBHOOK_SECRETS_KEY = "test-webhook-secrets-key-0123456789"
INTEGRATION_SOURCES = "fw=framework,framework=framework,framework-prod=framework,framework-i=framework,mosaic-prod=mosaic"
ROOT = Path(__file__).resolve().parents[1]
# No background worker in the apps and servers tests start: its jobs would write into
# other tests' database. The worker's own tests turn it on where they need it.
os.environ["WORKER"] = "off"
outbox.STRICT_TYPES = True  # an event type missing from the webhook registry fails its test


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The database this test process owns. Under pytest-xdist each worker (gw0, gw1, ...)
    gets its own: a SQLite file in its own temporary folder, or, on PostgreSQL, a database
    named after the given one plus the worker (`ci_..._gw0`), created here and dropped at
    the end, so the workers never clean each other's tables."""
    url = os.environ.get("TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    elif not worker or make_url(url).get_backend_name() != "postgresql":
        yield url
    else:
        given = make_url(url)
        own = given.set(database=f"{given.database}_{worker}")
        admin = create_engine(given, isolation_level="AUTOCOMMIT")
        drop = text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)')
        try:
            with admin.connect() as connection:
                connection.execute(drop)
                connection.execute(text(f'CREATE DATABASE "{own.database}"'))
            yield own.render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(drop)
            admin.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url, jwt_secret=TEST_SECRET, log_level="INFO", integration_sources=INTEGRATION_SOURCES,
        audit_key=AUDIT_KEY, webhooks_allow_http=True, webhook_secrets_key=WEBHOOK_SECRETS_KEY,
    )


@pytest.fixture(scope="session")
def migrated(settings: Settings) -> Settings:
    migrate(settings)
    return settings


@pytest.fixture(scope="session")
def app(migrated: Settings) -> Iterator[FastAPI]:
    application = create_app(migrated)
    yield application
    application.state.engine.dispose()


@pytest.fixture(scope="session")
def engine(app: FastAPI) -> Engine:
    return app.state.engine


def clean_database(engine: Engine) -> None:
    tables = [table.name for table in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture(autouse=True)
def _clean(request: pytest.FixtureRequest) -> None:
    if "engine" in request.fixturenames or "client" in request.fixturenames:
        clean_database(request.getfixturevalue("engine"))


@pytest.fixture
def client(app: FastAPI, engine: Engine) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


TokenFactory = Callable[..., dict[str, str]]


@pytest.fixture
def auth(settings: Settings) -> TokenFactory:
    """`auth("sw-1", "social_worker", team="north-1")` -> headers with a bearer token."""

    def make(sub: str, *roles: str, **claims: Any) -> dict[str, str]:
        token = mint_local_token(settings, sub, list(roles), **claims)
        return {"Authorization": f"Bearer {token}"}

    return make


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(migrated, database_url, tmp_path_factory) -> Iterator[dict]:
    """A real `uvicorn --factory app.main:create_app` on the test database, for one module:
    concurrency and offline replays are proved over real HTTP, not the in-process client."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TEST_DATABASE_URL", "JWT_"))}
    env.update(DATABASE_URL=database_url, JWT_SECRET=TEST_SECRET, LOG_LEVEL="WARNING", INTEGRATION_SOURCES=INTEGRATION_SOURCES, AUDIT_KEY=AUDIT_KEY,
               WEBHOOKS_ALLOW_HTTP="1", WEBHOOK_SECRETS_KEY=WEBHOOK_SECRETS_KEY)
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "app.main:create_app",
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning",
    ]
    base = f"http://127.0.0.1:{port}"
    process = launch(command, ROOT, env, log, base)
    try:
        yield {"base": base, "log": log}
    finally:
        stop(process)


def child_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "first_name": "Amara",
        "last_name": "Okafor",
        "date_of_birth": "2017-03-14",
        "legal_status": "interim_care_order",
        "court_arena": True,
        "placement_type": "foster",
        "placement_address": "12 Elm Road, Arnold, NG5 6AB",
        "address_withheld": None,
        "social_worker_sub": "sw-1",
        "area": "north",
    }
    body.update(overrides)
    return body

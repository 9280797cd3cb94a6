"""Health probes: liveness without auth or database, readiness checks the database."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.core.config import Settings
from app.main import create_app


def test_health_needs_no_token(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_ready_checks_the_database(client):
    assert client.get("/health/ready").json() == {"status": "ok"}


def test_ready_is_503_problem_when_the_database_does_not_answer(settings):
    broken = settings.model_copy(update={"database_url": "postgresql+psycopg://postgres@127.0.0.1:1/none"})
    app = create_app(Settings(**broken.model_dump()))
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200  # liveness does not touch the database
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "psycopg" not in response.text and "127.0.0.1" not in response.text

"""Every error the app can produce is problem+json (R-70); no stack trace leaves the process;
request ids are accepted or made, and echoed."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.children import service as child_service
from app.children.models import Child
from tests.conftest import child_body

SW = ("sw-1", "social_worker")
PUT_URL = "/api/v1/children/framework/1"


def assert_problem(response, status: int, slug: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"] == f"urn:contact-service:problem:{slug}"
    assert body["title"]
    return body


def children(engine) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(Child)).scalar_one()


def test_r70_unknown_path_is_404_problem(client, auth):
    assert_problem(client.get("/api/v1/nothing-here", headers=auth(*SW)), 404, "not-found")


def test_r70_wrong_method_is_405_problem(client, auth):
    response = client.patch(f"/api/v1/children/{uuid.uuid4()}", json={}, headers=auth(*SW))
    assert_problem(response, 405, "method-not-allowed")
    assert "GET" in response.headers["allow"]


def test_r70_body_over_one_mebibyte_is_413_before_parsing(client, auth, engine):
    huge = b'{"first_name": "' + b"a" * (1024 * 1024) + b'"}'
    response = client.put(PUT_URL, content=huge, headers={**auth(*SW), "Content-Type": "application/json"})
    assert_problem(response, 413, "payload-too-large")
    assert children(engine) == 0


def test_r70_chunked_body_over_the_limit_is_413(client, auth, engine):
    def chunks():
        yield b'{"first_name": "'
        for _ in range(17):
            yield b"a" * 65536
        yield b'"}'

    response = client.put(PUT_URL, content=chunks(), headers={**auth(*SW), "Content-Type": "application/json"})
    assert_problem(response, 413, "payload-too-large")
    assert children(engine) == 0


def test_r70_body_just_under_the_limit_is_parsed(client, auth):
    body = child_body(first_name="A", placement_address=None)
    response = client.put(PUT_URL, json=body, headers=auth(*SW))
    assert response.status_code == 201


def test_r70_text_body_is_415(client, auth, engine):
    response = client.put(PUT_URL, content=b"hello", headers={**auth(*SW), "Content-Type": "text/plain"})
    body = assert_problem(response, 415, "unsupported-media-type")
    assert body["errors"][0]["field"] == "content-type"
    assert children(engine) == 0


def test_r70_json_with_a_charset_is_accepted(client, auth):
    import json

    response = client.put(
        PUT_URL, content=json.dumps(child_body()).encode(), headers={**auth(*SW), "Content-Type": "application/json; charset=utf-8"}
    )
    assert response.status_code == 201


def test_r70_wrong_types_are_422_naming_each_field(client, auth):
    response = client.put(PUT_URL, json=child_body(court_arena=[1], date_of_birth=5, area=None), headers=auth(*SW))
    body = assert_problem(response, 422, "validation")
    assert {"court_arena", "date_of_birth", "area"} <= {e["field"] for e in body["errors"]}
    assert all(e["location"] == "body" for e in body["errors"])


def test_r70_a_json_array_instead_of_an_object_is_422(client, auth):
    assert_problem(client.put(PUT_URL, json=[1, 2], headers=auth(*SW)), 422, "validation")


def test_r70_unexpected_failure_is_a_bare_500_without_trace_or_personal_data(client, auth, monkeypatch, caplog):
    def explode(*args, **kwargs):
        raise RuntimeError("Amara Okafor lives at 12 Elm Road")

    monkeypatch.setattr(child_service, "upsert_child", explode)
    response = client.put(PUT_URL, json=child_body(), headers={**auth(*SW), "X-Request-ID": "req-500"})
    body = assert_problem(response, 500, "internal")
    assert response.headers["x-request-id"] == "req-500"
    assert "Traceback" not in response.text and "Amara" not in response.text and "RuntimeError" not in response.text
    logged = "\n".join(str(getattr(r, "fields", "")) + r.getMessage() for r in caplog.records)
    assert "RuntimeError" in logged and "req-500" in logged
    assert "Amara" not in logged and "Elm Road" not in logged
    assert set(body) == {"type", "title", "status", "detail"}


class TestRequestId:
    def test_r70_given_request_id_is_echoed(self, client):
        response = client.get("/health", headers={"X-Request-ID": "abc-123"})
        assert response.headers["x-request-id"] == "abc-123"

    def test_r70_missing_request_id_is_generated(self, client):
        first = client.get("/health").headers["x-request-id"]
        second = client.get("/health").headers["x-request-id"]
        assert first and second and first != second

    @pytest.mark.parametrize("bad", ["x" * 200, "has space", "<script>"])
    def test_r73_unsafe_request_id_is_replaced(self, client, bad):
        response = client.get("/health", headers={"X-Request-ID": bad})
        assert response.headers["x-request-id"] != bad
        assert len(response.headers["x-request-id"]) == 32

    def test_r70_errors_carry_the_request_id_too(self, client):
        response = client.get("/api/v1/events", headers={"X-Request-ID": "req-401"})
        assert response.status_code == 401
        assert response.headers["x-request-id"] == "req-401"

"""Structured JSON logs (R-73): method, path template, status, duration, request id and
subject; never a body, a name, an address or a query string."""

from __future__ import annotations

import json
import logging

from app.core.logging import JsonFormatter
from tests.conftest import child_body

PERSONAL = ("Amara", "Okafor", "Elm Road", "NG5 6AB", "2017-03-14", "Risk of abduction")


def access_lines(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "app.access"]


def test_r73_access_log_is_json_with_template_status_duration_id_and_subject(client, auth, caplog):
    caplog.set_level(logging.INFO)
    created = client.put(
        "/api/v1/children/framework/555",
        json=child_body(address_withheld={"authorised_by": "tm-1", "reason": "Risk of abduction"}),
        headers={**auth("sw-1", "social_worker"), "X-Request-ID": "req-log-1"},
    ).json()
    client.get(f"/api/v1/children/{created['id']}?first_name=Amara", headers=auth("sw-1", "social_worker"))
    put, get = access_lines(caplog)[-2:]
    assert put["method"] == "PUT" and put["path"] == "/api/v1/children/{source}/{external_id}"
    assert put["status"] == 201 and put["request_id"] == "req-log-1" and put["subject"] == "sw-1"
    assert isinstance(put["duration_ms"], float)
    assert get["path"] == "/api/v1/children/{child_id}" and get["status"] == 200
    everything = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    for text in PERSONAL:
        assert text not in everything


def test_r73_unauthenticated_and_unmatched_requests_are_logged_without_subject(client, caplog):
    caplog.set_level(logging.INFO)
    client.get("/api/v1/events")
    client.get("/no/such/path?name=Amara")
    denied, unmatched = access_lines(caplog)[-2:]
    assert denied["status"] == 401 and denied["subject"] is None
    assert unmatched["path"] == "(unmatched)" and unmatched["status"] == 404
    assert "Amara" not in json.dumps(unmatched)


def test_r73_the_docs_assets_are_logged_by_their_mount(client, caplog):
    caplog.set_level(logging.INFO)
    assert client.get("/static/docs/swagger-ui.css").status_code == 200
    assert client.get("/static/docs/no-such-file.js").status_code == 404
    found, missing = access_lines(caplog)[-2:]
    assert found["path"] == missing["path"] == "/static/docs/{path}"
    assert (found["status"], missing["status"]) == (200, 404)

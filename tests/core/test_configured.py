"""The document states the rules the server enforces: configured areas and sources as enums,
cursors as base64url, subject ids with a whitespace class every regex engine reads alike;
and every `area` input the document lists is refused with a 422 when it is not configured."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from app.children.models import Child
from app.core.config import Settings
from app.core.schemas import SUBJECT_PATTERN
from app.main import create_app
from app.transport.models import Driver
from tests.conftest import child_body
from tests.helpers import at

NOW = "2026-11-30T09:00:00+00:00"


def _area_inputs(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    schemas = document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["name"] in ("area", "source") and parameter["in"] in ("query", "path"):
                    found.append((f"{method.upper()} {path} {parameter['name']}", parameter["schema"]))
            for content in operation.get("requestBody", {}).get("content", {}).values():
                reference = content["schema"].get("$ref", "")
                area = schemas.get(reference.rsplit("/", 1)[-1], {}).get("properties", {}).get("area")
                if area is not None:
                    found.append((f"{method.upper()} {path} body.area", area))
    return found


def _enum(schema: dict[str, Any]) -> list[str] | None:
    return next((branch["enum"] for branch in schema.get("anyOf", [schema]) if "enum" in branch), None)


def test_r72_the_document_lists_the_configured_areas_and_sources(tmp_path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/unused.db", jwt_secret="x", areas="east,west", child_sources="liquidlogic")
    application: FastAPI = create_app(settings)
    inputs = _area_inputs(application.openapi())
    assert len(inputs) >= 14, inputs
    for where, schema in inputs:
        assert _enum(schema) == (["liquidlogic"] if where.endswith(" source") else ["east", "west"]), where


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("GET", "/api/v1/flags?area=west", None),
        ("GET", "/api/v1/reviews/due?area=west", None),
        ("POST", "/api/v1/drivers", {"name": "Pat Hughes", "area": "west", "dbs_checked_on": "2025-03-01", "dbs_expires_on": "2028-03-01"}),
    ],
)
def test_r70_an_area_the_service_does_not_have_is_a_422_naming_area(client, auth, engine, method, url, body) -> None:
    with at(NOW):
        response = client.request(method, url, json=body, headers=auth("sm-1", "service_manager", "team_leader"))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "area"
    assert response.json()["errors"][0]["message"] == "must be one of: north, central, south"
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Driver)).scalar_one() == 0


@pytest.mark.parametrize("sub", ["a b", "a\x1cb", "a\x85b", "a\ufeffb", "a\u00a0b", "a\u3000b", "\t"])
def test_r70_a_subject_id_with_any_whitespace_is_refused_in_python_and_in_the_document(client, auth, sub) -> None:
    assert not re.search(SUBJECT_PATTERN, sub)
    with at(NOW):
        response = client.get(f"/api/v1/staff/{quote(sub)}/timetable", headers=auth("tl-1", "team_leader"))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "sub"


def test_r62_a_cursor_that_is_not_base64url_is_a_422_naming_it(client, auth) -> None:
    with at(NOW):
        headers = auth("tl-1", "team_leader")
        bad = client.get("/api/v1/records/overdue", params={"cursor": "not a cursor!"}, headers=headers)
        bad_after = client.get("/api/v1/events", params={"after": "%%%"}, headers=auth("sm-1", "service_manager"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"
    assert bad_after.status_code == 422 and bad_after.json()["errors"][0]["field"] == "after"


@pytest.mark.parametrize(("body", "message"), [({"min_age": 12, "max_age": 5}, "must not be below min_age (12)"), ({"min_age": 20}, "must not be below min_age (20)")])
def test_r70_a_room_whose_max_age_is_below_its_min_age_names_max_age(client, auth, body, message) -> None:
    with at(NOW):
        headers = auth("admin-1", "admin")
        venue = client.post("/api/v1/venues", json={"name": "Mansfield", "area": "north"}, headers=headers)
        room = client.post(f"/api/v1/venues/{venue.json()['id']}/rooms", json={"name": "Den", "capacity": 4, **body}, headers=headers)
    assert room.status_code == 422, room.text
    assert room.json()["errors"] == [{"field": "max_age", "location": "body", "message": message}]


@pytest.mark.parametrize("value", ["null", "3", "W/3", '"3"x'])
def test_r43_an_if_match_the_service_could_not_have_issued_is_a_422_naming_it(client, auth, engine, value) -> None:
    with at(NOW):
        response = client.put("/api/v1/children/framework/F-9", json=child_body(), headers={**auth("sw-1", "social_worker"), "If-Match": value})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "If-Match"
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Child)).scalar_one() == 0


def test_r72_r83_the_document_links_each_id_an_answer_gives_to_the_operations_that_take_it(app: FastAPI) -> None:
    document = app.openapi()
    operations = {
        operation["operationId"]: {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        for operations in document["paths"].values()
        for operation in operations.values()
    }
    links = {
        (operation["operationId"], status): response["links"]
        for operations in document["paths"].values()
        for operation in operations.values()
        for status, response in operation["responses"].items()
        if "links" in response
    }
    assert sum(len(found) for found in links.values()) >= 75
    for (producer, status), found in links.items():
        assert status.startswith("2"), producer
        for name, link in found.items():
            assert link["operationId"] == name and name in operations, (producer, name)
            assert set(link["parameters"]) == operations[name], (producer, name)
    child = links[("children_upsert_child", "201")]
    assert child["referrals_list_child_referrals"]["parameters"] == {"child_id": "$response.body#/id"}
    decided = links[("referrals_decide_referral", "200")]
    assert decided["scheduling_list_arrangement_sessions"]["parameters"] == {"arrangement_id": "$response.body#/arrangement_id"}
    signed_in = links[("scheduling_sign_in", "201")]["scheduling_sign_out"]["parameters"]
    assert signed_in == {"session_id": "$request.path.session_id", "visit_id": "$response.body#/id"}

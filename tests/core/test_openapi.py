"""The OpenAPI document is the contract (R-72): the committed file matches the code, and
every operation carries what DESIGN.md's "Stable OpenAPI" habit asks for."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from app.cli import openapi_document
from app.main import API_PREFIX
from app.sessions.schemas import ClashProblem

COMMITTED = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
PROBLEM_REF = "#/components/schemas/Problem"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return json.loads(openapi_document())


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def resolve(document: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"only local references are expected, got {ref}"
        target: Any = document
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def has_example(document: dict[str, Any], media: dict[str, Any] | None) -> bool:
    return bool(media) and bool(examples_of(document, media))  # type: ignore[arg-type]


def examples_of(document: dict[str, Any], media: dict[str, Any]) -> list[Any]:
    """The examples a media type shows: its own, or its schema's, seen through a `$ref` and
    through `anyOf` (an optional body is `anyOf: [{$ref}, {type: null}]`)."""
    if "example" in media:
        return [media["example"]]
    if "examples" in media:
        return [named["value"] for named in media["examples"].values() if "value" in named]
    found: list[Any] = []
    pending = [media.get("schema")]
    while pending:
        schema = resolve(document, pending.pop(0))
        if not isinstance(schema, dict):
            continue
        found += schema.get("examples") or ([schema["example"]] if "example" in schema else [])
        pending += schema.get("anyOf", []) + schema.get("oneOf", [])
    return found


def test_r72_committed_openapi_matches_the_app() -> None:
    assert COMMITTED.is_file(), "openapi/openapi.json is missing: run `make openapi` and commit it"
    assert COMMITTED.read_text() == openapi_document(), (
        "openapi/openapi.json differs from the app's document: run `make openapi` and commit the result"
    )


def test_every_operation_is_documented_with_a_stable_id_summary_tag_and_example(document: dict[str, Any]) -> None:
    ops = operations(document)
    assert ops, "the document has no operations"
    problems: list[str] = []
    seen: dict[str, str] = {}
    for method, path, op in ops:
        where = f"{method.upper()} {path}"
        tags = op.get("tags") or []
        operation_id = op.get("operationId", "")
        if len(tags) != 1:
            problems.append(f"{where}: needs exactly one tag, has {tags}")
        elif not re.fullmatch(rf"{re.escape(tags[0])}_[a-z][a-z0-9_]*", operation_id):
            problems.append(f"{where}: operationId {operation_id!r} is not <tag>_<function>")
        if operation_id in seen:
            problems.append(f"{where}: operationId {operation_id!r} is also used by {seen[operation_id]}")
        seen[operation_id] = where
        if not (op.get("summary") or "").strip():
            problems.append(f"{where}: has no summary")

        if not path.startswith(API_PREFIX + "/"):
            continue
        public = op.get("security") == []  # says so explicitly: the calendar feed
        if not public and op.get("security") != [{"bearer": []}]:
            problems.append(f"{where}: has no bearer security requirement")
        responses = op.get("responses", {})
        for status in ("422",) if public else ("401", "403", "422"):
            content = resolve(document, responses.get(status, {})).get("content", {})
            if content.get("application/problem+json", {}).get("schema") != {"$ref": PROBLEM_REF}:
                problems.append(f"{where}: {status} is not documented as application/problem+json Problem")
        body = resolve(document, op.get("requestBody", {})).get("content", {}).get("application/json")
        # Any media type: a calendar (text/calendar) or a PDF shows its example where it is.
        success = [
            media
            for status, response in responses.items()
            if status.startswith("2")
            for media in resolve(document, response).get("content", {}).values()
        ]
        no_content = "204" in responses and not set(responses) & {"200", "201", "202"}  # nothing to show
        if not no_content and not has_example(document, body) and not any(has_example(document, media) for media in success):
            problems.append(f"{where}: neither its request body nor its 2xx response carries an example")
    assert not problems, "\n".join(problems)


def test_every_request_body_shows_an_example_that_its_model_accepts(app: FastAPI, document: dict[str, Any]) -> None:
    """A client writer copies the example: it must be there for every JSON body, and valid.
    Each example is validated as FastAPI validates a body: the decoded JSON, by the route's
    own body type (`Model | None` for an optional body)."""
    problems: list[str] = []
    checked = 0
    for context in iter_route_contexts(app.routes):
        field = getattr(context, "body_field", None)
        if field is None:
            continue
        path = re.sub(r"\{(\w+):[^}]+\}", r"{\1}", context.path)  # {source:child_source} -> {source}
        for method in sorted(set(context.methods) - {"HEAD"}):
            where = f"{method} {path}"
            content = resolve(document, document["paths"][path][method.lower()]["requestBody"])["content"]
            if "application/json" not in content:
                continue  # the bytes of a PDF (POST /documents/verify): nothing to show as JSON
            examples = examples_of(document, content["application/json"])
            if not examples:
                problems.append(f"{where}: its request body has no example")
                continue
            body_type = TypeAdapter(field.field_info.annotation)
            for example in examples:
                checked += 1
                try:
                    body_type.validate_python(example)
                except ValueError as exc:
                    problems.append(f"{where}: its example {example} is refused by its own model: {exc}")
    assert checked > 30, checked  # the walk reached the routes inside the included routers
    assert not problems, "\n".join(problems)


def test_a_missing_request_body_example_is_caught(document: dict[str, Any]) -> None:
    """The check can fail: a body schema without `examples` shows none."""
    schemas = {name: dict(schema) for name, schema in document["components"]["schemas"].items()}
    schemas["Approval"].pop("examples")
    stripped = {**document, "components": {**document["components"], "schemas": schemas}}
    media = document["paths"]["/api/v1/referrals/{referral_id}/approval"]["post"]["requestBody"]["content"]["application/json"]
    assert examples_of(document, media) and not examples_of(stripped, media)


BOOKING_ROUTES = [("post", "/api/v1/sessions"), ("post", "/api/v1/sessions/{session_id}/move")]


def test_the_clash_problem_is_a_named_schema_the_booking_routes_409s_point_to(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    clash = schemas["ClashProblem"]
    assert {"type", "title", "status", "clashes"} <= set(clash["required"])
    assert clash["properties"]["clashes"]["items"] == {"$ref": "#/components/schemas/ClashRead"}
    assert set(schemas["ClashRead"]["required"]) == {"session_id", "on", "starts_at", "ends_at", "requested_starts_at"}
    validator = jsonschema_rs.validator_for({"$ref": "#/components/schemas/ClashProblem", "components": document["components"]})
    assert clash["examples"]
    for example in clash["examples"]:
        validator.validate(example)
        ClashProblem.model_validate(example)
    for method, path in BOOKING_ROUTES:
        media = document["paths"][path][method]["responses"]["409"]["content"]["application/problem+json"]
        refs = [alternative.get("$ref") for alternative in media["schema"]["anyOf"]]
        # A clash, or another conflict of state (an unsigned agreement) as a plain Problem.
        assert refs == ["#/components/schemas/ClashProblem", PROBLEM_REF], (path, media)
        assert examples_of(document, media), path


def test_the_openapi_document_is_served_without_a_token(app: FastAPI) -> None:
    with TestClient(app) as client:
        response = client.get("/openapi.json")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == app.openapi()

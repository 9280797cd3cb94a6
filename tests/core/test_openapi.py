"""The OpenAPI document is the contract (R-72): the committed file matches the code, and
every operation carries what DESIGN.md's "Stable OpenAPI" habit asks for."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.cli import openapi_document
from app.main import API_PREFIX

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
    if not media:
        return False
    if "example" in media or "examples" in media:
        return True
    schema = resolve(document, media.get("schema"))
    return isinstance(schema, dict) and bool(schema.get("examples") or "example" in schema)


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


def test_the_openapi_document_is_served_without_a_token(app: FastAPI) -> None:
    with TestClient(app) as client:
        response = client.get("/openapi.json")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == app.openapi()

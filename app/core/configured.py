"""Values a deployment configures, written into its OpenAPI document as enums; and header
parameters stated as what HTTP can carry.

`area` (AREAS) and a child's `source` (CHILD_SOURCES) are checked against the settings
(`check_area`, the source check), so the document this service serves lists them: a
client generated from it, or a contract test, never sends a value that can only be
refused. The committed `openapi/openapi.json` shows the defaults.
"""

from __future__ import annotations

from typing import Any

from app.core.config import Settings


_METHODS = ("get", "put", "post", "delete", "patch")


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation object of the document (the method entries of each path)."""
    return [
        operation
        for path in document.get("paths", {}).values()
        for method, operation in path.items()
        if method in _METHODS
    ]


def _as_enum(node: dict[str, Any], values: list[str]) -> None:
    """Give the string branch of a (possibly nullable) schema the allowed values."""
    for branch in node.get("anyOf", [node]):
        if branch.get("type") == "string":
            branch["enum"] = list(values)


def enumerate_configured(document: dict[str, Any], settings: Settings) -> None:
    """Write AREAS into every `area` input and CHILD_SOURCES into every `source` path parameter."""
    components = document.get("components", {}).get("schemas", {})
    inputs: set[str] = set()
    for operation in operations(document):
        for parameter in operation.get("parameters", []):
            if parameter.get("name") == "area" and parameter.get("in") == "query":
                _as_enum(parameter["schema"], settings.areas)
            elif parameter.get("name") == "source" and parameter.get("in") == "path":
                _as_enum(parameter["schema"], settings.child_sources)
        for content in operation.get("requestBody", {}).get("content", {}).values():
            reference = content.get("schema", {}).get("$ref", "")
            if reference.startswith("#/components/schemas/"):
                inputs.add(reference.rsplit("/", 1)[1])
    for name in sorted(inputs):
        area = components.get(name, {}).get("properties", {}).get("area")
        if area is not None:
            _as_enum(area, settings.areas)


def plain_headers(document: dict[str, Any]) -> None:
    """An optional header is absent or a string, never JSON `null`: FastAPI writes
    `str | None` as `anyOf [string, null]`, which a client may send as the text "null"."""
    for operation in operations(document):
        for parameter in operation.get("parameters", []):
            schema = parameter.get("schema", {})
            if parameter.get("in") != "header" or "anyOf" not in schema:
                continue
            branches = [branch for branch in schema["anyOf"] if branch.get("type") != "null"]
            if len(branches) == 1:
                rest = {key: value for key, value in schema.items() if key != "anyOf"}
                parameter["schema"] = {**branches[0], **rest}

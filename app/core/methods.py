"""The `Allow` header of a 405: every method the documented resource supports (RFC 9110 s15.5.6).

Starlette's router answers a 405 with the methods of the first route whose path matched,
so a resource served by two routes (GET and PUT of an agreement) named only one of them.
The OpenAPI document is the contract, so the answer comes from it: the most specific path
template that matches (the most literal segments: `/children/{child_id}/people` before
`/children/{source}/{external_id}`), its documented methods, and HEAD wherever GET is.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from starlette.routing import compile_path

_METHODS = ("get", "head", "post", "put", "patch", "delete", "options")


def _templates(app: FastAPI) -> list[tuple[re.Pattern[str], int, str]]:
    cached: list[tuple[re.Pattern[str], int, str]] | None = getattr(app.state, "allow_templates", None)
    if cached is None:
        paths: dict[str, Any] = app.openapi().get("paths", {})
        cached = []
        for template, operations in paths.items():
            methods = {method.upper() for method in operations if method in _METHODS}
            if "GET" in methods:
                methods.add("HEAD")
            literals = sum(1 for part in template.split("/") if part and "{" not in part)
            regex, _format, _convertors = compile_path(template)
            cached.append((regex, literals, ", ".join(m for m in (x.upper() for x in _METHODS) if m in methods)))
        app.state.allow_templates = cached
    return cached


def allowed_methods(app: FastAPI, path: str) -> str | None:
    """`Allow` for `path`: the documented methods of its most specific template, or None."""
    matches = [(literals, allow) for regex, literals, allow in _templates(app) if regex.match(path)]
    return max(matches)[1] if matches else None

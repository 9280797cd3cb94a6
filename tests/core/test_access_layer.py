"""Access is a layer of its own (DESIGN, R-06, R-80): every route of the app carries an
access policy dependency unless it is on the short public list, and no module outside the
policies decides by role. A route added without a policy fails here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import iter_route_contexts

from app.core.access import AnyCaller, is_policy
from app.core.security import get_principal

APP_DIR = Path(__file__).resolve().parents[2] / "app"

# Routes that need no bearer token and decide no access: liveness, readiness, the OpenAPI
# document and its pages, and the timetable feed (its token in the path is the credential).
PUBLIC = {
    ("GET", "/health"),
    ("GET", "/health/ready"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
    ("GET", "/api/v1/feeds/{token}.ics"),
}
# The only modules that may compare roles: the JWT layer, the access plumbing, the policies.
ROLE_AWARE = re.compile(r"app/(core/(access|security)\.py|[a-z_]+/policy\.py|cli\.py)$")


def _calls(dependant):  # type: ignore[no-untyped-def]
    yield dependant.call
    for sub in dependant.dependencies:
        yield from _calls(sub)


def unguarded(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route with no policy dependency that is not public."""
    found = []
    for context in iter_route_contexts(app.routes):
        dependant = getattr(context, "dependant", None)
        guarded = dependant is not None and any(is_policy(call) for call in _calls(dependant))
        for method in sorted(set(getattr(context, "methods", None) or ()) - {"HEAD"}):
            if not guarded and (method, context.path) not in PUBLIC:
                found.append((method, context.path))
    return found


def test_r06_every_route_carries_an_access_policy_or_is_public(app):
    routes = [(m, c.path) for c in iter_route_contexts(app.routes) for m in (getattr(c, "methods", None) or ())]
    assert len(routes) > 50  # the walk reaches the routes inside included routers
    assert unguarded(app) == []


def test_r06_the_walk_finds_a_route_that_lost_its_policy():
    """The check itself can fail: a route behind authentication alone is reported."""
    api = APIRouter(prefix="/api/v1", dependencies=[Depends(get_principal)])

    @api.get("/guarded")
    def guarded(_caller: AnyCaller) -> dict[str, str]:
        return {}

    @api.get("/forgotten")
    def forgotten(principal: Annotated[object, Depends(get_principal)]) -> dict[str, str]:
        return {}

    app = FastAPI()
    app.include_router(api)
    assert unguarded(app) == [("GET", "/api/v1/forgotten")]


def test_r06_no_router_service_or_deps_module_checks_a_role_itself():
    offenders = []
    for path in sorted(APP_DIR.rglob("*.py")):
        relative = path.relative_to(APP_DIR.parent).as_posix()
        if ROLE_AWARE.search(relative):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\bRole\.|\.has\(|require_roles", line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []

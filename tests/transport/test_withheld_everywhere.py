"""R-08 across the whole API: plant a withheld placement address (also used as a transport
pick-up place), then read every GET operation of the OpenAPI document as every role and
search each answer for it."""

from __future__ import annotations

import re

import pytest

from app.core.security import Role
from tests.transport.conftest import ADDRESS, approve, ask, assign, at

NEEDLES = ("Elm Road", "NG5 6AB", "ng5 6ab")
MAY_SEE = {"sw-1": (Role.social_worker,), "tl-1": (Role.team_leader,), "sm-1": (Role.service_manager,)}
MAY_NOT_SEE = {
    "csw-1": (Role.contact_support_worker,),
    "fw": (Role.integration,),
    "tm-1": (Role.team_manager,),
    "iro-9": (Role.iro,),
    "da-1": (Role.data_analyst,),
    "admin-1": (Role.admin,),
}
# Places an address may never reach, whoever asks: the event feed and its payloads.
NEVER = ("/api/v1/events",)


@pytest.fixture
def planted(client, auth, world):
    request = ask(client, auth, session_id=world["sessions"][0]["id"]).json()
    approve(client, auth, request["id"])
    assign(client, auth, request["id"], world["drivers"][0]["id"])
    return {
        "child_id": world["arrangement"]["child"]["id"],
        "arrangement_id": world["arrangement"]["id"],
        "session_id": world["sessions"][0]["id"],
        "request_id": request["id"],
        "driver_id": world["drivers"][0]["id"],
        "venue_id": world["room"]["venue_id"],
        "sub": "csw-1",
    }


def get_paths(app) -> list[str]:
    return sorted(path for path, ops in app.openapi()["paths"].items() if "get" in ops and path.startswith("/api/v1"))


def fill(path: str, ids: dict[str, str]) -> str | None:
    names = re.findall(r"{(\w+)}", path)
    if any(name not in ids for name in names):
        return None
    for name in names:
        path = path.replace("{" + name + "}", ids[name])
    return path


def test_r08_withheld_address_reaches_no_one_it_is_withheld_from(app, client, auth, planted):
    checked = 0
    with at():
        for path in get_paths(app):
            url = fill(path, planted)
            if url is None:
                continue
            for sub, roles in {**MAY_SEE, **MAY_NOT_SEE}.items():
                response = client.get(url, headers=auth(sub, *roles, act_for="sw-1", team="north-1"))
                assert response.status_code < 500, (url, sub, response.text)
                leaked = [n for n in NEEDLES if n in response.text]
                if sub in MAY_NOT_SEE or path in NEVER:
                    assert not leaked, f"{url} as {sub} shows the withheld address"
                checked += 1
    assert checked >= 60  # every GET operation that names the planted rows, for nine roles


def test_r08_the_people_allowed_do_see_it(client, auth, planted):
    with at():
        for sub, roles in MAY_SEE.items():
            child = client.get(f"/api/v1/children/{planted['child_id']}", headers=auth(sub, *roles))
            transport = client.get(f"/api/v1/transport-requests/{planted['request_id']}", headers=auth(sub, *roles))
            assert child.json()["placement_address"] == ADDRESS
            assert transport.json()["pickup_address"] == ADDRESS

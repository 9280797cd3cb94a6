"""R-08 and R-82 across the whole API: plant a withheld placement address (also used as a
transport pick-up place), try to plant it and a full name in every outgoing free-text
field (each try is refused), then read every GET operation of the OpenAPI document as
every role (the timetable feed by its token, the court PDF as text) and search each answer
for them."""

from __future__ import annotations

import io
import re

import httpx
import pytest
from pypdf import PdfReader

from app.core.security import Role
from app.freetext import FIELDS
from tests.core.test_freetext import CLEAN, PLANTERS, REFUSED
from tests.transport.conftest import ADDRESS, approve, assign, at

ADDRESS_SEEN = re.compile(r"elm\s*road|ng5\s*6ab", re.IGNORECASE)
FULL_NAME_SEEN = re.compile(r"(?:amara|grace|sam)\s+okafor", re.IGNORECASE)
MAY_SEE = {"sw-1": (Role.social_worker,), "tl-1": (Role.team_leader,), "sm-1": (Role.service_manager,)}
MAY_NOT_SEE = {
    "csw-1": (Role.contact_support_worker,),
    "fw": (Role.integration,),
    "tm-1": (Role.team_manager,),
    "iro-9": (Role.iro,),
    "da-1": (Role.data_analyst,),
    "admin-1": (Role.admin,),
}
# Places an address may never reach, whoever asks: events, calendars, the court PDF.
NEVER = (
    "/api/v1/events",
    "/api/v1/feeds/{token}.ics",
    "/api/v1/staff/{sub}/timetable.ics",
    "/api/v1/sessions/{session_id}/record.pdf",
    "/api/v1/arrangements/{arrangement_id}/bundle.pdf",
)


@pytest.fixture
def planted(client, auth, world):
    tries: dict[tuple[str, str], httpx.Response] = {}
    accepted: dict[str, httpx.Response] = {}
    for key, (_, prepare) in PLANTERS.items():
        send = prepare(client, auth, world)
        tries.update({(key, text): send(text) for text in REFUSED})
        accepted[key] = send(CLEAN)  # so each field has something in it to read
        assert accepted[key].status_code in (200, 201), (key, accepted[key].text)
    request = accepted["transport.reason"].json()  # the pick-up address is the withheld one
    approve(client, auth, request["id"])
    assign(client, auth, request["id"], world["drivers"][0]["id"])
    with at():
        feed = client.post("/api/v1/staff/csw-1/timetable/feed-token", headers=auth("csw-1", "contact_support_worker"))
    assert feed.status_code == 201, feed.text
    return {
        "child_id": world["arrangement"]["child"]["id"],
        "arrangement_id": world["arrangement"]["id"],
        "session_id": world["recorded_session_id"],  # its record and court PDF hold the amendment
        "request_id": request["id"],
        "driver_id": world["drivers"][0]["id"],
        "venue_id": world["room"]["venue_id"],
        "referral_id": world["referral_id"],
        "sub": "csw-1",
        "token": feed.json()["token"],
        "tries": tries,
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


def text_of(response: httpx.Response) -> str:
    if response.headers.get("content-type", "").startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return response.text


def test_r82_every_try_to_plant_the_address_or_a_full_name_is_refused(planted):
    assert {key for key, _ in planted["tries"]} == set(FIELDS)
    refused = {try_: r.status_code for try_, r in planted["tries"].items()}
    assert refused == dict.fromkeys(planted["tries"], 422)


def test_r08_r82_neither_the_address_nor_a_full_name_reaches_anyone_it_is_withheld_from(app, client, auth, planted):
    checked = 0
    with at():
        for path in get_paths(app):
            url = fill(path, planted)
            if url is None:
                continue
            for sub, roles in {**MAY_SEE, **MAY_NOT_SEE}.items():
                response = client.get(url, headers=auth(sub, *roles, act_for="sw-1", team="north-1"))
                assert response.status_code < 500, (url, sub, response.text)
                text = text_of(response)
                assert not FULL_NAME_SEEN.search(text), f"{url} as {sub} shows a full name"
                if sub in MAY_NOT_SEE or path in NEVER:
                    assert not ADDRESS_SEEN.search(text), f"{url} as {sub} shows the withheld address"
                checked += 1
    assert checked >= 180  # every GET operation that names the planted rows, for nine roles


def test_r82_the_event_feed_the_calendar_and_the_court_pdf_carry_the_clean_text_only(client, auth, planted):
    with at():
        events, after = [], None
        while True:
            page = client.get("/api/v1/events", params={"limit": 500, **({"after": after} if after else {})}, headers=auth("sm-1", "service_manager"))
            assert page.status_code == 200, page.text
            events += page.json()["items"]
            after = page.json()["next_cursor"]
            if len(page.json()["items"]) < 500:  # a change feed always gives a cursor to poll on
                break
        feed = client.get(f"/api/v1/feeds/{planted['token']}.ics")
        pdf = client.get(f"/api/v1/sessions/{planted['session_id']}/record.pdf", headers=auth("sw-1", "social_worker"))
    assert feed.status_code == pdf.status_code == 200
    # The clean text did arrive, so these are the places the refused text would have reached.
    assert CLEAN in str([e["data"] for e in events if e["type"] == "referral.decided"])
    assert "Arnold park" in feed.text.replace("\r\n ", "")
    assert "Amara likes Arnold park" in " ".join(text_of(pdf).split())
    for text in (str(events), feed.text, text_of(pdf)):
        assert not ADDRESS_SEEN.search(text) and not FULL_NAME_SEEN.search(text)


def test_r08_the_people_allowed_do_see_it(client, auth, planted):
    with at():
        for sub, roles in MAY_SEE.items():
            child = client.get(f"/api/v1/children/{planted['child_id']}", headers=auth(sub, *roles))
            transport = client.get(f"/api/v1/transport-requests/{planted['request_id']}", headers=auth(sub, *roles))
            assert child.json()["placement_address"] == ADDRESS
            assert transport.json()["pickup_address"] == ADDRESS

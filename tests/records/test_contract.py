"""A session's record that is not there yet is said so (R-44, R-06; issue 16: a contract
without surprises)."""

from __future__ import annotations

import uuid

from tests.helpers import at
from tests.records.test_router import AFTER, DURING, booked as booked, counts, csw, put, submit  # noqa: F401 - booked is a fixture

NO_RECORD_YET = "There is no record yet for this session that you may read."


def test_r44_a_readable_session_without_a_record_says_no_record_yet_for_this_session(client, auth, engine, booked):
    url = f"/api/v1/sessions/{booked['session']['id']}/record"
    before = counts(engine)
    with at(DURING):
        for headers in (csw(auth), auth("tl-1", "team_leader"), auth("sw-1", "social_worker", team="north-1")):
            response = client.get(url, headers=headers)
            assert response.status_code == 404, response.text
            assert response.json()["type"].endswith(":not-found")
            assert response.json()["detail"] == NO_RECORD_YET
        unknown = client.get(f"/api/v1/sessions/{uuid.uuid4()}/record", headers=csw(auth))
    assert unknown.status_code == 404 and unknown.json()["detail"] == "No session with that id that you may see."
    assert counts(engine) == before


def test_r06_a_draft_the_caller_may_not_read_answers_as_no_record_yet(client, auth, booked):
    url = f"/api/v1/sessions/{booked['session']['id']}/record"
    assert put(client, auth, booked).status_code == 201
    with at(DURING):
        draft = client.get(url, headers=auth("sw-1", "social_worker", team="north-1"))
    assert draft.status_code == 404 and draft.json()["detail"] == NO_RECORD_YET
    assert submit(client, auth, booked).status_code == 200
    with at(AFTER):
        assert client.get(url, headers=auth("sw-1", "social_worker", team="north-1")).status_code == 200


def test_r42_the_openapi_document_lists_and_describes_every_finding_kind(client):
    """Issue 17: the only change to the contract is the new finding kinds, each named in the
    schema's enum and explained in its description."""
    schema = client.get("/openapi.json").json()["components"]["schemas"]["FindingRead"]
    kind = schema["properties"]["kind"]
    assert kind["enum"] == ["name", "address", "postcode", "place", "institution", "person"]
    for value in kind["enum"]:
        assert f"`{value}`" in kind["description"], value
    assert schema["required"] == ["field", "start", "end", "text", "kind", "suggestion"]

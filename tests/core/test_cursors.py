"""Crafted cursors on every cursor-paged list (R-62): a cursor the service did not issue is a
422 naming `cursor` (or `after` on the change feed), never a 500, whatever JSON it holds:
integers past 64 bits, instants at the ends of the calendar, wrong types, deep nesting."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import at
from tests.records.test_router import AFTER
from tests.records.test_router import booked as booked  # noqa: F401 - a fixture, used by name

# (path, who may read it, the cursor's parameter); `{child}`, `{arrangement}` and `{session}`
# are filled from the `booked` fixture.
LISTS = [
    ("/api/v1/events", ("sm-1", "service_manager"), "after"),
    ("/api/v1/audit", ("sm-1", "service_manager"), "cursor"),
    ("/api/v1/referrals/queue", ("tl-1", "team_leader"), "cursor"),
    ("/api/v1/records/overdue", ("tl-1", "team_leader"), "cursor"),
    ("/api/v1/reviews/due", ("tl-1", "team_leader"), "cursor"),
    ("/api/v1/flags", ("tl-1", "team_leader"), "cursor"),
    ("/api/v1/webhooks", ("admin-1", "admin"), "cursor"),
    ("/api/v1/children/{child}/people", ("tl-1", "team_leader"), "cursor"),
    ("/api/v1/sessions/{session}/visits", ("tl-1", "team_leader"), "cursor"),
    ("/api/v1/arrangements/{arrangement}/breaches", ("tl-1", "team_leader"), "cursor"),
    ("/api/v1/arrangements/{arrangement}/restrictions", ("tl-1", "team_leader"), "cursor"),
    ("/api/v1/arrangements/{arrangement}/reviews", ("tl-1", "team_leader"), "cursor"),
    # what integrators mirror, under a child and an arrangement
    ("/api/v1/children/{child}/referrals", ("tl-1", "team_leader"), "cursor"),
    ("/api/v1/children/{child}/arrangements", ("tl-1", "team_leader"), "cursor"),
    ("/api/v1/arrangements/{arrangement}/sessions", ("tl-1", "team_leader"), "cursor"),
    ("/api/v1/arrangements/{arrangement}/records", ("tl-1", "team_leader"), "cursor"),
    ("/api/v1/arrangements/{arrangement}/transport-requests", ("tl-1", "team_leader"), "cursor"),
]

EXTREMES = [
    [2**70], [-(2**70)], [2**63], ["9999-12-31T23:59:59-05:00"], ["0001-01-01T00:00:00+05:00"], ["9999-12-31T23:59:59+00:00", "x"],
    ["9999-12-31", "00000000-0000-4000-8000-000000000000"], [True], [None], [1.5e308], [[[[[]]]]], [{"a": 1}], ["x" * 600],
]


def encode(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80) | st.floats(allow_nan=False) | st.text(max_size=40)
    | st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()) | st.dates().map(lambda d: d.isoformat()),
    lambda children: st.lists(children, max_size=3),
    max_leaves=6,
)


def _url(path: str, booked: dict) -> str:
    session = booked["session"]
    return path.format(child=booked["child"]["id"], arrangement=session["arrangement_id"], session=session["id"])


@pytest.mark.parametrize(("path", "who", "name"), LISTS, ids=[p for p, _, _ in LISTS])
def test_r62_a_crafted_cursor_is_a_422_naming_it_on_every_paged_list(client, auth, booked, path, who, name):
    url = _url(path, booked)
    with at(AFTER):
        headers = auth(*who)
        assert client.get(url, headers=headers).status_code == 200, url
        for value in EXTREMES:
            response = client.get(url, params={name: encode(value)}, headers=headers)
            assert response.status_code == 422, (value, response.text)
            assert response.json()["errors"][0]["field"] == name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(value=st.lists(json_values, min_size=1, max_size=3) | json_values, which=st.sampled_from(LISTS))
def test_r62_fuzzed_cursors_never_reach_the_database_as_a_500(client, auth, booked, value, which):
    path, who, name = which
    with at(AFTER):
        response = client.get(_url(path, booked), params={name: encode(value)}, headers=auth(*who))
    assert response.status_code in (200, 422), (value, response.status_code, response.text)

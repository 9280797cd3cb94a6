"""A date of birth that cannot be a child's is a 422 naming `date_of_birth` (R-07, R-70;
issue 16: a contract without surprises). "Today" is the service's local day: the clock is
frozen at 23:30 UTC on 14 June 2026, which is already 15 June in London (BST)."""

from __future__ import annotations

import pytest

from tests.children.test_router import PUT_URL, SW, counts
from tests.conftest import child_body
from tests.helpers import at

LATE_EVENING_UTC = "2026-06-14T23:30:00+00:00"  # 00:30 on 15 June in London


@pytest.mark.parametrize(
    ("born", "message"),
    [
        ("2026-06-16", "must not be in the future (today is 2026-06-15)"),
        ("2001-06-14", "must not be more than 25 years ago (on or after 2001-06-15)"),
        ("1990-01-01", "must not be more than 25 years ago (on or after 2001-06-15)"),
    ],
)
def test_r07_a_date_of_birth_in_the_future_or_over_25_years_ago_is_a_422_naming_date_of_birth(client, auth, engine, born, message):
    before = counts(engine)
    with at(LATE_EVENING_UTC):
        response = client.put(PUT_URL, json=child_body(date_of_birth=born), headers=auth(*SW, team="north-1"))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith(":validation")
    assert body["errors"] == [{"field": "date_of_birth", "location": "body", "message": message}]
    assert body["detail"] == f"date_of_birth: {message}"
    assert counts(engine) == before


@pytest.mark.parametrize("born", ["2026-06-15", "2001-06-15"])  # born today (local), or 25 today
def test_r07_a_date_of_birth_from_today_back_to_25_years_ago_is_kept(client, auth, born):
    with at(LATE_EVENING_UTC):
        response = client.put(PUT_URL, json=child_body(date_of_birth=born), headers=auth(*SW, team="north-1"))
    assert response.status_code == 201, response.text
    assert response.json()["date_of_birth"] == born

"""The iCalendar feed tells calendar apps how often to refetch in a form they read, and the
feed token's URL is one a calendar app can subscribe to as it is (R-28; issue 16: a contract
without surprises). The clock is frozen on Monday 30 November 2026, 09:00 GMT."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar
from pydantic import ValidationError

from app.core.config import Settings
from tests.helpers import at
from tests.timetables.test_router import NOW, counts, issue, timetable
from tests.timetables.test_router import booked as booked  # noqa: F401 - fixtures, used by name
from tests.timetables.test_router import feed_client as feed_client  # noqa: F401


def refresh_lines(content: bytes) -> list[str]:
    return [line for line in content.decode().split("\r\n") if line.startswith(("REFRESH-INTERVAL", "X-PUBLISHED-TTL"))]


def test_r28_the_feed_says_refetch_hourly_as_refresh_interval_and_published_ttl(client, feed_client, scheduling, booked):
    with at(NOW):
        token = issue(client, scheduling.csw_headers()).json()["token"]
        feed = feed_client.get(f"/api/v1/feeds/{token}.ics")
        authed = timetable(client, scheduling.csw_headers(), suffix=".ics")
    for response in (feed, authed):
        assert response.status_code == 200, response.text
        assert refresh_lines(response.content) == ["REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H"]
        calendar = Calendar.from_ical(response.content)
        assert calendar.refresh_interval == timedelta(hours=1)
        assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
        assert len(calendar.events) == 3  # the events are still there


def test_r28_feed_url_is_absolute_under_the_request_base_url_when_public_base_url_is_unset(client, feed_client, scheduling, booked, settings):
    assert settings.public_base_url is None
    with at(NOW):
        issued = issue(client, scheduling.csw_headers())
        assert issued.status_code == 201, issued.text
        body = issued.json()
        assert body["feed_url"] == f"http://testserver/api/v1/feeds/{body['token']}.ics"
        assert feed_client.get(body["feed_url"]).status_code == 200


def test_r28_feed_url_is_absolute_under_public_base_url(client, app, engine, monkeypatch, scheduling):
    # Starlette's `State` does not survive monkeypatch's undo; the settings object does.
    monkeypatch.setattr(app.state.settings, "public_base_url", "https://contact.example.gov.uk/timetables")
    with at(NOW):
        scheduling.csw("csw-1")
        before = counts(engine)
        issued = issue(client, scheduling.csw_headers())
    assert issued.status_code == 201, issued.text
    body = issued.json()
    assert body["feed_url"] == f"https://contact.example.gov.uk/timetables/api/v1/feeds/{body['token']}.ics"
    assert counts(engine) == {name: n + 1 for name, n in before.items()}  # the token, its audit entry, its event


@pytest.mark.parametrize(
    ("value", "kept"),
    [("", None), ("https://contact.example.gov.uk/", "https://contact.example.gov.uk"), ("http://localhost:8000/cs", "http://localhost:8000/cs")],
)
def test_r28_public_base_url_is_an_absolute_url_kept_without_its_trailing_slash(value, kept):
    assert Settings(public_base_url=value).public_base_url == kept


@pytest.mark.parametrize("value", ["contact.example.gov.uk", "ftp://contact.example.gov.uk", "https://contact.example.gov.uk/?a=1"])
def test_r28_public_base_url_that_is_not_an_http_url_is_refused(value):
    with pytest.raises(ValidationError, match="public_base_url"):
        Settings(public_base_url=value)

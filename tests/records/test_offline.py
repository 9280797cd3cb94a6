"""R-43 over real HTTP with real concurrency: a tablet replaying its request, two tablets
creating the first draft, and ten updates from the same version, against a uvicorn server
on the test database (SQLite file or PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.records.models import IdempotencyKey, SessionRecord
from tests.sessions.conftest import Scheduling

pytestmark = pytest.mark.server
LONDON = ZoneInfo("Europe/London")
TABLETS = 10


@pytest.fixture
def future_session(client, auth) -> dict:
    """A session on a weekday after school, two weeks ahead, with mum attending."""
    day = date.today() + timedelta(days=14)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    starts = datetime(day.year, day.month, day.day, 16, 0, tzinfo=LONDON)
    s = Scheduling(client, auth)
    room = s.room(s.venue())
    s.csw("csw-1")
    arrangement = s.arrangement(date_of_birth="2017-03-14")
    r = s.book(
        arrangement_id=arrangement["id"], room_id=room["id"], csw_sub="csw-1",
        starts_at=starts.isoformat(), ends_at=(starts + timedelta(hours=1)).isoformat(),
        attendees=[arrangement["people"][0]["id"]],
    )
    assert r.status_code == 201, r.text
    return r.json()


def all_at_once(send) -> list[httpx.Response]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(TABLETS)
    answers: list[httpx.Response] = []
    lock = threading.Lock()

    def tablet(n: int) -> None:
        with httpx.Client(timeout=30) as http:
            barrier.wait()
            answer = send(http, n)
            with lock:
                answers.append(answer)

    threads = [threading.Thread(target=tablet, args=(n,)) for n in range(TABLETS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return answers


def draft(text: str) -> dict:
    return {"went_ahead": True, "observations": text}


def test_r43_the_same_request_replayed_by_flaky_tablets_writes_once(server, future_session, auth, engine):
    url = f"{server['base']}/api/v1/sessions/{future_session['id']}/record"
    headers = {**auth("csw-1", "contact_support_worker"), "Idempotency-Key": "tablet-7f3a-0001"}
    answers = all_at_once(lambda http, n: http.put(url, json=draft("Amara played happily."), headers=headers))
    assert [a.status_code for a in answers] == [201] * TABLETS
    assert len({a.content for a in answers}) == 1 and {a.headers["etag"] for a in answers} == {'"1"'}
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(SessionRecord)).scalar_one() == 1
        assert session.execute(select(func.count()).select_from(IdempotencyKey)).scalar_one() == 1


def test_r43_two_tablets_creating_the_first_draft_never_lose_or_double_it(server, future_session, auth, engine):
    url = f"{server['base']}/api/v1/sessions/{future_session['id']}/record"
    token = auth("csw-1", "contact_support_worker")
    answers = all_at_once(
        lambda http, n: http.put(url, json=draft(f"Version from tablet {n}."), headers={**token, "Idempotency-Key": f"tablet-first-{n:04d}"})
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [201] + [428] * (TABLETS - 1), codes  # the others must read and send If-Match
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(SessionRecord)).scalar_one() == 1


def test_r43_ten_updates_from_one_version_make_one_winner_and_no_lost_update(server, future_session, auth, engine):
    url = f"{server['base']}/api/v1/sessions/{future_session['id']}/record"
    token = auth("csw-1", "contact_support_worker")
    first = httpx.put(url, json=draft("Start."), headers={**token, "Idempotency-Key": "tablet-base-0001"}, timeout=30)
    assert first.status_code == 201
    answers = all_at_once(
        lambda http, n: http.put(
            url, json=draft(f"Edit {n}."), headers={**token, "Idempotency-Key": f"tablet-edit-{n:04d}", "If-Match": first.headers["etag"]}
        )
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [200] + [412] * (TABLETS - 1), codes
    winner = next(a for a in answers if a.status_code == 200)
    with Session(engine) as session:
        record = session.execute(select(SessionRecord)).scalar_one()
    assert record.version == 2 and record.fields["observations"] == winner.json()["fields"]["observations"]
    assert all(a.status_code < 500 for a in answers)

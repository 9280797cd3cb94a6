"""The worker's scheduled jobs (R-85): each job's period, once per period across workers (the
`job_run` row and, on PostgreSQL, the advisory lock), a failed run rolling back whole, and
what each job sends: the next-day report of sessions that did not go ahead (R-29), overdue
records (R-41), reviews due and overdue (R-55), the placing authority's notice (R-53a), the
purge of old idempotency keys and job rows, and missed referral deadlines (R-16)."""

from __future__ import annotations

import json
import os
from datetime import datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.core.outbox import OutboxEvent, emit
from app.jobs.models import JobRun
from app.jobs.runner import lock_id, run_if_due
from app.jobs.schedule import BY_NAME, Context, Job, daily, every
from app.records.models import IdempotencyKey
from tests.conftest import child_body
from tests.helpers import at
from tests.referrals.conftest import TEAM, Referrals
from tests.sessions.conftest import Scheduling

EVERY_DAY = [{"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(7)]
ON_POSTGRES = make_url(os.environ.get("TEST_DATABASE_URL") or "sqlite://").get_backend_name() == "postgresql"


# --- helpers -----------------------------------------------------------------------------


def run(engine, settings, job: str | Job, when: str) -> str | None:
    """Run a job as the worker does, with the clock frozen at `when`."""
    with at(when):
        return run_if_due(engine, Context.of(settings), BY_NAME[job] if isinstance(job, str) else job, "test")


def events(engine, kind: str) -> list[OutboxEvent]:
    with Session(engine) as session:
        return list(session.execute(select(OutboxEvent).where(OutboxEvent.type == kind).order_by(OutboxEvent.seq)).scalars())


def job_runs(engine) -> list[tuple[str, str, int]]:
    with Session(engine) as session:
        rows = session.execute(select(JobRun).order_by(JobRun.name, JobRun.period)).scalars()
        return [(r.name, r.period, r.result) for r in rows]


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


class ChildrenOf(Referrals):
    """The referral factory for children of one `source` allocated to one social worker."""

    def __init__(self, client, auth, source: str, social_worker: str):
        super().__init__(client, auth)
        self.source = source
        self.social_worker = social_worker

    def sw(self, sub: str | None = None) -> dict[str, str]:
        return self.auth(sub or self.social_worker, "social_worker", team=TEAM)

    def child(self, key: str = "123456", **overrides):
        body = child_body(social_worker_sub=self.social_worker, **overrides)
        child = self.client.put(f"/api/v1/children/{self.source}/{key}", json=body, headers=self.sw())
        assert child.status_code == 201, child.text
        people = []
        for first, relationship in (("Grace", "mum"), ("Sam", "dad")):
            person = self.client.post(
                f"/api/v1/children/{child.json()['id']}/people",
                json={"first_name": first, "last_name": "Okafor", "relationship": relationship}, headers=self.sw(),
            )
            assert person.status_code == 201, person.text
            people.append(person.json())
        return child.json(), people


def arrangement_of(client, auth, source: str, social_worker: str, key: str) -> dict:
    s = Scheduling(client, auth)
    s.referrals = ChildrenOf(client, auth, source, social_worker)
    return s.arrangement(key=key)


def book(s: Scheduling, arrangement: dict, room: dict, csw: str, starts: str, ends: str) -> dict:
    r = s.book(arrangement_id=arrangement["id"], room_id=room["id"], csw_sub=csw, starts_at=starts, ends_at=ends)
    assert r.status_code == 201, r.text
    return r.json()


def cancel(client, auth, session: dict, cancelled_by: str, when: str) -> None:
    with at(when):
        r = client.post(
            f"/api/v1/sessions/{session['id']}/cancel", json={"reason": "Phoned to say unwell today.", "cancelled_by": cancelled_by},
            headers=auth("tl-1", "team_leader"),
        )
    assert r.status_code == 200, r.text


def record(client, auth, session: dict, when: str, *, submit: bool = True, key: str = "key-00000001", **fields) -> None:
    """The session's CSW saves the record as a draft and, with `submit`, submits it."""
    body = {"went_ahead": True, "observations": "They played a board game together.", **fields}
    with at(when):
        csw = auth(session["csw_sub"], "contact_support_worker")
        saved = client.put(f"/api/v1/sessions/{session['id']}/record", json=body, headers={**csw, "Idempotency-Key": key})
        assert saved.status_code == 201, saved.text
        if submit:
            done = client.post(f"/api/v1/sessions/{session['id']}/record/submit", headers={**csw, "If-Match": saved.headers["etag"]})
            assert done.status_code == 200, done.text


def venue_with_rooms(s: Scheduling) -> tuple[dict, dict]:
    venue = s.venue(opening_hours=EVERY_DAY)
    s.csw("csw-1")
    s.csw("csw-2")
    return s.room(venue), s.room(venue, name="Blue room")


# --- 1. periods (pure) ---------------------------------------------------------------------


def test_r85_every_names_the_utc_minute_rounded_down_to_its_step_in_gmt_and_bst(settings):
    context = Context.of(settings)
    winter = datetime.fromisoformat("2026-11-30T09:17:42+00:00")
    summer = datetime.fromisoformat("2026-07-01T08:17:42+00:00")  # 09:17 BST
    assert [every(n)(winter, context) for n in (1, 10, 60)] == ["2026-11-30T09:17Z", "2026-11-30T09:10Z", "2026-11-30T09:00Z"]
    assert [every(n)(summer, context) for n in (1, 10, 60)] == ["2026-07-01T08:17Z", "2026-07-01T08:10Z", "2026-07-01T08:00Z"]


def test_r85_daily_is_the_local_date(settings):
    context = Context.of(settings)
    assert daily(datetime.fromisoformat("2026-11-30T23:30:00+00:00"), context) == "2026-11-30"  # GMT: still Monday
    assert daily(datetime.fromisoformat("2026-07-01T23:30:00+00:00"), context) == "2026-07-02"  # 00:30 BST on Thursday


@pytest.mark.parametrize(
    ("instant", "period"),
    [
        ("2026-11-28T10:00:00+00:00", None),  # Saturday
        ("2026-11-29T10:00:00+00:00", None),  # Sunday
        ("2026-12-25T10:00:00+00:00", None),  # Christmas Day, a Friday
        ("2026-12-28T10:00:00+00:00", None),  # Monday: Boxing Day's substitute bank holiday
        ("2026-11-30T08:59:59+00:00", None),  # Monday before 09:00 GMT
        ("2026-11-30T09:00:00+00:00", "2026-11-30"),
        ("2026-11-30T17:30:00+00:00", "2026-11-30"),
        ("2026-12-29T09:00:00+00:00", "2026-12-29"),  # the first working day after Christmas
        ("2026-06-01T07:59:00+00:00", None),  # 08:59 BST
        ("2026-06-01T08:00:00+00:00", "2026-06-01"),  # 09:00 BST
        ("2026-06-01T23:30:00+00:00", None),  # 00:30 BST on Tuesday: before Tuesday's 09:00
        ("2026-05-25T10:00:00+00:00", None),  # spring bank holiday
    ],
)
def test_r85_r29_the_not_held_report_is_due_on_working_days_from_0900_london(settings, instant, period):
    assert BY_NAME["not-held-report"].period(datetime.fromisoformat(instant), Context.of(settings)) == period


def test_r85_the_two_hours_that_read_0100_when_bst_ends_are_two_periods(settings):
    context = Context.of(settings)
    first = datetime.fromisoformat("2026-10-25T00:30:00+00:00")  # 01:30 BST
    second = datetime.fromisoformat("2026-10-25T01:30:00+00:00")  # 01:30 GMT, an hour later
    assert every(60)(first, context) != every(60)(second, context)


# --- 2. once per period, and a failed run --------------------------------------------------


def test_r85_a_job_runs_once_per_period_and_again_in_the_next(engine, settings):
    calls: list[datetime] = []

    def count_calls(_session, _context, now):
        calls.append(now)
        return len(calls)

    job = Job(name="test-job", period=every(1), run=count_calls, what="counts its runs")
    assert run(engine, settings, job, "2026-11-30T09:00:05+00:00") == "2026-11-30T09:00Z"
    assert run(engine, settings, job, "2026-11-30T09:00:55+00:00") == "2026-11-30T09:00Z"  # settled: not run again
    assert len(calls) == 1
    assert job_runs(engine) == [("test-job", "2026-11-30T09:00Z", 1)]
    assert run(engine, settings, job, "2026-11-30T09:01:00+00:00") == "2026-11-30T09:01Z"
    assert len(calls) == 2
    assert job_runs(engine) == [("test-job", "2026-11-30T09:00Z", 1), ("test-job", "2026-11-30T09:01Z", 2)]
    with Session(engine) as session:
        row = session.get(JobRun, ("test-job", "2026-11-30T09:01Z"))
        assert row is not None and row.worker == "test"


def test_r85_a_job_that_fails_rolls_back_whole_and_runs_on_the_next_call(engine, settings):
    calls: list[datetime] = []

    def flaky(session, _context, now):
        calls.append(now)
        session.add(JobRun(name="written-by-the-job", period=str(len(calls)), started_at=now, finished_at=now, worker="job"))
        emit(session, "venue.created", "written-by-the-job", {"attempt": len(calls)})
        session.flush()
        if len(calls) == 1:
            raise RuntimeError("the job broke half way")
        return 7

    job = Job(name="flaky-job", period=every(1), run=flaky, what="fails once")
    with pytest.raises(RuntimeError):
        run(engine, settings, job, "2026-11-30T09:00:05+00:00")
    assert job_runs(engine) == [] and events(engine, "venue.created") == []
    assert run(engine, settings, job, "2026-11-30T09:00:30+00:00") == "2026-11-30T09:00Z"  # same minute: tried again
    assert len(calls) == 2
    assert job_runs(engine) == [("flaky-job", "2026-11-30T09:00Z", 7), ("written-by-the-job", "2", 0)]
    assert [e.data for e in events(engine, "venue.created")] == [{"attempt": 2}]


# --- 3. the advisory lock (PostgreSQL) -------------------------------------------------------


@pytest.mark.skipif(not ON_POSTGRES, reason="advisory locks are PostgreSQL's; on SQLite the write transaction is exclusive")
def test_r85_a_worker_skips_a_job_whose_advisory_lock_another_holds(engine, settings):
    calls: list[datetime] = []
    job = Job(name="test-job", period=every(1), run=lambda _s, _c, now: calls.append(now) or 1, what="counts its runs")
    with engine.connect() as other:
        other.execute(text("SELECT pg_advisory_lock(:id)"), {"id": lock_id("test-job")})
        assert run(engine, settings, job, "2026-11-30T09:00:05+00:00") is None
        assert calls == [] and job_runs(engine) == []
        other.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": lock_id("test-job")})
        other.commit()
    assert run(engine, settings, job, "2026-11-30T09:00:10+00:00") == "2026-11-30T09:00Z"
    assert len(calls) == 1 and job_runs(engine) == [("test-job", "2026-11-30T09:00Z", 1)]


# --- 4. R-29: the next-day report of sessions that did not go ahead --------------------------


@pytest.fixture
def weekend(client, auth):
    """Children of sw-1 (framework A, mosaic B) and sw-2 (framework C, mosaic D), their
    sessions from Thursday 2026-11-26 to Monday 2026-11-30, cancelled, recorded or held."""
    s = Scheduling(client, auth)
    with at("2026-11-23T09:00:00+00:00"):
        room, room2 = venue_with_rooms(s)
        a = arrangement_of(client, auth, "framework", "sw-1", "r29-a")
        b = arrangement_of(client, auth, "mosaic", "sw-1", "r29-b")
        c = arrangement_of(client, auth, "framework", "sw-2", "r29-c")
        d = arrangement_of(client, auth, "mosaic", "sw-2", "r29-d")
        sessions = {
            "a_thu": book(s, a, room, "csw-1", "2026-11-26T16:00:00Z", "2026-11-26T17:00:00Z"),
            "a_fri": book(s, a, room, "csw-1", "2026-11-27T16:00:00Z", "2026-11-27T17:00:00Z"),
            "a_sat": book(s, a, room, "csw-1", "2026-11-28T10:00:00Z", "2026-11-28T11:00:00Z"),
            "a_mon": book(s, a, room, "csw-1", "2026-11-30T16:00:00Z", "2026-11-30T17:00:00Z"),
            "b_sat": book(s, b, room, "csw-1", "2026-11-28T12:00:00Z", "2026-11-28T13:00:00Z"),
            "c_fri": book(s, c, room2, "csw-2", "2026-11-27T16:00:00Z", "2026-11-27T17:00:00Z"),
            "c_sun": book(s, c, room2, "csw-2", "2026-11-29T10:00:00Z", "2026-11-29T11:00:00Z"),
            "d_sat": book(s, d, room2, "csw-2", "2026-11-28T14:00:00Z", "2026-11-28T15:00:00Z"),
            "d_sun": book(s, d, room2, "csw-2", "2026-11-29T12:00:00Z", "2026-11-29T13:00:00Z"),  # never recorded
        }
    cancel(client, auth, sessions["a_thu"], "parent", "2026-11-26T10:00:00+00:00")  # Friday's report, not Monday's
    cancel(client, auth, sessions["a_fri"], "parent", "2026-11-27T10:00:00+00:00")
    cancel(client, auth, sessions["a_mon"], "social_worker", "2026-11-28T09:00:00+00:00")  # Tuesday's report
    cancel(client, auth, sessions["c_sun"], "carer", "2026-11-29T10:30:00+00:00")  # after it was due to start
    not_ahead = {"went_ahead": False, "observations": "Waited for thirty minutes and nobody came."}
    record(client, auth, sessions["a_sat"], "2026-11-28T11:30:00+00:00")
    record(client, auth, sessions["b_sat"], "2026-11-28T13:30:00+00:00", **not_ahead, not_ahead_reason="parent_did_not_attend")
    record(client, auth, sessions["c_fri"], "2026-11-27T17:30:00+00:00", **not_ahead, not_ahead_reason="child_unwell")
    record(client, auth, sessions["d_sat"], "2026-11-28T15:30:00+00:00")
    return {"sessions": sessions, "children": {k: v["child"]["id"] for k, v in zip("abcd", (a, b, c, d))}}


def listed(session: dict, outcome: str, cancelled_by: str | None = None, reason: str | None = None) -> dict:
    return {
        "session_id": session["id"], "arrangement_id": session["arrangement_id"], "child_id": session["child_id"],
        "starts_at": datetime.fromisoformat(session["starts_at"]), "outcome": outcome, "cancelled_by": cancelled_by,
        "not_ahead_reason": reason,
    }


def entries(data: dict) -> list[dict]:
    return [{**item, "starts_at": datetime.fromisoformat(item["starts_at"])} for item in data["sessions"]]


def test_r29_r85_mondays_report_lists_each_social_workers_sessions_that_did_not_go_ahead_by_source(client, auth, engine, settings, weekend):
    s = weekend["sessions"]
    assert run(engine, settings, "not-held-report", "2026-11-30T08:59:00+00:00") is None
    assert events(engine, "sessions.not_held_report") == []
    assert run(engine, settings, "not-held-report", "2026-11-30T09:00:00+00:00") == "2026-11-30"
    reports = events(engine, "sessions.not_held_report")
    by_key = {(e.subject_id, e.source): e for e in reports}
    assert sorted(by_key) == [("sw-1", "framework"), ("sw-1", "mosaic"), ("sw-2", "framework")]  # not (sw-2, mosaic): D's went ahead
    assert all(e.child_id is None for e in reports)
    assert entries(by_key["sw-1", "framework"].data) == [listed(s["a_fri"], "cancelled", cancelled_by="parent")]
    assert entries(by_key["sw-1", "mosaic"].data) == [listed(s["b_sat"], "did_not_go_ahead", reason="parent_did_not_attend")]
    assert entries(by_key["sw-2", "framework"].data) == [
        listed(s["c_fri"], "did_not_go_ahead", reason="child_unwell"),
        listed(s["c_sun"], "cancelled", cancelled_by="carer"),
    ]
    first = by_key["sw-1", "framework"].data
    assert (first["social_worker_sub"], first["report_date"], first["covers_from"], first["covers_to"]) == (
        "sw-1", "2026-11-30", "2026-11-27", "2026-11-29",
    )
    assert set(first["notify"]) == {"social_worker", "carer"}
    text_sent = json.dumps([e.data for e in reports])
    assert "unwell today" not in text_sent and "thirty minutes" not in text_sent and "board game" not in text_sent
    assert job_runs(engine) == [("not-held-report", "2026-11-30", 3)]

    with at("2026-11-30T09:30:00+00:00"):
        framework = client.get("/api/v1/events", params={"type": "sessions.not_held_report"}, headers=auth("fw", "integration"))
        mosaic = client.get("/api/v1/events", params={"type": "sessions.not_held_report"}, headers=auth("mosaic-prod", "integration"))
    assert framework.status_code == 200 and mosaic.status_code == 200
    assert sorted(i["subject_id"] for i in framework.json()["items"]) == ["sw-1", "sw-2"]
    assert {i["id"] for i in framework.json()["items"]} == {str(by_key[k].id) for k in (("sw-1", "framework"), ("sw-2", "framework"))}
    assert [i["id"] for i in mosaic.json()["items"]] == [str(by_key["sw-1", "mosaic"].id)]

    assert run(engine, settings, "not-held-report", "2026-11-30T11:00:00+00:00") == "2026-11-30"
    assert len(events(engine, "sessions.not_held_report")) == 3  # nothing new the same day


def test_r29_tuesdays_report_covers_monday_only(client, auth, engine, settings, weekend):
    s = weekend["sessions"]
    assert run(engine, settings, "not-held-report", "2026-11-30T09:00:00+00:00") == "2026-11-30"
    before = len(events(engine, "sessions.not_held_report"))
    assert run(engine, settings, "not-held-report", "2026-12-01T09:00:00+00:00") == "2026-12-01"
    [tuesday] = events(engine, "sessions.not_held_report")[before:]
    assert (tuesday.subject_id, tuesday.source) == ("sw-1", "framework")
    assert (tuesday.data["covers_from"], tuesday.data["covers_to"]) == ("2026-11-30", "2026-11-30")
    assert entries(tuesday.data) == [listed(s["a_mon"], "cancelled", cancelled_by="social_worker")]


# --- 5. R-41: records overdue ---------------------------------------------------------------


def test_r41_r85_a_session_without_a_submitted_record_24_hours_after_it_ended_is_announced_once(client, auth, engine, settings):
    s = Scheduling(client, auth)
    with at("2026-11-23T09:00:00+00:00"):
        room, room2 = venue_with_rooms(s)
        arrangement = s.arrangement(key="r41")
        missing = book(s, arrangement, room, "csw-1", "2026-11-24T16:00:00Z", "2026-11-24T17:00:00Z")
        submitted = book(s, arrangement, room, "csw-1", "2026-11-24T17:15:00Z", "2026-11-24T18:00:00Z")
        drafted = book(s, arrangement, room2, "csw-2", "2026-11-24T18:15:00Z", "2026-11-24T19:00:00Z")
    record(client, auth, submitted, "2026-11-24T18:30:00+00:00")
    record(client, auth, drafted, "2026-11-24T19:10:00+00:00", submit=False)

    assert run(engine, settings, "records-overdue", "2026-11-25T16:55:00+00:00") == "2026-11-25T16:50Z"
    assert events(engine, "record.overdue") == []  # the first is due at 17:00
    assert run(engine, settings, "records-overdue", "2026-11-25T17:05:00+00:00") == "2026-11-25T17:00Z"
    assert [e.subject_id for e in events(engine, "record.overdue")] == [missing["id"]]
    assert run(engine, settings, "records-overdue", "2026-11-26T09:00:00+00:00") == "2026-11-26T09:00Z"
    assert run(engine, settings, "records-overdue", "2026-11-26T09:10:00+00:00") == "2026-11-26T09:10Z"
    overdue = events(engine, "record.overdue")
    assert [e.subject_id for e in overdue] == [missing["id"], drafted["id"]]  # each once; never the submitted one
    assert overdue[0].data["due_at"] == "2026-11-25T17:00:00Z" and overdue[0].data["csw_sub"] == "csw-1"
    assert [r[2] for r in job_runs(engine)] == [0, 1, 1, 0]


# --- 6. R-55: reviews due and overdue -------------------------------------------------------


def test_r55_r85_a_review_is_announced_once_a_week_before_it_is_due_and_once_when_overdue(client, auth, engine, settings):
    with at("2026-11-30T09:00:00+00:00"):
        arrangement = Scheduling(client, auth).arrangement(key="r55")  # supervised review due 2027-01-11
    assert run(engine, settings, "reviews", "2027-01-03T12:00:00+00:00") == "2027-01-03"
    assert events(engine, "review.due") == []
    for day in ("2027-01-04", "2027-01-05", "2027-01-11"):
        assert run(engine, settings, "reviews", f"{day}T12:00:00+00:00") == day
    [due] = events(engine, "review.due")
    assert (due.data["arrangement_id"], due.data["kind"], due.data["due_on"]) == (arrangement["id"], "supervised", "2027-01-11")
    assert events(engine, "review.overdue") == []
    for day in ("2027-01-12", "2027-01-13"):
        assert run(engine, settings, "reviews", f"{day}T12:00:00+00:00") == day
    [overdue] = events(engine, "review.overdue")
    assert (overdue.data["arrangement_id"], overdue.data["kind"], overdue.data["due_on"]) == (arrangement["id"], "supervised", "2027-01-11")
    assert len(events(engine, "review.due")) == 1


# --- 7. R-53a: the placing authority's notice -------------------------------------------------


def test_r53a_r85_an_emergency_restriction_without_the_placing_authoritys_notice_is_flagged_once_after_24_hours(client, auth, engine, settings):
    s = Scheduling(client, auth)
    with at("2026-11-30T09:00:00+00:00"):
        tl = auth("tl-1", "team_leader")
        made = {}
        for key in ("r53a-untold", "r53a-told"):
            arrangement = s.arrangement(key=key)
            r = client.post(
                f"/api/v1/arrangements/{arrangement['id']}/restrictions", headers=tl,
                json={"kind": "suspend", "reason": "Concerns are being assessed.", "starts_on": "2026-11-30", "emergency": True},
            )
            assert r.status_code == 201, r.text
            made[key] = r.json()
    with at("2026-11-30T14:30:00+00:00"):
        told = client.post(
            f"/api/v1/restrictions/{made['r53a-told']['id']}/notices", headers=auth("tl-1", "team_leader"),
            json={"recipient": "placing_authority", "sent_at": "2026-11-30T14:00:00Z", "method": "email"},
        )
    assert told.status_code == 201, told.text
    assert run(engine, settings, "notification-flags", "2026-12-01T08:55:00+00:00") == "2026-12-01T08:50Z"
    assert events(engine, "restriction.placing_authority_overdue") == []  # due at 09:00
    assert run(engine, settings, "notification-flags", "2026-12-01T09:05:00+00:00") == "2026-12-01T09:00Z"
    assert run(engine, settings, "notification-flags", "2026-12-01T09:15:00+00:00") == "2026-12-01T09:10Z"
    [flag] = events(engine, "restriction.placing_authority_overdue")
    assert flag.subject_id == made["r53a-untold"]["id"]
    assert flag.data["notify_by"] == "2026-12-01T09:00:00Z"


# --- 8. the purge ---------------------------------------------------------------------------


def test_r43_r85_purge_removes_idempotency_keys_and_job_runs_over_a_week_old(client, auth, engine, settings):
    s = Scheduling(client, auth)
    with at("2026-11-23T09:00:00+00:00"):
        room, _ = venue_with_rooms(s)
        session = book(s, s.arrangement(key="purge"), room, "csw-1", "2026-11-24T16:00:00Z", "2026-11-24T17:00:00Z")
    record(client, auth, session, "2026-11-24T16:30:00+00:00", submit=False, key="key-old-0001")
    with at("2026-11-28T10:00:00+00:00"):
        newer = client.put(
            f"/api/v1/sessions/{session['id']}/record", json={"went_ahead": True, "observations": "Second save."},
            headers={**auth("csw-1", "contact_support_worker"), "Idempotency-Key": "key-new-0002", "If-Match": '"1"'},
        )
    assert newer.status_code == 200, newer.text
    tick = Job(name="tick", period=daily, run=lambda _s, _c, _n: 0, what="leaves a job_run row")
    run(engine, settings, tick, "2026-11-24T12:00:00+00:00")
    run(engine, settings, tick, "2026-11-30T12:00:00+00:00")

    assert run(engine, settings, "purge", "2026-12-01T17:00:00+00:00") == "2026-12-01"
    with Session(engine) as db:
        assert sorted(db.execute(select(IdempotencyKey.key)).scalars()) == ["key-new-0002"]
    assert job_runs(engine) == [("purge", "2026-12-01", 1), ("tick", "2026-11-30", 0)]


# --- 9. R-16: missed referral deadlines -------------------------------------------------------


def test_r16_r85_the_deadline_sweep_announces_a_missed_decision_deadline_once(client, auth, engine, settings):
    referrals = Referrals(client, auth)
    with at("2026-11-23T09:30:00+00:00"):
        late = referrals.submitted()
        child, people = referrals.child(key="decided")
        decided = referrals.draft(child, people)
        client.post(f"/api/v1/referrals/{decided['id']}/approval", headers=referrals.tm())
        client.post(f"/api/v1/referrals/{decided['id']}/submit", headers=referrals.sw())
        assert referrals.decide(decided, outcome="accepted_core").status_code == 200
    assert run(engine, settings, "deadline-sweep", "2026-11-30T23:59:00+00:00") == "2026-11-30T23:59Z"
    assert events(engine, "referral.decision_overdue") == []  # due by the end of Monday
    assert run(engine, settings, "deadline-sweep", "2026-12-01T00:00:00+00:00") == "2026-12-01T00:00Z"
    assert run(engine, settings, "deadline-sweep", "2026-12-01T00:01:00+00:00") == "2026-12-01T00:01Z"
    [overdue] = events(engine, "referral.decision_overdue")
    assert overdue.subject_id == late["id"]
    assert overdue.data["due_at"] == "2026-11-30T23:59:59.999Z"
    assert [r[2] for r in job_runs(engine)] == [0, 1, 0]

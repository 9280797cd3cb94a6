"""Availability search (R-27) and booking throughput over HTTP, against PostgreSQL.

What it measures, on the real application (`uvicorn --factory app.main:create_app`, one
worker) and a PostgreSQL database holding one area with three venues (30 rooms in all),
20 contact support workers with working hours and daily caps, 900 children with active
arrangements, and 5,000 booked sessions packed into the coming 8 weeks the way a rota fills
up (no overlaps in a room, for a CSW or for a child, so the exclusion constraints hold):

1. Latency of `GET /api/v1/availability` for one venue (12 rooms) over the whole 8 weeks,
   from one httpx client with keep-alive, over a mix of searches: every CSW or one CSW,
   with or without an arrangement (its child must be free too; school hours for a
   school-age child), durations of 60 to 480 minutes, a page of 50 or 500, and a second
   page by `next_cursor`. A 480-minute search for one CSW finds nearly nothing, so it
   walks all 8 weeks: the worst case. Target: p95 under 200 ms.
2. Bookings per second with 20 concurrent clients (threads, one httpx client each) booking
   distinct free slots with `POST /api/v1/sessions` as a team leader. Each client books for
   its own CSW and its own children; the slots are found beforehand with the availability
   search (not timed) and chosen so that no two clients' slots share a room or a CSW at
   overlapping times; `override_reason` is sent because a client books many sessions a day
   for its CSW, past the daily cap. Bounded by a count per client and a time limit. Prints
   bookings/s and the count of 201, 409 and other answers (every offered slot should book).

How to run (from the repository root, PostgreSQL on 127.0.0.1:5432, user postgres):

    .venv/bin/python bench/availability.py
    .venv/bin/python bench/availability.py --rounds 40 --clients 20 --per-client 40 --seed 7

It creates a scratch database (`bench_availability_<pid>` unless `--database-url` names
another, which must not exist yet), migrates it with `app.cli.migrate`, bulk-loads it with
SQLAlchemy Core, starts the server on a free port of 127.0.0.1, measures, then stops the
server and drops the scratch database (`DROP DATABASE ... WITH (FORCE)`) whatever happened.
Only loopback addresses are contacted. Exit code 0 whether or not the target is met (it is
a measurement, not a test); non-zero when something fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Python puts this folder first on sys.path, where bench/queue.py would shadow the standard
# library's `queue` (psycopg, httpx and uvicorn import it): move the folder to the very end,
# behind the standard library, where `harness` is still found.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]

# bench/harness.py, the scaffolding both benchmarks share. Importing it first also puts the
# repository root on sys.path, so `app` imports.
from harness import BATCH, REQUEST_TIMEOUT_SECONDS, BenchError, Scratch, add_database_options, batches, database_url, percentile, run, signed_agreement, timed_get  # noqa: E402, I001

import argparse  # noqa: E402
import random  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402
from datetime import time as clock_time  # noqa: E402
from typing import Any  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import httpx  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from app.agreements.models import Agreement  # noqa: E402
from app.arrangements.models import Arrangement, ArrangementStatus  # noqa: E402
from app.calendar.deadlines import working_calendar  # noqa: E402
from app.children.models import Child, LegalStatus, PlacementType  # noqa: E402
from app.core.config import Settings  # noqa: E402
from app.referrals.models import FrequencyPer, Level, Outcome, Referral, ReferralStatus  # noqa: E402
from app.sessions.models import ContactSession, SessionStatus  # noqa: E402
from app.venues.models import Room, Staff, StaffRole, Venue  # noqa: E402

TARGET_P95_MS = 200.0
AVAILABILITY = "/api/v1/availability"
SESSIONS = "/api/v1/sessions"
AREA = "north"
WEEKS = 8

WEEKDAYS = range(5)


def hours(days: Any, opens: str, closes: str) -> list[dict[str, Any]]:
    return [{"weekday": d, "opens": opens, "closes": closes} for d in days]


# (name, rooms, opening hours): 30 rooms. The first is the one searched; it opens at weekends.
VENUES = (
    ("Mansfield Contact Centre", 12, hours(WEEKDAYS, "08:30", "19:00") + hours([5], "09:00", "17:00") + hours([6], "10:00", "16:00")),
    ("Arnold Family Centre", 10, hours(WEEKDAYS, "08:30", "19:00") + hours([5], "09:00", "13:00")),
    ("Hucknall Contact Rooms", 8, hours(WEEKDAYS, "08:30", "19:00")),
)
# Working patterns of the 20 CSWs, in turn.
PATTERNS = (
    hours(WEEKDAYS, "08:00", "19:30") + hours([5], "09:00", "17:00"),
    hours(WEEKDAYS, "08:30", "18:30") + hours([5], "09:00", "13:00"),
    hours(WEEKDAYS, "08:30", "17:30") + hours([6], "10:00", "16:00"),
    hours([1, 2, 3, 4], "10:00", "19:00") + hours([5], "09:00", "17:00") + hours([6], "10:00", "16:00"),
)


# --------------------------------------------------------------------------- helpers


def minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def z(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --------------------------------------------------------------------------- data


@dataclass
class Data:
    venues: list[dict[str, Any]] = field(default_factory=list)
    rooms: list[dict[str, Any]] = field(default_factory=list)
    staff: list[dict[str, Any]] = field(default_factory=list)
    children: list[dict[str, Any]] = field(default_factory=list)
    referrals: list[dict[str, Any]] = field(default_factory=list)
    arrangements: list[dict[str, Any]] = field(default_factory=list)
    agreements: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    booking_arrangements: list[uuid.UUID] = field(default_factory=list)  # fresh young children, for phase 2
    school_age_arrangements: list[uuid.UUID] = field(default_factory=list)
    csw_days: int = 0
    csw_days_at_cap: int = 0


class Generator:
    """Venues, rooms, CSWs, children with arrangements, and a packed rota, from one seeded RNG."""

    def __init__(self, settings: Settings, seed: int, now: datetime, *, daily_cap: int, n_sessions: int, n_children: int, n_booking_children: int):
        self.rng = random.Random(seed)
        self.settings = settings
        self.zone: ZoneInfo = working_calendar(settings).zone
        self.now = now
        self.daily_cap = daily_cap
        self.n_sessions = n_sessions
        self.n_children = n_children
        self.n_booking_children = n_booking_children
        first = working_calendar(settings).local_date(now) + timedelta(days=1)
        self.days = [first + timedelta(days=i) for i in range(WEEKS * 7)]

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def at(self, day: date, minute: int) -> datetime:
        return datetime.combine(day, clock_time(minute // 60, minute % 60), tzinfo=self.zone).astimezone(UTC)

    def build(self) -> Data:
        data = Data()
        now = self.now
        for name, n_rooms, opening in VENUES:
            venue = Venue(id=self.uuid(), name=name, area=AREA, opening_hours=opening, created_at=now)
            data.venues.append(venue.model_dump())
            for i in range(n_rooms):
                young = i % 4 == 0
                room = Room(
                    id=self.uuid(), venue_id=venue.id, name=f"{name.split()[0]} room {i + 1}", capacity=self.rng.choice((4, 6, 8)),
                    min_age=0, max_age=11 if young else 18, accessible=i % 3 == 0, outdoor_space=i % 5 == 0, created_at=now,
                )
                data.rooms.append(room.model_dump())
        for i in range(20):
            staff = Staff(
                sub=f"csw-{i + 1:02d}", name=f"Worker {i + 1}", role=StaffRole.contact_support_worker, area=AREA,
                working_hours=PATTERNS[i % len(PATTERNS)], daily_cap=self.daily_cap, updated_at=now,
            )
            data.staff.append(staff.model_dump())
        data.staff.append(
            Staff(sub="tl-bench", name="Team Leader", role=StaffRole.team_leader, area=AREA, working_hours=[], daily_cap=3, updated_at=now).model_dump()
        )
        for i in range(self.n_children + self.n_booking_children):
            booking = i >= self.n_children
            years = self.rng.uniform(2, 4) if booking else self.rng.uniform(1, 16)
            child = Child(
                id=self.uuid(), source="framework", external_id=f"B{i:06d}", first_name="Amara", last_name="Okafor",
                date_of_birth=(now - timedelta(days=365.25 * years)).date(), legal_status=LegalStatus.interim_care_order,
                court_arena=self.rng.random() < 0.4, placement_type=PlacementType.foster, placement_address=None,
                social_worker_sub=f"sw-{self.rng.randint(1, 60):03d}", team=f"{AREA}-1", area=AREA, created_at=now, updated_at=now,
            )
            referral = Referral(
                id=self.uuid(), child_id=child.id, social_worker_sub=child.social_worker_sub, team=child.team, area=AREA,
                status=ReferralStatus.decided, version=4, purposes=["relationships"], level=Level.supervised, frequency_times=1,
                frequency_per=FrequencyPer.week, duration_minutes=90, risk_assessment={"factors": []}, court_arena=child.court_arena,
                priority=2 if child.court_arena else 3, created_at=now - timedelta(days=20), updated_at=now - timedelta(days=10),
                approved_by="tm-0001", approved_at=now - timedelta(days=19), submitted_by=child.social_worker_sub,
                received_at=now - timedelta(days=18), decision_due_at=now - timedelta(days=11), outcome=Outcome.accepted_core,
                decided_at=now - timedelta(days=10), decided_by="tl-bench", notified_at=now - timedelta(days=10),
            )
            arrangement = Arrangement(
                id=self.uuid(), referral_id=referral.id, child_id=child.id, area=AREA, status=ArrangementStatus.active,
                basis=Outcome.accepted_core, level=Level.supervised, court_arena=child.court_arena, opened_at=now - timedelta(days=10),
            )
            data.children.append(child.model_dump())
            data.referrals.append(referral.model_dump())
            data.arrangements.append(arrangement.model_dump())
            data.agreements.append(signed_agreement(arrangement, now))
            if booking:
                data.booking_arrangements.append(arrangement.id)
            elif 6 <= years <= 15:
                data.school_age_arrangements.append(arrangement.id)
        self.rota(data)
        return data

    def rota(self, data: Data) -> None:
        """Pack each CSW's working days with sessions (60-120 minutes, short gaps, up to the
        cap), each in a random free room of a venue open then and for a random free child;
        then drop sessions at random down to the number wanted."""
        rng = self.rng
        venue_hours = {
            v["id"]: {w["weekday"]: (minutes(w["opens"]), minutes(w["closes"])) for w in v["opening_hours"]} for v in data.venues
        }
        rooms = [(r["id"], r["venue_id"]) for r in data.rooms]
        children = [a for a in data.arrangements if a["id"] not in set(data.booking_arrangements)]
        room_busy: dict[tuple[uuid.UUID, date], list[tuple[int, int]]] = {}
        child_busy: dict[tuple[uuid.UUID, date], list[tuple[int, int]]] = {}

        def free(busy: list[tuple[int, int]], start: int, end: int) -> bool:
            return all(e <= start or end <= s for s, e in busy)

        sessions = []
        for day in self.days:
            weekday = day.weekday()
            for staff in data.staff:
                if staff["role"] != StaffRole.contact_support_worker:
                    continue
                window = next(((minutes(w["opens"]), minutes(w["closes"])) for w in staff["working_hours"] if w["weekday"] == weekday), None)
                if window is None:
                    continue
                data.csw_days += 1
                t = window[0] + rng.choice((0, 0, 15, 30, 60))
                count = 0
                while count < staff["daily_cap"]:
                    length = rng.choice((60, 60, 60, 90, 90, 120))
                    start, end = t, t + length
                    if end > window[1]:
                        break
                    order = rng.sample(rooms, len(rooms))
                    room = next(
                        (
                            (room_id, venue_id)
                            for room_id, venue_id in order
                            if weekday in venue_hours[venue_id]
                            and venue_hours[venue_id][weekday][0] <= start
                            and end <= venue_hours[venue_id][weekday][1]
                            and free(room_busy.get((room_id, day), []), start, end)
                        ),
                        None,
                    )
                    arrangement = None
                    if room is not None:
                        for candidate in rng.sample(children, 20):
                            if free(child_busy.get((candidate["child_id"], day), []), start, end):
                                arrangement = candidate
                                break
                    if room is None or arrangement is None:
                        t += 15
                        continue
                    room_busy.setdefault((room[0], day), []).append((start, end))
                    child_busy.setdefault((arrangement["child_id"], day), []).append((start, end))
                    sessions.append((day, start, end, room, staff["sub"], arrangement))
                    count += 1
                    t = end + rng.choice((0, 0, 0, 15, 15, 30, 45))
        if len(sessions) < self.n_sessions:
            raise BenchError(f"the rota only holds {len(sessions)} sessions; raise --daily-cap")
        kept = rng.sample(sessions, self.n_sessions)
        per_csw_day = Counter((day, sub) for day, _s, _e, _r, sub, _a in kept)
        data.csw_days_at_cap = sum(1 for n in per_csw_day.values() if n >= self.daily_cap)
        created = self.now - timedelta(days=5)
        for day, start, end, (room_id, venue_id), sub, arrangement in sorted(kept, key=lambda s: (s[0], s[1])):
            row = ContactSession(
                id=self.uuid(), arrangement_id=arrangement["id"], child_id=arrangement["child_id"], room_id=room_id, venue_id=venue_id,
                csw_sub=sub, starts_at=self.at(day, start), ends_at=self.at(day, end), status=SessionStatus.booked,
                created_at=created, created_by="tl-bench", updated_at=created,
            )
            data.sessions.append(row.model_dump())


def load(engine: Engine, data: Data) -> None:
    with engine.begin() as conn:
        for model, rows in (
            (Staff, data.staff),
            (Venue, data.venues),
            (Room, data.rooms),
            (Child, data.children),
            (Referral, data.referrals),
            (Arrangement, data.arrangements),
            (Agreement, data.agreements),
            (ContactSession, data.sessions),
        ):
            for chunk in batches(rows, BATCH):
                conn.execute(model.__table__.insert(), chunk)  # type: ignore[attr-defined]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))


# --------------------------------------------------------------------------- phase 1: search latency


def scenarios(data: Data, rng: random.Random) -> list[tuple[str, Any]]:
    """(name, a function giving the next request's params): one venue, the whole 8 weeks."""
    venue_id = str(data.venues[0]["id"])
    subs = [s["sub"] for s in data.staff if s["role"] == StaffRole.contact_support_worker]
    school = [str(a) for a in data.school_age_arrangements]
    base = {"venue_id": venue_id}
    return [
        ("all CSWs, 60 min", lambda: {**base, "duration_minutes": 60}),
        ("all CSWs, 90 min, limit 500", lambda: {**base, "duration_minutes": 90, "limit": 500}),
        ("all CSWs, 90 min, school-age child", lambda: {**base, "duration_minutes": 90, "arrangement_id": rng.choice(school)}),
        ("one CSW, 60-120 min", lambda: {**base, "duration_minutes": rng.choice((60, 90, 120)), "csw_sub": rng.choice(subs)}),
        (
            "one CSW + child, 120 min",
            lambda: {**base, "duration_minutes": 120, "csw_sub": rng.choice(subs), "arrangement_id": rng.choice(school)},
        ),
        ("one CSW, 480 min (walks 8 weeks)", lambda: {**base, "duration_minutes": 480, "csw_sub": rng.choice(subs)}),
    ]


PAGE_2 = "all CSWs, 60 min, page 2 (cursor)"


def check_items(label: str, body: dict[str, Any], params: dict[str, Any], rooms: set[str], window: tuple[datetime, datetime]) -> None:
    keys = [(i["starts_at"], i["room_id"], i["csw_sub"]) for i in body["items"]]
    if keys != sorted(keys) or len(set(keys)) != len(keys):
        raise BenchError(f"{label}: items not in (starts_at, room_id, csw_sub) order")
    for item in body["items"]:
        starts_at, ends_at = datetime.fromisoformat(item["starts_at"]), datetime.fromisoformat(item["ends_at"])
        if item["room_id"] not in rooms:
            raise BenchError(f"{label}: a room of another venue")
        if ends_at - starts_at != timedelta(minutes=int(params["duration_minutes"])) or starts_at < window[0] or ends_at > window[1]:
            raise BenchError(f"{label}: a slot outside the range or of the wrong length: {item}")
        if "csw_sub" in params and item["csw_sub"] != params["csw_sub"]:
            raise BenchError(f"{label}: another CSW's slot")


def measure_search(base_url: str, token: str, data: Data, rounds: int, warmup: int, seed: int) -> tuple[dict[str, list[float]], Counter]:
    rng = random.Random(seed)
    mix = scenarios(data, rng)
    timings: dict[str, list[float]] = {name: [] for name, _ in mix}
    timings[PAGE_2] = []
    found: Counter = Counter()
    now = datetime.now(UTC)
    window = (now, now + timedelta(weeks=WEEKS))
    span = {"from": z(window[0]), "to": z(window[1])}
    venue_rooms = {str(r["id"]) for r in data.rooms if r["venue_id"] == data.venues[0]["id"]}
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=REQUEST_TIMEOUT_SECONDS, trust_env=False) as client:
        for i in range(warmup):
            name, params = mix[i % len(mix)]
            timed_get(client, AVAILABILITY, {**params(), **span}, f"warm-up {name}")
        for _ in range(rounds):
            for name, make in mix:
                params = {**make(), **span}
                elapsed, body = timed_get(client, AVAILABILITY, params, name)
                check_items(name, body, params, venue_rooms, window)
                timings[name].append(elapsed)
                found[name] += len(body["items"])
                if name == mix[0][0]:
                    if not body["next_cursor"]:
                        raise BenchError(f"{name}: expected more than one page")
                    elapsed, second = timed_get(client, AVAILABILITY, {**params, "cursor": body["next_cursor"]}, PAGE_2)
                    check_items(PAGE_2, second, params, venue_rooms, window)
                    if second["items"] and second["items"][0]["starts_at"] < body["items"][-1]["starts_at"]:
                        raise BenchError("page 2 starts before page 1 ends")
                    timings[PAGE_2].append(elapsed)
                    found[PAGE_2] += len(second["items"])
    return timings, found


# --------------------------------------------------------------------------- phase 2: bookings


def plan_bookings(base_url: str, token: str, data: Data, clients: int, per_client: int) -> list[list[dict[str, Any]]]:
    """For each client: its own CSW, its own young children (no sessions yet), and up to
    `per_client` hour-long free slots of that CSW found with the availability search (every
    venue, not timed). One greedy pass over all clients' slots in time order keeps a slot
    only when its room and its CSW are still free then, so no two planned bookings clash:
    every 409 in the timed phase would be a real fault."""
    subs = [s["sub"] for s in data.staff if s["role"] == StaffRole.contact_support_worker]
    if clients > len(subs):
        raise BenchError(f"--clients must be at most {len(subs)} (one CSW each)")
    arrangements = [str(a) for a in data.booking_arrangements]
    now = datetime.now(UTC) + timedelta(minutes=30)
    span = {"from": z(now), "to": z(now + timedelta(weeks=WEEKS))}
    candidates: list[tuple[str, str, int, dict[str, Any]]] = []
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=REQUEST_TIMEOUT_SECONDS, trust_env=False) as client:
        for k in range(clients):
            for venue in data.venues:
                params: dict[str, Any] = {**span, "venue_id": str(venue["id"]), "csw_sub": subs[k], "duration_minutes": 60, "limit": 500}
                for _page in range(20):
                    _elapsed, body = timed_get(client, AVAILABILITY, params, f"plan client {k}")
                    candidates += [(item["starts_at"], item["room_id"], k, item) for item in body["items"]]
                    if not body["next_cursor"]:
                        break
                    params["cursor"] = body["next_cursor"]
    plans: list[list[dict[str, Any]]] = [[] for _ in range(clients)]
    room_free_from: dict[str, str] = {}
    csw_free_from: dict[int, str] = {}
    for starts_at, room_id, k, item in sorted(candidates, key=lambda c: (c[0], c[2], c[1])):
        if len(plans[k]) >= per_client or room_free_from.get(room_id, "") > starts_at or csw_free_from.get(k, "") > starts_at:
            continue
        room_free_from[room_id] = csw_free_from[k] = item["ends_at"]
        mine = arrangements[k::clients]
        plans[k].append({**item, "arrangement_id": mine[len(plans[k]) % len(mine)]})
    return plans


def run_bookings(base_url: str, token: str, plans: list[list[dict[str, Any]]], seconds: float) -> tuple[Counter, float, list[float]]:
    statuses: Counter = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(plans) + 1)
    failures: list[str] = []

    def worker(plan: list[dict[str, Any]]) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        mine: Counter = Counter()
        times: list[float] = []
        with httpx.Client(base_url=base_url, headers=headers, timeout=REQUEST_TIMEOUT_SECONDS, trust_env=False) as client:
            client.get("/health/ready")  # open the connection before the clock starts
            barrier.wait()
            deadline = time.monotonic() + seconds
            for slot in plan:
                if time.monotonic() > deadline:
                    break
                body = {
                    "arrangement_id": slot["arrangement_id"],
                    "room_id": slot["room_id"],
                    "csw_sub": slot["csw_sub"],
                    "starts_at": slot["starts_at"],
                    "ends_at": slot["ends_at"],
                    "override_reason": "Bench: many sessions a day for one CSW.",
                }
                started = time.perf_counter()
                try:
                    response = client.post(SESSIONS, json=body)
                except httpx.HTTPError as exc:
                    mine["error"] += 1
                    failures.append(repr(exc))
                    continue
                times.append((time.perf_counter() - started) * 1000)
                code = response.status_code
                mine[str(code) if code in (201, 409) else "other"] += 1
                if code not in (201, 409) and len(failures) < 5:
                    failures.append(f"{code}: {response.text[:300]}")
        with lock:
            statuses.update(mine)
            latencies.extend(times)

    threads = [threading.Thread(target=worker, args=(plan,), daemon=True) for plan in plans]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        print("unexpected answers while booking (first few):", *failures, sep="\n  ", file=sys.stderr)
    return statuses, elapsed, sorted(latencies)


# --------------------------------------------------------------------------- main


def report(data: Data, load_seconds: float, timings: dict[str, list[float]], found: Counter, warmup: int,
           statuses: Counter, book_seconds: float, book_latencies: list[float], clients: int, planned: int) -> bool:
    everything = sorted(t for values in timings.values() for t in values)
    p95 = percentile(everything, 95)
    passed = p95 < TARGET_P95_MS
    created = statuses.get("201", 0)
    venue_rooms = sum(1 for r in data.rooms if r["venue_id"] == data.venues[0]["id"])
    print()
    print("=" * 76)
    print("Availability (R-27) and booking over HTTP (PostgreSQL, one uvicorn worker)")
    print("=" * 76)
    print(f"loaded                    {len(data.venues)} venues, {len(data.rooms)} rooms, 20 CSWs, "
          f"{len(data.arrangements)} arrangements, {len(data.sessions)} sessions in {WEEKS} weeks")
    print(f"  rota                    {data.csw_days_at_cap} of {data.csw_days} CSW working days at the daily cap "
          f"({data.staff[0]['daily_cap']})")
    print(f"load time                 {load_seconds:8.1f} s")
    print()
    print(f"1. GET /availability, one venue ({venue_rooms} rooms), {WEEKS} weeks: {len(everything)} requests (after {warmup} warm-up)")
    print(f"   p50                    {percentile(everything, 50):8.1f} ms")
    print(f"   p95                    {p95:8.1f} ms")
    print(f"   max                    {everything[-1]:8.1f} ms")
    print(f"   {'scenario':<38} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'slots/req':>9}")
    for name, values in timings.items():
        values = sorted(values)
        per = found[name] / len(values) if values else 0
        print(f"   {name:<38} {len(values):>4} {percentile(values, 50):8.1f} {percentile(values, 95):8.1f} {values[-1]:8.1f} {per:9.0f}")
    print(f"   target p95 < {TARGET_P95_MS:.0f} ms: {'PASS' if passed else 'FAIL'} (p95 {p95:.1f} ms)")
    print()
    print(f"2. POST /sessions, {clients} concurrent clients, {planned} distinct free slots planned")
    print(f"   bookings/s             {created / book_seconds:8.1f}   ({created} booked in {book_seconds:.2f} s)")
    print(f"   answers                201: {created}, 409: {statuses.get('409', 0)}, other: {statuses.get('other', 0) + statuses.get('error', 0)}")
    if book_latencies:
        print(f"   latency p50/p95/max    {percentile(book_latencies, 50):.1f} / {percentile(book_latencies, 95):.1f} / {book_latencies[-1]:.1f} ms")
    print("=" * 76)
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    add_database_options(parser, "bench_availability")
    parser.add_argument("--sessions", type=int, default=5_000, help="booked sessions in the coming 8 weeks")
    parser.add_argument("--children", type=int, default=900, help="children with an active arrangement in the rota")
    parser.add_argument("--daily-cap", type=int, default=7, help="the CSWs' daily cap (1-8)")
    parser.add_argument("--rounds", type=int, default=20, help="rounds of the 7-request search mix (20 -> 140 timed requests)")
    parser.add_argument("--warmup", type=int, default=12)
    parser.add_argument("--clients", type=int, default=20, help="concurrent booking clients, one CSW each (at most 20)")
    parser.add_argument("--per-client", type=int, default=30, help="bookings each client attempts")
    parser.add_argument("--book-seconds", type=float, default=30.0, help="time limit of the booking phase")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if not 1 <= args.daily_cap <= 8:
        parser.error("--daily-cap must be between 1 and 8")
    if not 1 <= args.clients <= 20:
        parser.error("--clients must be between 1 and 20")

    url = database_url(parser, args, "bench_availability")

    def body(scratch: Scratch) -> None:
        settings, engine = scratch.settings, scratch.engine
        started = time.monotonic()
        gen = Generator(
            settings, args.seed, datetime.now(UTC), daily_cap=args.daily_cap, n_sessions=args.sessions,
            n_children=args.children, n_booking_children=3 * args.clients,
        )
        data = gen.build()
        load(engine, data)
        load_seconds = time.monotonic() - started
        print(f"loaded {len(data.sessions)} sessions, {len(data.rooms)} rooms, {len(data.arrangements)} arrangements "
              f"in {load_seconds:.1f} s", flush=True)

        server, token = scratch.serve()
        timings, found = measure_search(server.base_url, token, data, args.rounds, args.warmup, args.seed)
        print(f"searched: {sum(len(v) for v in timings.values())} timed requests", flush=True)
        plans = plan_bookings(server.base_url, token, data, args.clients, args.per_client)
        planned = sum(len(p) for p in plans)
        sizes = sorted(len(p) for p in plans)
        print(f"planned {planned} bookings for {len(plans)} clients ({sizes[0]} to {sizes[-1]} each)", flush=True)
        statuses, book_seconds, latencies = run_bookings(server.base_url, token, plans, args.book_seconds)
        report(data, load_seconds, timings, found, args.warmup, statuses, book_seconds, latencies, args.clients, planned)

    return run("bench/availability.py", url, args.maintenance_db, "bench-availability-server-", body)


if __name__ == "__main__":
    raise SystemExit(main())

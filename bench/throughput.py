"""Throughput of the service next to a bare FastAPI hello-world and the stack's floor (issue 11).

What it measures, in one run on one machine: requests/s, p50 and p99 (wrk's latency
distribution) and the ratio to a bare FastAPI `async def` hello-world, for

- `hello`: a bare FastAPI app, `GET /` answering `{"hello": "world"}` from an `async def`;
- `floor`: a minimal FastAPI app doing the work of the service's child read: decode the
  HS256 bearer token with python-jose, one `SELECT` of the `child` row by primary key with
  SQLAlchemy (sync `def`, a plain `QueuePool`), a pydantic answer (404 unless the token's
  subject is the child's social worker);
- the service (`app.main:create_app`) under uvicorn like the two above, and under granian
  as `contact-service serve --no-migrate` starts it (app/cli.py `serve`; `--no-granian` to
  skip it): `GET /health`; `GET /api/v1/children/{id}` as the child's social worker;
  `GET /api/v1/referrals/queue` (default page) as a team leader, over 10,000 open referrals;
  `PUT /api/v1/children/framework/{new id}` as a social worker (a new child each request);
  `POST /api/v1/sessions` as a team leader (a distinct free slot each request: 40 rooms,
  40 CSWs, 40 young children, one-hour slots 08:00-20:00 from tomorrow on); `PUT
  /api/v1/sessions/{id}/record` as the session's CSW (a first draft of a distinct past
  session each request, a fresh `Idempotency-Key`);
- the same endpoints on the service under uvicorn on SQLite, the embedded default (a file
  in a temporary folder, migrated and loaded with the same fixtures; `--no-sqlite` skips it).

How: every server is started at once on 127.0.0.1, pinned to CPU 0 (`taskset -c 0`; one
worker, no access log, `LOG_LEVEL=WARNING`); wrk (Debian package `wrk`) is pinned to CPU 1
with one thread and 16 connections. After a short warm-up run of each (server, endpoint),
the rounds go A B A B: round 1 runs every (server, endpoint) once, round 2 again, and so on;
the figures are the medians over the rounds. Writes read their requests from a file of
unique requests (a wrk Lua script), one file per run, so no request repeats. Every run's
status classes are counted (wrk's "Non-2xx or 3xx responses" for the GETs, a Lua `response`
hook for the writes); the resident memory of each server (its whole process tree) is
sampled every 0.25 s and its peak reported. Each run also reads the CPU time of the server's
process tree from /proc: "server CPU busy" near 100% means the server's core is the limit;
well under it means the server waits (on PostgreSQL, or on a lock), and "CPU ms/request" is
what one request costs the server, the figure to compare across machines. It ends with the targets of issue 11 point 2,
PASS or FAIL per row and per server.

How to run (from the repository root, PostgreSQL on 127.0.0.1:5432, user postgres, `wrk`
and `taskset` on PATH, 2 CPUs or more):

    .venv/bin/python bench/throughput.py                      # about 4 minutes
    .venv/bin/python bench/throughput.py --rounds 3 --seconds 4 --connections 16 --no-granian

It creates a scratch database (`bench_throughput_<pid>`), migrates it, bulk-loads it
(10,000 open referrals as bench/queue.py does, the booking and record fixtures), runs, then
stops every server and drops the database whatever happened. Exit code 0 when the
measurement ran (whether or not the targets are met), 1 on an error. The figures are only
comparable inside one run: that is why every row is a ratio to the hello-world of the same
run.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Python puts this folder first on sys.path, where bench/queue.py would shadow the standard
# library's `queue`: move it to the very end, where `harness` is still found.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]

from harness import BATCH, BenchError, Scratch, Server, add_database_options, batches, database_url, free_port, run, signed_agreement  # noqa: I001

import argparse
import importlib.util
import os
import re
import secrets
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from app.agreements.models import Agreement
from app.arrangements.models import Arrangement, ArrangementStatus
from app.calendar.deadlines import working_calendar
from app.cli import migrate
from app.children.models import Child, LegalStatus, PlacementType
from app.core.config import Settings
from app.core.security import mint_local_token
from app.referrals.models import FrequencyPer, Level, Outcome, Referral, ReferralStatus
from app.sessions.models import ContactSession, SessionStatus
from app.venues.models import Room, Staff, StaffRole, Venue

SERVER_CPU = "0"
WRK_CPU = "1"
AREA = "north"
GROUPS = 40  # rooms, CSWs and children for bookings: slot k goes to group k % GROUPS
FIRST_HOUR, LAST_HOUR = 8, 20  # one-hour slots 08:00-20:00 local time
PER_RUN = 3000  # unique requests prepared for each write run (a run that uses them all says so)
API = "/api/v1"

# The two reference apps, written to a temporary folder of their own (not bench/, whose
# queue.py would shadow the standard library) and served with `uvicorn --app-dir`.
REFERENCE_APPS = '''
import os
import uuid
from datetime import date

from fastapi import FastAPI, Header, HTTPException
from jose import jwt
from pydantic import BaseModel
from sqlalchemy import MetaData, Table, create_engine, select


def hello_app() -> FastAPI:
    app = FastAPI()

    @app.get("/")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    return app


class ChildOut(BaseModel):
    id: uuid.UUID
    source: str
    external_id: str
    first_name: str
    last_name: str
    date_of_birth: date
    social_worker_sub: str
    area: str
    version: int


def floor_app() -> FastAPI:
    secret = os.environ["JWT_SECRET"]
    engine = create_engine(os.environ["DATABASE_URL"], pool_size=20, max_overflow=0)
    child = Table("child", MetaData(), autoload_with=engine)
    columns = [child.c[name] for name in ChildOut.model_fields]
    app = FastAPI()

    @app.get("/floor/children/{child_id}")
    def read_child(child_id: uuid.UUID, authorization: str = Header()) -> ChildOut:
        try:
            claims = jwt.decode(authorization.removeprefix("Bearer "), secret, algorithms=["HS256"], options={"verify_aud": False})
        except Exception as exc:
            raise HTTPException(401) from exc
        with engine.connect() as conn:
            row = conn.execute(select(*columns).where(child.c.id == child_id)).mappings().first()
        if row is None or row["social_worker_sub"] != claims.get("sub"):
            raise HTTPException(404)
        return ChildOut.model_validate(dict(row))

    return app
'''

# One request per line of the file named by the first argument: METHOD, path,
# Idempotency-Key (or empty) and body (or empty), tab-separated; the second argument is the
# bearer token. Counts the answers by class and says how often the file wrapped around.
LUA = r'''
local lines, i, token = {}, 0, nil
c2, c3, c4, c5, other, wraps = 0, 0, 0, 0, 0, 0
init = function(args)
  for line in io.lines(args[1]) do
    local m, p, k, b = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    lines[#lines + 1] = {m, p, k, b}
  end
  token = args[2]
end
request = function()
  i = i + 1
  if i > #lines then i = 1; wraps = wraps + 1 end
  local l = lines[i]
  local h = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
  if l[3] ~= "" then h["Idempotency-Key"] = l[3] end
  local body = nil
  if l[4] ~= "" then body = l[4] end
  return wrk.format(l[1], l[2], h, body)
end
response = function(status, headers, body)
  if status < 300 then c2 = c2 + 1 elseif status < 400 then c3 = c3 + 1
  elseif status < 500 then c4 = c4 + 1 elseif status < 600 then c5 = c5 + 1 else other = other + 1 end
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local t = {0, 0, 0, 0, 0, 0}
  for _, th in ipairs(threads) do
    t[1] = t[1] + th:get("c2"); t[2] = t[2] + th:get("c3"); t[3] = t[3] + th:get("c4")
    t[4] = t[4] + th:get("c5"); t[5] = t[5] + th:get("other"); t[6] = t[6] + th:get("wraps")
  end
  io.write(string.format("STATUS 2xx=%d 3xx=%d 4xx=%d 5xx=%d other=%d wraps=%d\n", t[1], t[2], t[3], t[4], t[5], t[6]))
end
'''


# --------------------------------------------------------------------------- fixtures


def load_queue(engine: Engine, settings: Settings, n_open: int) -> dict[str, Any]:
    """10,000 open referrals (and the closed ones) exactly as bench/queue.py loads them."""
    spec = importlib.util.spec_from_file_location("bench_queue", HERE / "queue.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    gen = module.Generator(settings, 2026, datetime.now(UTC))
    counts = module.load(engine, gen, n_open, 3000, 1000, 500)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT id, social_worker_sub FROM child ORDER BY external_id LIMIT 1")).one()
    return {"counts": counts, "child_id": row.id, "child_sw": row.social_worker_sub}


@dataclass
class Fixtures:
    child_id: uuid.UUID
    child_sw: str
    open_referrals: int
    rooms: list[uuid.UUID] = field(default_factory=list)
    csws: list[str] = field(default_factory=list)
    arrangements: list[uuid.UUID] = field(default_factory=list)
    record_sessions: list[uuid.UUID] = field(default_factory=list)


def load_scheduling(engine: Engine, settings: Settings, fx: Fixtures, n_record_sessions: int) -> None:
    """One venue open 07:00-21:00 every day with GROUPS rooms, GROUPS CSWs working then
    (cap 20 a day, so 12 one-hour bookings a day stay under it), GROUPS children of 2-4
    with active arrangements; plus a CSW `csw-rec` with `n_record_sessions` booked
    one-hour sessions in the past, back to back, in a room and with a child of their own."""
    now = datetime.now(UTC)
    week = [{"weekday": d, "opens": "07:00", "closes": "21:00"} for d in range(7)]
    venue = Venue(id=uuid.uuid4(), name="Bench Contact Centre", area=AREA, opening_hours=week, created_at=now)
    rooms = [
        Room(id=uuid.uuid4(), venue_id=venue.id, name=f"Room {i + 1}", capacity=8, min_age=0, max_age=18, accessible=True,
             outdoor_space=False, created_at=now)
        for i in range(GROUPS + 1)
    ]
    staff = [
        Staff(sub=f"csw-{i + 1:02d}", name=f"Worker {i + 1}", role=StaffRole.contact_support_worker, area=AREA,
              working_hours=week, daily_cap=20, updated_at=now)
        for i in range(GROUPS)
    ]
    staff.append(Staff(sub="csw-rec", name="Recorder", role=StaffRole.contact_support_worker, area=AREA, working_hours=week,
                       daily_cap=20, updated_at=now))
    staff.append(Staff(sub="tl-bench", name="Team Leader", role=StaffRole.team_leader, area=AREA, working_hours=[], daily_cap=3,
                       updated_at=now))
    children, referrals, arrangements, agreements = [], [], [], []
    for i in range(GROUPS + 1):
        child = Child(
            id=uuid.uuid4(), source="framework", external_id=f"T{i:06d}", first_name="Amara", last_name="Okafor",
            date_of_birth=(now - timedelta(days=365.25 * (2 + i % 3))).date(), legal_status=LegalStatus.interim_care_order,
            court_arena=False, placement_type=PlacementType.foster, placement_address=None,
            social_worker_sub="sw-0001", team=f"{AREA}-1", area=AREA, created_at=now, updated_at=now,
        )
        referral = Referral(
            id=uuid.uuid4(), child_id=child.id, social_worker_sub=child.social_worker_sub, team=child.team, area=AREA,
            status=ReferralStatus.decided, version=4, purposes=["relationships"], level=Level.supervised, frequency_times=1,
            frequency_per=FrequencyPer.week, duration_minutes=60, risk_assessment={"factors": []}, court_arena=False,
            priority=3, created_at=now - timedelta(days=20), updated_at=now - timedelta(days=10),
            approved_by="tm-0001", approved_at=now - timedelta(days=19), submitted_by=child.social_worker_sub,
            received_at=now - timedelta(days=18), decision_due_at=now - timedelta(days=11), outcome=Outcome.accepted_core,
            decided_at=now - timedelta(days=10), decided_by="tl-bench", notified_at=now - timedelta(days=10),
        )
        arrangement = Arrangement(
            id=uuid.uuid4(), referral_id=referral.id, child_id=child.id, area=AREA, status=ArrangementStatus.active,
            basis=Outcome.accepted_core, level=Level.supervised, court_arena=False, opened_at=now - timedelta(days=10),
        )
        children.append(child.model_dump())
        referrals.append(referral.model_dump())
        arrangements.append(arrangement.model_dump())
        agreements.append(signed_agreement(arrangement, now))
    rec_arrangement, rec_room = arrangements[-1], rooms[-1]
    top = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    sessions = []
    for i in range(n_record_sessions):
        starts = top - timedelta(hours=i)
        sessions.append(
            ContactSession(
                id=uuid.uuid4(), arrangement_id=rec_arrangement["id"], child_id=rec_arrangement["child_id"], room_id=rec_room.id,
                venue_id=venue.id, csw_sub="csw-rec", starts_at=starts, ends_at=starts + timedelta(minutes=50),
                status=SessionStatus.booked, created_at=starts - timedelta(days=7), created_by="tl-bench",
                updated_at=starts - timedelta(days=7),
            ).model_dump()
        )
    with engine.begin() as conn:
        for model, rows in (
            (Staff, [s.model_dump() for s in staff]),
            (Venue, [venue.model_dump()]),
            (Room, [r.model_dump() for r in rooms]),
            (Child, children),
            (Referral, referrals),
            (Arrangement, arrangements),
            (Agreement, agreements),
            (ContactSession, sessions),
        ):
            for chunk in batches(rows, BATCH):
                conn.execute(model.__table__.insert(), chunk)  # type: ignore[attr-defined]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    fx.rooms = [r.id for r in rooms[:GROUPS]]
    fx.csws = [s.sub for s in staff[:GROUPS]]
    fx.arrangements = [a["id"] for a in arrangements[:GROUPS]]
    fx.record_sessions = [s["id"] for s in sessions]


class Slots:
    """Distinct free one-hour slots, handed out in order: slot k is group k % GROUPS (its
    room, CSW and child), on day (k // GROUPS) // 12 from tomorrow, hour 8 + (k // GROUPS) % 12."""

    def __init__(self, settings: Settings, fx: Fixtures):
        calendar = working_calendar(settings)
        self.zone = calendar.zone
        self.first = calendar.local_date(datetime.now(UTC)) + timedelta(days=1)
        self.fx = fx
        self.next = 0

    def take(self, n: int) -> list[str]:
        lines = []
        hours = LAST_HOUR - FIRST_HOUR
        for k in range(self.next, self.next + n):
            g, t = k % GROUPS, k // GROUPS
            day: date = self.first + timedelta(days=t // hours)
            starts = datetime.combine(day, clock_time(FIRST_HOUR + t % hours), tzinfo=self.zone).astimezone(UTC)
            body = (
                f'{{"arrangement_id":"{self.fx.arrangements[g]}","room_id":"{self.fx.rooms[g]}","csw_sub":"{self.fx.csws[g]}",'
                f'"starts_at":"{starts.isoformat().replace("+00:00", "Z")}",'
                f'"ends_at":"{(starts + timedelta(hours=1)).isoformat().replace("+00:00", "Z")}"}}'
            )
            lines.append(f"POST\t{API}/sessions\t\t{body}")
        self.next += n
        return lines


# --------------------------------------------------------------------------- servers and wrk


@dataclass
class Endpoint:
    key: str
    label: str
    method: str = "GET"
    path: str = ""
    token: str | None = None
    lines: Any = None  # callable(n) -> list of request lines, for writes


@dataclass
class Target:
    name: str  # hello, floor, uvicorn, granian
    label: str
    server: Server
    endpoints: list[Endpoint]


def process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def cpu_seconds(pids: list[int]) -> float:
    """User and system time of these processes (fields 14 and 15 of /proc/PID/stat)."""
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


class RssSampler(threading.Thread):
    def __init__(self, servers: dict[str, Server]):
        super().__init__(daemon=True)
        self.servers = servers
        self.peak: dict[str, int] = dict.fromkeys(servers, 0)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.25):
            for name, server in self.servers.items():
                self.peak[name] = max(self.peak[name], rss_kib(process_tree(server.process.pid)))


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    status: dict[str, int]
    wraps: int
    server_busy: float = 0.0  # CPU time of the server's process tree over the run's wall time
    cpu_ms: float = 0.0  # the server's CPU time per request


UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def duration_ms(value: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if not m:
        raise BenchError(f"cannot read wrk duration {value!r}")
    return float(m.group(1)) * UNIT[m.group(2)]


def wrk(url: str, seconds: float, connections: int, token: str | None, script: tuple[str, str] | None) -> Result:
    command = ["taskset", "-c", WRK_CPU, "wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "10s"]
    if script is None and token:
        command += ["-H", f"Authorization: Bearer {token}"]
    if script is not None:
        command += ["-s", script[0], url, "--", script[1], token or ""]
    else:
        command.append(url)
    out = subprocess.run(command, check=False, capture_output=True, text=True, timeout=seconds + 60)
    if out.returncode != 0:
        raise BenchError(f"wrk failed ({out.returncode}): {out.stderr.strip() or out.stdout.strip()}")
    text_ = out.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text_)
    p50 = re.search(r"^\s+50%\s+(\S+)", text_, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", text_, re.MULTILINE)
    total = re.search(r"(\d+) requests in", text_)
    if not (rps and p50 and p99 and total):
        raise BenchError(f"cannot read wrk's output:\n{text_}")
    non = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text_)
    status = {}
    wraps = 0
    m = re.search(r"STATUS (.*)", text_)
    if m:
        for part in m.group(1).split():
            k, v = part.split("=")
            if k == "wraps":
                wraps = int(v)
            else:
                status[k] = int(v)
    errors = re.search(r"Socket errors: (.*)", text_)
    if errors and ("timeout" in errors.group(1)):
        status["socket"] = sum(int(n) for n in re.findall(r"\d+", errors.group(1)))
    return Result(float(rps.group(1)), duration_ms(p50.group(1)), duration_ms(p99.group(1)), int(total.group(1)),
                  int(non.group(1)) if non else 0, status, wraps)


# --------------------------------------------------------------------------- report


def fmt_row(label: str, rs: list[Result], hello_rps: float) -> tuple[str, float]:
    rps = statistics.median(r.rps for r in rs)
    p50 = statistics.median(r.p50_ms for r in rs)
    p99 = statistics.median(r.p99_ms for r in rs)
    non = sum(r.non_2xx for r in rs)
    five = sum(r.status.get("5xx", 0) for r in rs)
    wraps = sum(r.wraps for r in rs)
    ratio = rps / hello_rps if hello_rps else 0.0
    note = f"non-2xx {non}" + (f" (5xx {five})" if any(r.status for r in rs) else "") + (f"; REQUESTS REUSED x{wraps}" if wraps else "")
    runs = " / ".join(f"{r.rps:.0f}" for r in rs)
    busy = statistics.median(r.server_busy for r in rs)
    cpu_ms = statistics.median(r.cpu_ms for r in rs)
    return f"| {label} | {rps:,.0f} | {p50:.1f} | {p99:.1f} | {ratio:.1%} | {busy:.0%} | {cpu_ms:.2f} | {runs} | {note} |", ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    add_database_options(parser, "bench_throughput")
    parser.add_argument("--rounds", type=int, default=3, help="A B A B rounds (medians over them)")
    parser.add_argument("--seconds", type=int, default=4, help="length of each wrk run")
    parser.add_argument("--warmup-seconds", type=int, default=1)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--open", type=int, default=10_000, help="open referrals (the queue)")
    parser.add_argument("--no-granian", action="store_true", help="skip the service under granian")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the service on SQLite")
    args = parser.parse_args(argv)
    for tool in ("wrk", "taskset"):
        if shutil.which(tool) is None:
            parser.error(f"{tool} is not on PATH (apt-get install -y {'wrk' if tool == 'wrk' else 'util-linux'})")
    if (os.cpu_count() or 1) < 2:
        parser.error("needs 2 CPUs: the servers on CPU 0, wrk on CPU 1")
    url = database_url(parser, args, "bench_throughput")
    servers_n = 1 if args.no_granian else 2
    runs_per_write = (args.rounds + 1) * servers_n

    def body(scratch: Scratch) -> None:
        settings, engine = scratch.settings, scratch.engine
        assert settings is not None and engine is not None
        secret = secrets.token_urlsafe(32)
        tok_settings = Settings(jwt_secret=secret)
        put_counter = iter(range(10**9))
        child_body = (
            '{"first_name":"Amara","last_name":"Okafor","date_of_birth":"2017-03-14","legal_status":"interim_care_order",'
            '"court_arena":true,"placement_type":"foster","placement_address":"12 Elm Road, Arnold, NG5 6AB",'
            '"social_worker_sub":"sw-0001","area":"north"}'
        )

        def put_lines(n: int) -> list[str]:
            run_id = next(put_counter)
            return [f"PUT\t{API}/children/framework/tp{run_id}-{i}\t\t{child_body}" for i in range(n)]

        def load(engine: Engine, settings: Settings, label: str, writes_per_endpoint: int) -> Fixtures:
            started = time.monotonic()
            q = load_queue(engine, settings, args.open)
            fx = Fixtures(child_id=q["child_id"], child_sw=q["child_sw"], open_referrals=q["counts"].get("submitted", 0))
            load_scheduling(engine, settings, fx, PER_RUN * writes_per_endpoint)
            print(f"{label}: loaded {fx.open_referrals} open referrals and {len(fx.record_sessions)} past sessions in "
                  f"{time.monotonic() - started:.1f} s", flush=True)
            return fx

        def endpoints(fx: Fixtures, settings: Settings) -> list[Endpoint]:
            sw = mint_local_token(tok_settings, fx.child_sw, ["social_worker"])
            sw_put = mint_local_token(tok_settings, "sw-0001", ["social_worker"])
            tl = mint_local_token(tok_settings, "tl-bench", ["team_leader"])
            csw = mint_local_token(tok_settings, "csw-rec", ["contact_support_worker"])
            slots = Slots(settings, fx)
            record_ids = iter(fx.record_sessions)

            def record_lines(n: int) -> list[str]:
                return [
                    f"PUT\t{API}/sessions/{next(record_ids)}/record\t{uuid.uuid4().hex}\t"
                    '{"went_ahead":true,"observations":"Warm greeting; played a board game together."}'
                    for _ in range(n)
                ]

            return [
                Endpoint("health", "`GET /health`", path="/health"),
                Endpoint("child", "`GET` child by id (social worker)", path=f"{API}/children/{fx.child_id}", token=sw),
                Endpoint("queue", "`GET` referral queue, default page", path=f"{API}/referrals/queue", token=tl),
                Endpoint("put_child", "`PUT` child (new id)", method="PUT", token=sw_put, lines=put_lines),
                Endpoint("booking", "`POST /sessions` (free slot)", method="POST", token=tl, lines=slots.take),
                Endpoint("record", "`PUT` session record draft", method="PUT", token=csw, lines=record_lines),
            ]

        fx = load(engine, settings, "postgresql", runs_per_write)
        service_endpoints = endpoints(fx, settings)
        sw = mint_local_token(tok_settings, fx.child_sw, ["social_worker"])

        workdir = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
        (workdir / "tp_apps.py").write_text(REFERENCE_APPS)
        script = workdir / "lines.lua"
        script.write_text(LUA)
        servers: dict[str, Server] = {}
        sampler: RssSampler | None = None
        try:
            def uvicorn(app_spec: str, port: int, app_dir: str | None = None) -> list[str]:
                cmd = [sys.executable, "-m", "uvicorn", "--factory", app_spec, "--host", "127.0.0.1", "--port", str(port),
                       "--log-level", "warning", "--no-access-log"]
                return cmd + (["--app-dir", app_dir] if app_dir else [])

            targets: list[Target] = []
            port = free_port()
            servers["hello"] = Server(scratch.database_url, secret, port, "bench-tp-hello-",
                                      argv=uvicorn("tp_apps:hello_app", port, str(workdir)), cpus=SERVER_CPU, ready_path="/")
            targets.append(Target("hello", "bare FastAPI `async def` hello-world (uvicorn)", servers["hello"],
                                  [Endpoint("hello", "`GET /`", path="/")]))
            port = free_port()
            servers["floor"] = Server(scratch.database_url, secret, port, "bench-tp-floor-",
                                      argv=uvicorn("tp_apps:floor_app", port, str(workdir)), cpus=SERVER_CPU,
                                      ready_path="/docs")
            targets.append(Target("floor", "floor: JWT + SELECT by key + pydantic, sync `def` (uvicorn)", servers["floor"],
                                  [Endpoint("floor", "`GET` child by id", path=f"/floor/children/{fx.child_id}", token=sw)]))
            port = free_port()
            servers["uvicorn"] = Server(scratch.database_url, secret, port, "bench-tp-uvicorn-",
                                        argv=uvicorn("app.main:create_app", port), cpus=SERVER_CPU)
            targets.append(Target("uvicorn", "service under uvicorn", servers["uvicorn"], service_endpoints))
            if not args.no_granian:
                port = free_port()
                servers["granian"] = Server(
                    scratch.database_url, secret, port, "bench-tp-granian-",
                    argv=[str(Path(sys.executable).parent / "contact-service"), "serve", "--no-migrate"], cpus=SERVER_CPU,
                    extra_env={"HOST": "127.0.0.1", "PORT": str(port)},
                )
                targets.append(Target("granian", "service under granian (`contact-service serve`)", servers["granian"],
                                      service_endpoints))
            if not args.no_sqlite:
                sqlite_url = f"sqlite:///{workdir / 'bench.db'}"
                sqlite_settings = Settings(database_url=sqlite_url)
                migrate(sqlite_settings)
                sqlite_engine = create_engine(sqlite_url)
                try:
                    sqlite_fx = load(sqlite_engine, sqlite_settings, "sqlite", args.rounds + 1)
                finally:
                    sqlite_engine.dispose()
                port = free_port()
                servers["sqlite"] = Server(sqlite_url, secret, port, "bench-tp-sqlite-",
                                           argv=uvicorn("app.main:create_app", port), cpus=SERVER_CPU)
                targets.append(Target("sqlite", "service under uvicorn on SQLite (the embedded default)", servers["sqlite"],
                                      endpoints(sqlite_fx, sqlite_settings)))
            for name, server in servers.items():
                print(f"{name}: ready on {server.base_url} after {server.wait_ready():.1f} s (pid {server.process.pid})", flush=True)
            sampler = RssSampler(servers)
            sampler.start()

            file_no = iter(range(10**6))

            def one(target: Target, ep: Endpoint, seconds: float) -> Result:
                url = target.server.base_url + (ep.path or "/")
                script_args = None
                if ep.lines is not None:
                    path = workdir / f"run-{next(file_no)}.tsv"
                    path.write_text("\n".join(ep.lines(PER_RUN)) + "\n")
                    script_args = (str(script), str(path))
                pids = process_tree(target.server.process.pid)
                cpu_before, wall_before = cpu_seconds(pids), time.monotonic()
                result = wrk(url, seconds, args.connections, ep.token, script_args)
                cpu = cpu_seconds(pids) - cpu_before
                result.server_busy = cpu / (time.monotonic() - wall_before)
                result.cpu_ms = 1000 * cpu / result.requests if result.requests else 0.0
                return result

            print(f"warm-up: {args.warmup_seconds:g} s per (server, endpoint)", flush=True)
            for target in targets:
                for ep in target.endpoints:
                    r = one(target, ep, args.warmup_seconds)
                    print(f"  {target.name:<8} {ep.key:<10} {r.rps:8.0f} req/s  non-2xx {r.non_2xx} {r.status or ''}", flush=True)
            results: dict[tuple[str, str], list[Result]] = {}
            for rnd in range(1, args.rounds + 1):
                print(f"round {rnd}/{args.rounds}", flush=True)
                for target in targets:
                    for ep in target.endpoints:
                        r = one(target, ep, args.seconds)
                        results.setdefault((target.name, ep.key), []).append(r)
                        print(f"  {target.name:<8} {ep.key:<10} {r.rps:8.0f} req/s  p50 {r.p50_ms:6.1f} ms  p99 {r.p99_ms:6.1f} ms"
                              f"  non-2xx {r.non_2xx} {r.status or ''}", flush=True)
            sampler.stopped.set()
            sampler.join()
            report(args, targets, results, sampler.peak)
        finally:
            if sampler is not None:
                sampler.stopped.set()
            for server in servers.values():
                server.stop()
            shutil.rmtree(workdir, ignore_errors=True)

    return run("bench/throughput.py", url, args.maintenance_db, "bench-throughput-server-", body)


TARGETS = {  # issue 11 point 2: minimum share of hello-world
    "health": 0.80,
    "child": 0.12,
    "queue": 0.08,
    "put_child": 0.06,
    "booking": 0.03,
    "record": 0.03,
}


def report(args: argparse.Namespace, targets: list[Target], results: dict[tuple[str, str], list[Result]], peak: dict[str, int]) -> None:
    hello = statistics.median(r.rps for r in results[("hello", "hello")])
    floor = statistics.median(r.rps for r in results[("floor", "floor")])
    print()
    print("=" * 100)
    print(f"Throughput, {args.connections} connections, {args.seconds:g} s runs, medians of {args.rounds} A B A B rounds; "
          "servers on CPU 0, wrk on CPU 1")
    print("=" * 100)
    print("| server | endpoint | requests/s | p50 ms | p99 ms | share of hello-world | server CPU busy | server CPU ms/request"
          " | runs (req/s) | answers |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    ratios: dict[tuple[str, str], float] = {}
    for target in targets:
        for ep in target.endpoints:
            row, ratio = fmt_row(ep.label, results[(target.name, ep.key)], hello)
            ratios[(target.name, ep.key)] = ratio
            print(f"| {target.label} " + row)
    print()
    print("| server | peak RSS (process tree) |")
    print("|---|---|")
    for target in targets:
        print(f"| {target.name} | {peak.get(target.name, 0) / 1024:.0f} MB |")
    print()
    print("Targets (issue 11, point 2), as shares of hello-world in this run:")
    for target in targets:
        if target.name in ("hello", "floor"):
            continue
        name = target.name
        for key, minimum in TARGETS.items():
            got = ratios[(name, key)]
            print(f"  {name:<8} {key:<10} >= {minimum:>4.0%}: {got:6.1%}  {'PASS' if got >= minimum else 'FAIL'}")
        child_rps = statistics.median(r.rps for r in results[(name, "child")])
        share = child_rps / floor if floor else 0.0
        print(f"  {name:<8} {'child':<10} >= 60% of the floor: {share:6.1%}  {'PASS' if share >= 0.6 else 'FAIL'}"
              f"  (floor itself {floor / hello:.1%} of hello-world)")
        fives = sum(r.status.get("5xx", 0) for (n, _k), rs in results.items() if n == name for r in rs)
        gets_non = sum(r.non_2xx for (n, k), rs in results.items() if n == name and k in ("health", "child", "queue") for r in rs)
        print(f"  {name:<8} no 5xx: 5xx on writes {fives}, non-2xx on GETs {gets_non}  "
              f"{'PASS' if fives == 0 and gets_non == 0 else 'FAIL'}")
        mb = peak.get(name, 0) / 1024
        print(f"  {name:<8} RSS < 250 MB: peak {mb:.0f} MB  {'PASS' if mb < 250 else 'FAIL'}")
    print("=" * 100)


if __name__ == "__main__":
    raise SystemExit(main())

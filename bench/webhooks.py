"""Signed webhook delivery: deliveries/s with 1 and 4 worker processes, and the lag from
commit to delivery at a steady event rate (issue 13, point 5).

What it measures, in one run on one machine:

- **deliveries/s** to a local receiver, with 1 worker process and with 4 (`python -m app.cli
  worker`, WORKER_THREADS delivery threads each, WORKER_POLL_SECONDS=0.1). Each delivery
  thread leases one subscription at a time, so the parallelism is across subscriptions:
  the script makes `--subscriptions` (8) admin subscriptions to `child.updated` (the type it emits), all pointing at the
  receiver (`/hooks/<k>`). It pre-loads `--events` events through the real outbox path
  (`outbox.emit`, one committed transaction each) while the subscriptions are held (their
  lease set far ahead, so no worker takes them), starts the workers, waits until each has
  logged "worker started", then releases the leases. The rate is the deliveries
  (events x subscriptions) over the time from the first to the last arrival at the receiver.
  Target: **>= 300 deliveries/s with 4 workers**.
- next to it, the **reference**: a bare loop in this script (a child process pinned like the
  workers) that POSTs the same kind of signed body (an `EventRead` JSON, the same headers,
  a fresh `webhook-id` and signature per request) with one `httpx.Client` to the same
  receiver for `--reference-seconds`: the ceiling one connection gets from the receiver.
  The workers' rate is also shown as a share of it.
- the **lag from commit to delivery**, p50 and p99, with 1 and with 4 workers already
  running and idle: events are emitted at `--rate` (50) a second for `--seconds` (10),
  paced by a monotonic clock, each in its own transaction; the commit time is `time.time()`
  right after the commit, the arrival time `time.time()` in the receiver once the body is
  read. Every delivery counts (events x subscriptions); one that has not arrived
  `--drain-seconds` after the last event counts as infinitely late. It runs with 1
  subscription (50 deliveries/s: the lag of one receiver's feed) and with 8 (400
  deliveries/s, the throughput runs' set-up), `--lag-subscriptions 1,8`. Target: **p99 < 2 s**.

Pinning: the workers (and the reference loop) run on CPU 0 (`taskset -c 0`), the receiver
and this script (the load generator: it emits the events and polls the receiver) on CPU 1.
PostgreSQL is not pinned: it is the machine's server, shared by both sides. Without
`taskset` or with one CPU, nothing is pinned and the output says so.

The receiver is a bare ASGI app under uvicorn (httptools, keep-alive), in its own process:
per request it notes the arrival time, the subscription (from the path) and the body's `id`,
and answers 200 with an empty body. It verifies one signature in `--verify-every` (100)
with `standardwebhooks` and counts failures, so signing is checked without costing much.
It also reads the CPU time of the workers and of every `postgres` process from /proc over
each run ("CPU ms/delivery"), to show which side the time goes to.

Rounds go A B A B: each throughput round runs the reference, then 1 worker, then 4 workers;
then each lag round runs 1 worker, then 4, for each subscription count. Between runs the
webhook, outbox and audit tables are emptied (TRUNCATE ... RESTART IDENTITY CASCADE) and the
subscriptions made anew. Every run starts its workers afresh and waits until they are idle
(start-up and the scheduled jobs' first look done: under 30% of a core) before it measures.
The figures are medians over the rounds, with each run shown.

How to run (from the repository root; PostgreSQL on 127.0.0.1:5432, user postgres):

    .venv/bin/python bench/webhooks.py                                  # about 5 minutes
    .venv/bin/python bench/webhooks.py --rounds 3 --events 2000         # about 8 minutes
    .venv/bin/python bench/webhooks.py --sqlite                         # one worker only

It creates a scratch database (`bench_webhooks_<pid>`), migrates it, runs, then stops every
process it started (SIGTERM, then SIGKILL after 15 s) and drops the database whatever
happened. `--sqlite` uses a migrated SQLite file in a temporary folder instead; SQLite runs
one worker only, so the 4-worker figures are skipped. Exit code 0 when the measurement ran
(whether or not the targets are met), 1 on an error.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Python puts this folder first on sys.path, where bench/queue.py would shadow the standard
# library's `queue`: move it to the very end, where `harness` is still found.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]

from harness import ROOT, BenchError, Server, add_database_options, database_url, free_port, percentile, run  # noqa: I001

import argparse
import json
import math
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import text, update
from sqlalchemy.engine import Engine

from app.cli import migrate
from app.core import clock, outbox
from app.core.config import Settings
from app.core.db import build_engine, open_session
from app.core.security import Principal, Role
from app.events.schemas import EventRead
from app.webhooks import service, signing
from app.webhooks.delivery import USER_AGENT
from app.webhooks.models import WebhookSubscription
from app.webhooks.schemas import WebhookCreate

SERVICE_CPU = "0"  # workers and the reference loop
LOAD_CPU = "1"  # receiver and this script
EVENT_TYPE = "child.updated"
# Emptied between runs. Not job_run: the scheduled jobs then run in the first run's workers
# only, and later workers find them done instead of running them again during a measurement.
TABLES = ("outbox_event", "webhook_delivery", "webhook_attempt", "webhook_subscription", "audit_log", "audit_checkpoint")
WORKER_START_SECONDS = 60.0
STOP_SECONDS = 15.0
SETTLED_BUSY = 0.3  # of a core: the workers' idle polling stays under it
SETTLE_SECONDS = 20.0
THROUGHPUT_TARGET = 300.0  # deliveries/s with 4 workers
LAG_TARGET_S = 2.0  # p99
JWT = "bench-secret-0123456789abcdef0123456789"
HOLD = "bench-hold"

# The receiver: a bare ASGI app (no framework), written to a temporary folder and served with
# `uvicorn --app-dir`. /hooks/<k> records and answers 200; /_reset, /_count and /_dump are
# the script's controls.
RECEIVER = r'''
import json
import time

from standardwebhooks.webhooks import Webhook

S = {"records": [], "seen": set(), "total": 0, "hooks": [], "every": 100, "verified": 0, "bad": 0, "first": None, "last": None}


def reset(secrets, every):
    S.update(records=[], seen=set(), total=0, hooks=[Webhook(s) for s in secrets], every=max(1, every), verified=0, bad=0,
             first=None, last=None)


async def _answer(send, status, body=b"", kind=b"application/json"):
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    arrived = time.time()
    path = scope["path"]
    if path.startswith("/hooks/"):
        sub = int(path[7:])
        event_id = json.loads(body)["id"]
        S["total"] += 1
        if S["first"] is None:
            S["first"] = arrived
        S["last"] = arrived
        S["records"].append((arrived, sub, event_id))
        S["seen"].add((sub, event_id))
        if S["total"] % S["every"] == 0 and sub < len(S["hooks"]):
            headers = {k.decode(): v.decode() for k, v in scope["headers"]}
            try:
                S["hooks"][sub].verify(body, headers)
                S["verified"] += 1
            except Exception:
                S["bad"] += 1
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})
    elif path == "/_count":
        out = {k: S[k] for k in ("total", "verified", "bad", "first", "last")}
        out["unique"] = len(S["seen"])
        await _answer(send, 200, json.dumps(out).encode())
    elif path == "/_reset":
        asked = json.loads(body or b"{}")
        reset(asked.get("secrets", []), int(asked.get("verify_every", 100)))
        await _answer(send, 200, b"{}")
    elif path == "/_dump":
        await _answer(send, 200, json.dumps({"records": S["records"]}).encode())
    else:
        await _answer(send, 404, b"{}")
'''


# --------------------------------------------------------------------------- processes


PIN = True  # set in main(): taskset present and 2 CPUs or more
CHILDREN: list[subprocess.Popen[bytes]] = []


def pinned(cpu: str, argv: list[str]) -> list[str]:
    return ["taskset", "-c", cpu, *argv] if PIN else argv


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL after STOP_SECONDS; only this process (by its id)."""
    if process.poll() is None:
        try:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_SECONDS)
    if process in CHILDREN:
        CHILDREN.remove(process)


def stop_all() -> None:
    for process in list(CHILDREN):
        try:
            stop_process(process)
        except Exception as exc:  # noqa: BLE001 - keep stopping the others
            print(f"could not stop pid {process.pid}: {exc}", file=sys.stderr)


class Worker:
    """`python -m app.cli worker` on CPU 0, its output in a temporary log file."""

    def __init__(self, database_url: str, key: str, threads: int, poll: float):
        env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("JWT_", "WEBHOOK"))}
        env.update(
            DATABASE_URL=database_url, WEBHOOK_SECRETS_KEY=key, WEBHOOKS_ALLOW_HTTP="1", WORKER_THREADS=str(threads),
            WORKER_POLL_SECONDS=str(poll), LOG_LEVEL="INFO", JWT_SECRET=JWT,
        )
        self.log = tempfile.NamedTemporaryFile(prefix="bench-webhooks-worker-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(
            pinned(SERVICE_CPU, [sys.executable, "-m", "app.cli", "worker"]),
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        CHILDREN.append(self.process)

    def text(self) -> str:
        try:
            return Path(self.log.name).read_text(errors="replace")
        except OSError:
            return ""

    def started(self) -> bool:
        if self.process.poll() is not None:
            tail = "\n".join(self.text().splitlines()[-30:])
            raise BenchError(f"a worker exited with {self.process.returncode}:\n{tail}")
        return "worker started" in self.text()

    def problems(self) -> list[str]:
        """Its log lines at warning level or above."""
        found = []
        for line in self.text().splitlines():
            try:
                level = json.loads(line).get("level", "")
            except ValueError:
                level = "error" if "Traceback" in line else ""
            if level in ("warning", "error", "critical"):
                found.append(line[:300])
        return found

    def stop(self) -> None:
        stop_process(self.process)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


def start_workers(n: int, database_url: str, key: str, threads: int, poll: float) -> list[Worker]:
    workers = [Worker(database_url, key, threads, poll) for _ in range(n)]
    deadline = time.monotonic() + WORKER_START_SECONDS
    while not all(w.started() for w in workers):
        if time.monotonic() > deadline:
            raise BenchError(f"the workers did not log 'worker started' within {WORKER_START_SECONDS:.0f} s")
        time.sleep(0.05)
    return workers


def settle(workers: list[Worker], window: float = 0.5) -> tuple[float, float]:
    """Wait until the workers are idle (their start-up done: imports, the scheduled jobs' first
    look): until their CPU over `window` is under SETTLED_BUSY of a core, for at most
    SETTLE_SECONDS. Their busy share at the end and the time waited."""
    pids = [w.process.pid for w in workers]
    started = time.monotonic()
    before = sum(cpu_by_pid(pids).values())
    while True:
        time.sleep(window)
        now = sum(cpu_by_pid(pids).values())
        busy = (now - before) / window
        waited = time.monotonic() - started
        if busy < SETTLED_BUSY or waited > SETTLE_SECONDS:
            return busy, waited
        before = now


def stop_workers(workers: list[Worker]) -> list[str]:
    problems = [p for w in workers for p in w.problems()]
    for w in workers:
        w.stop()
    return problems


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """User and system time of these processes, in seconds (fields 14 and 15 of /proc/PID/stat)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            found[pid] = (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return found


def postgres_pids() -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() == "postgres":
                        pids.append(int(entry))
            except OSError:
                pass
    return pids


class CpuMeter:
    """CPU seconds of the workers and of PostgreSQL's processes between `start` and `stop`
    (a backend that appears meanwhile counts whole; one that exits meanwhile is lost)."""

    def __init__(self, workers: list[Worker], postgres: bool = True):
        self.postgres = postgres
        self.worker_pids = [w.process.pid for w in workers]
        self.before_w = cpu_by_pid(self.worker_pids)
        self.before_pg = cpu_by_pid(postgres_pids())
        self.started = time.monotonic()

    def stop(self) -> tuple[float, float, float]:
        """(worker CPU s, postgres CPU s, wall s)."""
        after_w = cpu_by_pid(self.worker_pids)
        after_pg = cpu_by_pid(postgres_pids())
        w = sum(v - self.before_w.get(p, 0.0) for p, v in after_w.items())
        pg = sum(v - self.before_pg.get(p, 0.0) for p, v in after_pg.items()) if self.postgres else math.nan
        return w, pg, time.monotonic() - self.started


# --------------------------------------------------------------------------- database side


@dataclass
class Db:
    kind: str  # postgresql or sqlite
    url: str
    key: str
    settings: Settings
    engine: Engine

    def clean(self) -> None:
        with self.engine.begin() as conn:
            if self.kind == "postgresql":
                conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
            else:
                for table in TABLES:
                    conn.execute(text(f"DELETE FROM {table}"))

    def subscriptions(self, n: int, receiver: str) -> list[str]:
        """`n` admin subscriptions to the events this script emits, at `receiver`/hooks/<k>; their
        secrets (not `*`: each would also get the later subscriptions' own `webhook.created`)."""
        admin = Principal(sub="bench-admin", roles=frozenset({Role.admin}))
        found = []
        for k in range(n):
            with open_session(self.engine, write=True) as s:
                created = service.create(s, admin, self.settings, WebhookCreate(url=f"{receiver}/hooks/{k}", event_types=[EVENT_TYPE]))
                s.commit()
            found.append(created.secret)
        return found

    def hold(self, on: bool) -> None:
        """Lease every subscription to nobody for a day (no worker takes them), or release them."""
        values = {"leased_by": HOLD, "lease_until": clock.now() + timedelta(days=1)} if on else {"leased_by": None, "lease_until": None}
        with open_session(self.engine, write=True) as s:
            s.execute(update(WebhookSubscription).values(**values))
            s.commit()

    def emit(self, n: int) -> tuple[str, float]:
        """One event in its own transaction: its id and the time just after the commit."""
        with open_session(self.engine, write=True) as s:
            event = outbox.emit(s, EVENT_TYPE, "bench", {"n": n})
            s.commit()
        return str(event.id), time.time()


# --------------------------------------------------------------------------- receiver


class Receiver:
    def __init__(self, server: Server):
        self.server = server
        self.base = server.base_url
        self.http = httpx.Client(base_url=self.base, timeout=30.0, trust_env=False)

    def reset(self, secrets_: list[str], verify_every: int) -> None:
        self.http.post("/_reset", json={"secrets": secrets_, "verify_every": verify_every}).raise_for_status()

    def count(self) -> dict[str, Any]:
        response = self.http.get("/_count")
        response.raise_for_status()
        return response.json()

    def dump(self) -> list[tuple[float, int, str]]:
        response = self.http.get("/_dump")
        response.raise_for_status()
        return [tuple(r) for r in response.json()["records"]]  # type: ignore[misc]

    def wait_for(self, unique: int, timeout: float, poll: float = 0.05) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            got = self.count()
            if got["unique"] >= unique or time.monotonic() > deadline:
                return got
            time.sleep(poll)

    def close(self) -> None:
        self.http.close()


# --------------------------------------------------------------------------- runs


@dataclass
class Rate:
    label: str
    deliveries: int
    expected: int
    total: int  # requests, duplicates included
    seconds: float
    rate: float
    gap_s: float = math.nan  # release -> first arrival
    worker_cpu_s: float = math.nan
    pg_cpu_s: float = math.nan
    wall_s: float = math.nan
    verified: int = 0
    bad: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class Lag:
    label: str
    events: int
    deliveries: int
    expected: int
    achieved_rate: float
    lags: list[float]  # seconds, ascending; inf for missing
    worker_cpu_s: float = math.nan
    pg_cpu_s: float = math.nan
    wall_s: float = math.nan
    bad: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return percentile(self.lags, 50)

    @property
    def p99(self) -> float:
        return percentile(self.lags, 99)


def sample_body() -> str:
    event = {"seq": 1, "id": uuid.uuid4(), "type": EVENT_TYPE, "occurred_at": datetime.now(UTC), "subject_id": "bench",
             "data": {"n": 0}}
    return EventRead.model_validate(event).model_dump_json()


def reference_loop(url: str, secret: str, seconds: float) -> None:
    """The child process of the reference run: one httpx.Client POSTing the same body, signed
    afresh each time like a worker's attempt, for `seconds`; prints a JSON line."""
    body = sample_body()
    content = body.encode()
    sent = errors = 0
    with httpx.Client(timeout=httpx.Timeout(5.0), follow_redirects=False, trust_env=False) as http:
        started = time.perf_counter()
        deadline = started + seconds
        while time.perf_counter() < deadline:
            message_id = str(uuid.uuid4())
            sent_at = datetime.now(UTC)
            headers = {
                "content-type": "application/json", "user-agent": USER_AGENT, "webhook-id": message_id,
                "webhook-timestamp": str(int(sent_at.timestamp())),
                "webhook-signature": signing.signature([secret], message_id, sent_at, body),
            }
            if http.post(url, content=content, headers=headers).status_code != 200:
                errors += 1
            sent += 1
        elapsed = time.perf_counter() - started
    print(json.dumps({"sent": sent, "errors": errors, "seconds": elapsed}), flush=True)


def run_reference(db: Db, receiver: Receiver, args: argparse.Namespace) -> Rate:
    secret = signing.new_secret()
    receiver.reset([secret], args.verify_every)
    command = pinned(SERVICE_CPU, [sys.executable, str(Path(__file__).resolve()), "--reference-loop", f"{receiver.base}/hooks/0",
                                   "--reference-secret", secret, "--reference-seconds", str(args.reference_seconds)])
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    CHILDREN.append(process)
    try:
        out, err = process.communicate(timeout=args.reference_seconds + 60)
    finally:
        stop_process(process)
    if process.returncode != 0:
        raise BenchError(f"the reference loop exited with {process.returncode}:\n{err.decode(errors='replace')[-2000:]}")
    loop = json.loads(out.decode().strip().splitlines()[-1])
    got = receiver.count()
    seconds = (got["last"] or 0) - (got["first"] or 0)
    rate = (got["total"] - 1) / seconds if seconds > 0 else math.nan
    if loop["errors"]:
        raise BenchError(f"the reference loop got {loop['errors']} answers other than 200")
    return Rate("reference", got["total"], loop["sent"], got["total"], seconds, rate, verified=got["verified"], bad=got["bad"])


def run_throughput(db: Db, receiver: Receiver, n_workers: int, args: argparse.Namespace) -> Rate:
    db.clean()
    secrets_ = db.subscriptions(args.subscriptions, receiver.base)
    db.hold(True)
    started = time.monotonic()
    for i in range(args.events):
        db.emit(i)
    print(f"    (pre-loaded {args.events} events, one transaction each, in {time.monotonic() - started:.1f} s)", flush=True)
    receiver.reset(secrets_, args.verify_every)
    workers = start_workers(n_workers, db.url, db.key, args.threads, args.poll)
    problems: list[str] = []
    try:
        idle, waited = settle(workers)
        print(f"    (workers idle at {idle:.0%} of a core after {waited:.1f} s)", flush=True)
        meter = CpuMeter(workers, postgres=db.kind == "postgresql")
        db.hold(False)
        released = time.time()
        expected = args.events * args.subscriptions
        got = receiver.wait_for(expected, args.timeout)
        worker_cpu, pg_cpu, wall = meter.stop()
    finally:
        problems = stop_workers(workers)
    if got["unique"] < expected:
        print(f"    only {got['unique']} of {expected} deliveries arrived within {args.timeout:g} s", flush=True)
    seconds = (got["last"] or 0) - (got["first"] or 0)
    rate = (got["unique"] - 1) / seconds if seconds > 0 else math.nan
    return Rate(f"{n_workers} worker(s)", got["unique"], expected, got["total"], seconds, rate,
                gap_s=(got["first"] or math.nan) - released, worker_cpu_s=worker_cpu, pg_cpu_s=pg_cpu, wall_s=wall,
                verified=got["verified"], bad=got["bad"], problems=problems)


def run_lag(db: Db, receiver: Receiver, n_workers: int, n_subs: int, args: argparse.Namespace) -> Lag:
    db.clean()
    secrets_ = db.subscriptions(n_subs, receiver.base)
    receiver.reset(secrets_, args.verify_every)
    workers = start_workers(n_workers, db.url, db.key, args.threads, args.poll)
    commits: dict[str, float] = {}
    try:
        settle(workers)
        meter = CpuMeter(workers, postgres=db.kind == "postgresql")
        t0 = time.monotonic()
        i = 0
        while True:
            due = t0 + i / args.rate
            if due >= t0 + args.seconds:
                break
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            event_id, committed = db.emit(i)
            commits[event_id] = committed
            i += 1
        achieved = i / (time.monotonic() - t0)
        expected = len(commits) * n_subs
        got = receiver.wait_for(expected, args.drain_seconds)
        worker_cpu, pg_cpu, wall = meter.stop()
    finally:
        problems = stop_workers(workers)
    first: dict[tuple[int, str], float] = {}
    for arrived, sub, event_id in receiver.dump():
        key = (sub, event_id)
        if event_id in commits and key not in first:
            first[key] = arrived
    lags = sorted(arrived - commits[event_id] for (_sub, event_id), arrived in first.items())
    lags += [math.inf] * (expected - len(lags))
    return Lag(f"{n_workers} worker(s), {n_subs} subscription(s)", len(commits), len(first), expected, achieved, lags,
               worker_cpu_s=worker_cpu, pg_cpu_s=pg_cpu, wall_s=wall, bad=got["bad"], problems=problems)


# --------------------------------------------------------------------------- report


def ms(seconds: float) -> str:
    return "never" if math.isinf(seconds) else f"{seconds * 1000:,.0f} ms"


def cpu_text(worker_s: float, pg_s: float, wall_s: float, n: int) -> str:
    if not n or math.isnan(worker_s):
        return "-"
    if math.isnan(pg_s):  # SQLite: the database is inside the worker
        return f"workers {1000 * worker_s / n:.2f} ms per delivery; busy {worker_s / wall_s:.0%} of a core"
    return (f"workers {1000 * worker_s / n:.2f} / postgres {1000 * pg_s / n:.2f} ms per delivery; "
            f"busy {worker_s / wall_s:.0%} / {pg_s / wall_s:.0%} of a core")


def report(args: argparse.Namespace, kind: str, counts: list[int], ref: list[Rate], rates: dict[int, list[Rate]],
           lags: dict[tuple[int, int], list[Lag]]) -> None:
    ref_rate = statistics.median(r.rate for r in ref)
    pin = (f"workers and reference loop on CPU {SERVICE_CPU}, receiver and load generator on CPU {LOAD_CPU}" if PIN
           else "NOT pinned (taskset missing or one CPU): figures are rougher")
    print()
    print("=" * 100)
    print(f"Webhook delivery on {kind}: {args.subscriptions} subscriptions (all to one local receiver), {args.threads} delivery "
          f"threads per worker, poll {args.poll:g} s; medians of {args.rounds} A B A B rounds; {pin}")
    print("=" * 100)
    print("| figure | median | runs | target | result | CPU (median run) |")
    print("|---|---|---|---|---|---|")
    print(f"| deliveries/s, reference loop (one `httpx.Client`, 1 connection) | {ref_rate:,.0f} | "
          f"{' / '.join(f'{r.rate:.0f}' for r in ref)} | - | - | - |")
    verdicts: list[str] = []
    for n in counts:
        rs = rates[n]
        med = statistics.median(r.rate for r in rs)
        mid = sorted(rs, key=lambda r: r.rate)[len(rs) // 2]
        share = med / ref_rate if ref_rate else math.nan
        complete = all(r.deliveries >= r.expected for r in rs)
        target, result = "-", "-"
        if n == 4:
            target = f">= {THROUGHPUT_TARGET:.0f}"
            result = "PASS" if med >= THROUGHPUT_TARGET and complete else "FAIL"
            verdicts.append(f"4 workers >= {THROUGHPUT_TARGET:.0f} deliveries/s: {med:.1f}  {result}")
        note = "" if complete else " (incomplete)"
        print(f"| deliveries/s, {n} worker process{'es' if n > 1 else ''} ({args.events:,} events x {args.subscriptions} = "
              f"{args.events * args.subscriptions:,}) | {med:,.0f} ({share:.0%} of reference){note} | "
              f"{' / '.join(f'{r.rate:.0f}' for r in rs)} | {target} | {result} | "
              f"{cpu_text(mid.worker_cpu_s, mid.pg_cpu_s, mid.wall_s, mid.deliveries)} |")
    for (n, subs), ls in lags.items():
        p50 = statistics.median(lag.p50 for lag in ls)
        p99 = statistics.median(lag.p99 for lag in ls)
        mid = sorted(ls, key=lambda lag: lag.p99)[len(ls) // 2]
        result = "PASS" if p99 < LAG_TARGET_S else "FAIL"
        verdicts.append(f"lag p99 < {LAG_TARGET_S:g} s, {n} worker{'s' if n > 1 else ''}, {args.rate:g} events/s x {subs} "
                        f"subscription{'s' if subs > 1 else ''} ({args.rate * subs:g} deliveries/s): {ms(p99)}  {result}")
        print(f"| lag commit -> delivery p50 / p99, {n} worker process{'es' if n > 1 else ''} ({args.rate:g} events/s x "
              f"{subs} subscription{'s' if subs > 1 else ''} = {args.rate * subs:g} deliveries/s, {args.seconds:g} s) | "
              f"{ms(p50)} / {ms(p99)} | {' / '.join(f'{ms(lag.p50)}, {ms(lag.p99)}' for lag in ls)} | p99 < {LAG_TARGET_S:g} s | "
              f"{result} | {cpu_text(mid.worker_cpu_s, mid.pg_cpu_s, mid.wall_s, mid.deliveries)} |")
    if 4 not in counts:
        verdicts.append("4 workers: skipped (" + ("SQLite runs one worker" if kind == "sqlite" else "not asked for") + ")")
    print()
    for rs in rates.values():
        for r in rs:
            print(f"  throughput {r.label}: {r.deliveries}/{r.expected} deliveries ({r.total - r.deliveries} repeated) in "
                  f"{r.seconds:.2f} s, first arrival {r.gap_s * 1000:.0f} ms after the release")
    for ls in lags.values():
        for lag in ls:
            print(f"  lag {lag.label}: {lag.events} events at {lag.achieved_rate:.1f}/s, {lag.deliveries}/{lag.expected} "
                  f"deliveries, max {ms(lag.lags[-1]) if lag.lags else '-'}")
    verified = sum(r.verified for rs in [ref, *rates.values()] for r in rs)
    bad = sum(r.bad for rs in [ref, *rates.values()] for r in rs) + sum(lag.bad for ls in lags.values() for lag in ls)
    print(f"  signatures checked by the receiver (one in {args.verify_every}): {verified} good, {bad} bad")
    problems = [p for rs in rates.values() for r in rs for p in r.problems] + [p for ls in lags.values() for lag in ls for p in lag.problems]
    print(f"  worker log lines at warning or above: {len(problems)}" + (f"; first: {problems[0]}" if problems else ""))
    print()
    print("Targets (issue 13, point 5):")
    for line in verdicts:
        print(f"  {line}")
    print("=" * 100)


# --------------------------------------------------------------------------- main


def _sigterm(_signum: int, _frame: Any) -> None:
    raise SystemExit(143)  # runs the finally blocks: every child stopped


def main(argv: list[str] | None = None) -> int:
    global PIN
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    add_database_options(parser, "bench_webhooks")
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file in a temporary folder instead (one worker only)")
    parser.add_argument("--rounds", type=int, default=2, help="A B A B rounds (medians over them)")
    parser.add_argument("--events", type=int, default=1000, help="events pre-loaded for each throughput run")
    parser.add_argument("--subscriptions", type=int, default=8, help="subscriptions for the throughput runs")
    parser.add_argument("--workers", default="1,4", help="worker process counts, comma-separated")
    parser.add_argument("--threads", type=int, default=4, help="WORKER_THREADS of each worker")
    parser.add_argument("--poll", type=float, default=0.1, help="WORKER_POLL_SECONDS of each worker")
    parser.add_argument("--rate", type=float, default=50.0, help="events/s of the lag runs")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each lag run")
    parser.add_argument("--lag-subscriptions", default="1,8",
                        help="subscription counts for the lag runs, comma-separated: each event is delivered to each")
    parser.add_argument("--drain-seconds", type=float, default=30.0, help="wait for the last deliveries of a lag run")
    parser.add_argument("--reference-seconds", type=float, default=3.0, help="length of each reference run")
    parser.add_argument("--timeout", type=float, default=300.0, help="give up on a throughput run after this long")
    parser.add_argument("--verify-every", type=int, default=100, help="the receiver verifies one signature in this many")
    parser.add_argument("--no-pin", action="store_true", help="do not pin processes with taskset")
    parser.add_argument("--reference-loop", help=argparse.SUPPRESS)
    parser.add_argument("--reference-secret", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.reference_loop:
        reference_loop(args.reference_loop, args.reference_secret, args.reference_seconds)
        return 0
    lag_subs = sorted({int(c) for c in args.lag_subscriptions.split(",") if c.strip()})
    counts = sorted({int(c) for c in args.workers.split(",") if c.strip()})
    if args.sqlite and any(c > 1 for c in counts):
        print("SQLite runs one worker only: the 4-worker figures are skipped", flush=True)
        counts = [1]
    if not counts or not lag_subs or min(counts + lag_subs) < 1 or min(args.rounds, args.events, args.subscriptions) < 1:
        parser.error("--workers, --lag-subscriptions, --rounds, --events and --subscriptions must be positive")
    PIN = not args.no_pin and shutil.which("taskset") is not None and (os.cpu_count() or 1) >= 2
    if PIN:
        os.sched_setaffinity(0, {int(LOAD_CPU)})  # this script is the load generator
    else:
        print("note: not pinning (--no-pin, taskset missing, or one CPU); the sides share the CPUs", flush=True)
    key = secrets.token_urlsafe(24)

    def body(kind: str, db_url: str) -> None:
        settings = Settings(database_url=db_url, webhook_secrets_key=key, webhooks_allow_http=True, jwt_secret=JWT)
        engine = build_engine(settings)
        db = Db(kind, db_url, key, settings, engine)
        workdir = Path(tempfile.mkdtemp(prefix="bench-webhooks-"))
        (workdir / "wh_receiver.py").write_text(RECEIVER)
        port = free_port()
        server = Server(db_url, JWT, port, "bench-webhooks-receiver-", cpus=LOAD_CPU if PIN else None, ready_path="/_count", argv=[
            sys.executable, "-m", "uvicorn", "wh_receiver:app", "--app-dir", str(workdir), "--host", "127.0.0.1",
            "--port", str(port), "--log-level", "warning", "--no-access-log", "--timeout-keep-alive", "120",
        ])
        CHILDREN.append(server.process)
        receiver: Receiver | None = None
        try:
            print(f"receiver ready on {server.base_url} after {server.wait_ready():.1f} s", flush=True)
            receiver = Receiver(server)
            ref: list[Rate] = []
            rates: dict[int, list[Rate]] = {n: [] for n in counts}
            lags: dict[tuple[int, int], list[Lag]] = {(n, subs): [] for subs in lag_subs for n in counts}
            for rnd in range(1, args.rounds + 1):
                print(f"throughput round {rnd}/{args.rounds}", flush=True)
                r = run_reference(db, receiver, args)
                ref.append(r)
                print(f"  reference  {r.rate:7.0f} deliveries/s ({r.total} in {r.seconds:.2f} s)", flush=True)
                for n in counts:
                    r = run_throughput(db, receiver, n, args)
                    rates[n].append(r)
                    print(f"  {n} worker(s) {r.rate:7.0f} deliveries/s ({r.deliveries}/{r.expected} in {r.seconds:.2f} s; "
                          f"{cpu_text(r.worker_cpu_s, r.pg_cpu_s, r.wall_s, r.deliveries)})", flush=True)
            for rnd in range(1, args.rounds + 1):
                print(f"lag round {rnd}/{args.rounds}", flush=True)
                for n, subs in lags:
                    lag = run_lag(db, receiver, n, subs, args)
                    lags[(n, subs)].append(lag)
                    print(f"  {n} worker(s), {subs} subscription(s): p50 {ms(lag.p50)}  p99 {ms(lag.p99)}  ({lag.deliveries}/{lag.expected} deliveries, "
                          f"{lag.achieved_rate:.1f} events/s; {cpu_text(lag.worker_cpu_s, lag.pg_cpu_s, lag.wall_s, lag.deliveries)})",
                          flush=True)
            report(args, kind, counts, ref, rates, lags)
        finally:
            if receiver is not None:
                receiver.close()
            stop_all()
            server.stop()
            engine.dispose()
            shutil.rmtree(workdir, ignore_errors=True)

    try:
        if args.sqlite:
            signal.signal(signal.SIGTERM, _sigterm)
            folder = Path(tempfile.mkdtemp(prefix="bench-webhooks-sqlite-"))
            try:
                db_url = f"sqlite:///{folder / 'bench.db'}"
                migrate(Settings(database_url=db_url))
                body("sqlite", db_url)
                return 0
            except BenchError as exc:
                print(f"bench/webhooks.py: error: {exc}", file=sys.stderr)
                return 1
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        url = database_url(parser, args, "bench_webhooks")
        return run("bench/webhooks.py", url, args.maintenance_db, "bench-webhooks-server-",
                   lambda scratch: body("postgresql", scratch.database_url))
    finally:
        stop_all()


if __name__ == "__main__":
    raise SystemExit(main())

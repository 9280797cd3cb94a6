"""Exports and reports over a year of data (issue 14, point 4).

What it measures, over real HTTP against the real server (uvicorn, one worker, pinned to
CPU 0; this script pins itself to CPU 1):

1. **Streaming exports.** `GET /api/v1/exports/sessions.csv` and `.ndjson` as a data analyst
   (the pseudonymised view), read with httpx streaming (bytes counted, newlines counted):
   rows/s, time to first body byte, total time, and the server's peak RSS growth during the
   stream (VmRSS of the server process and any children, sampled every ~20 ms in a thread,
   minus the RSS just before the request). Reference, side by side in the same rounds: the
   very same SELECT (compiled from `app.exports.service.statement`) streamed by psycopg
   straight from PostgreSQL with `COPY (SELECT ...) TO STDOUT (FORMAT csv)`; the HTTP
   export's rate is printed as a share of it. Rounds go A B A B (`--rounds`).
2. **Reports.** `GET /api/v1/reports/{report}?from=YYYY-MM&to=YYYY-MM` over the 12 months of
   data for the seven reports, as a data analyst, `--report-requests` (20) each after two
   warm-ups: p50/p95 per report.

Data: `--rows` (1,000,000) `contact_session` rows over the last 365 days, loaded
server-side with `INSERT ... SELECT ... FROM generate_series` (UUIDs from gen_random_uuid /
md5, never through the API), with the rows they need: the service's areas (Settings.areas),
8 venues of 10 rooms per area, one CSW per "lane" (a lane is one room and one CSW), children
(30 per lane, one decided referral and one active arrangement each), a team leader, session
records for completed sessions, some breaches and suspensions. Sessions sit in one-hour
slots 08:00-20:00 local, every day; each slot has one session per lane, and the child of a
lane rotates through its area's children so that no two live sessions overlap for one room,
CSW or child (the exclusion constraints of the scheduling migrations stay on). About 86%
completed, 9% cancelled (some late), 2% on hold, 3% booked (already over).

Targets (issue 14): peak RSS growth < 50 MB, CSV >= 50,000 rows/s, first byte < 1 s,
report p95 < 500 ms.

How to run (repository root, PostgreSQL on 127.0.0.1:5432 user postgres, `taskset`, 2 CPUs):

    .venv/bin/python bench/exports.py                   # 1M rows: load a few minutes
    .venv/bin/python bench/exports.py --rows 100000 --rounds 2 --keep

It creates the scratch database (`bench_exports_<pid>`, or `--database-url`, which must not
exist), migrates it with `contact-service migrate`, loads, measures, stops the server and
drops the database (unless `--keep`). Exit code 0 when the measurement ran (PASS or FAIL),
1 on an error.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]

from harness import BenchError, Server, check_loopback, free_port, percentile  # noqa: I001

import argparse
import math
import os
import secrets
import signal
import statistics
import subprocess
import threading
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import psycopg
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url

from app.core.config import Settings
from app.core.security import mint_local_token
from app.exports import service as exports

SERVER_CPU = "0"
CLIENT_CPU = 1
SLOTS_PER_DAY = 12  # one-hour slots 08:00-20:00 local
DAYS = 365
CHILDREN_PER_LANE = 30  # a child comes round every 30 slots of its lane (2-3 days)
ROOMS_PER_VENUE = 10
REPORTS = ("sessions-delivered", "decision-timeliness", "triage-timeliness", "record-timeliness", "breaches", "suspensions", "cancellations")
API = "/api/v1"
TARGET_RSS_MB = 50.0
TARGET_CSV_ROWS_S = 50_000
TARGET_TTFB_S = 1.0
TARGET_REPORT_P95_MS = 500.0


# --------------------------------------------------------------------------- loading


def lanes_for(rows: int, n_areas: int) -> int:
    """Lanes (room + CSW) so the rows fill about a year of slots; a multiple of the areas."""
    per_area = max(1, math.ceil(rows / (DAYS * SLOTS_PER_DAY) / n_areas))
    return per_area * n_areas


def load(conninfo: str, rows: int, areas: list[str], zone: str, today: date) -> dict[str, Any]:
    """Fill the scratch database server-side; returns the layout (first day, lanes, counts)."""
    n_areas = len(areas)
    lanes = lanes_for(rows, n_areas)
    per_area = lanes // n_areas
    cpa = per_area * CHILDREN_PER_LANE  # children per area
    n_children = cpa * n_areas
    venues_per_area = math.ceil(per_area / ROOMS_PER_VENUE)
    slots = math.ceil(rows / lanes)
    days = math.ceil(slots / SLOTS_PER_DAY)
    first_day = today - timedelta(days=days + 1)  # every session is over by yesterday
    area_array = "ARRAY[" + ",".join(f"'{a}'" for a in areas) + "]::text[]"
    # Literals, not placeholders: the SQL uses `%` as modulo (trusted values, generated here).
    p = {"first": f"'{first_day.isoformat()}'", "zone": f"'{zone}'", "now": f"'{datetime.now(UTC).isoformat()}'::timestamptz"}
    steps: list[tuple[str, str]] = [
        ("staff", f"""
            INSERT INTO staff (sub, name, role, area, working_hours, daily_cap, updated_at)
            SELECT 'csw-' || l, 'Worker ' || l, 'contact_support_worker', ({area_array})[l / {per_area} + 1],
                   (SELECT jsonb_agg(jsonb_build_object('weekday', d, 'opens', '08:00', 'closes', '20:00')) FROM generate_series(0, 6) d),
                   {SLOTS_PER_DAY}, %(now)s
            FROM generate_series(0, {lanes - 1}) l
            UNION ALL SELECT 'tl-bench', 'Team Leader', 'team_leader', ({area_array})[1], '[]'::jsonb, 3, %(now)s"""),
        ("venue", f"""
            INSERT INTO venue (id, name, area, opening_hours, created_at)
            SELECT md5('venue' || a || '-' || v)::uuid, 'Venue ' || a || '-' || v, ({area_array})[a + 1],
                   (SELECT jsonb_agg(jsonb_build_object('weekday', d, 'opens', '08:00', 'closes', '20:00')) FROM generate_series(0, 6) d), %(now)s
            FROM generate_series(0, {n_areas - 1}) a, generate_series(0, {venues_per_area - 1}) v"""),
        ("room", f"""
            INSERT INTO room (id, venue_id, name, capacity, min_age, max_age, accessible, outdoor_space, created_at)
            SELECT md5('room' || l)::uuid, md5('venue' || (l / {per_area}) || '-' || ((l % {per_area}) / {ROOMS_PER_VENUE}))::uuid,
                   'Room ' || l, 6, 0, 18, l % 3 = 0, l % 4 = 0, %(now)s
            FROM generate_series(0, {lanes - 1}) l"""),
        ("child", f"""
            INSERT INTO child (id, source, external_id, first_name, last_name, date_of_birth, legal_status, court_arena,
                               placement_type, address_withheld, social_worker_sub, team, iro_sub, area, version, created_at, updated_at)
            SELECT md5('child' || n)::uuid, 'framework', 'X' || lpad(n::text, 7, '0'), 'Amara', 'Okafor',
                   DATE '2010-01-01' + (n * 37) % 5800,
                   (ARRAY['s20_accommodated','interim_care_order','care_order','placement_order'])[n % 4 + 1], n % 5 = 0,
                   (ARRAY['foster','ifa','residential','kinship'])[n % 4 + 1], n % 20 = 0,
                   'sw-' || (n % 97), 'team-' || (n % 7), 'iro-' || (n % 13), ({area_array})[n / {cpa} + 1], 1,
                   %(first)s::timestamptz - interval '30 days', %(first)s::timestamptz - interval '30 days'
            FROM generate_series(0, {n_children - 1}) n"""),
        ("referral", f"""
            INSERT INTO referral (id, child_id, social_worker_sub, team, area, status, version, purposes, level,
                                  frequency_times, frequency_per, duration_minutes, risk_assessment, court_arena, urgent, priority,
                                  created_at, updated_at, submitted_by, received_at, decision_due_at, triage_due_at,
                                  triaged_at, triaged_by, triage_missed, outcome, decided_at, decided_by, room_only,
                                  notified_at, decision_missed)
            SELECT md5('referral' || n)::uuid, md5('child' || n)::uuid, 'sw-' || (n % 97), 'team-' || (n % 7),
                   ({area_array})[n / {cpa} + 1], 'decided', 3, '["family_time"]'::jsonb, 'supervised', 2, 'week', 60, '{{}}'::jsonb,
                   n % 5 = 0, urgent, CASE WHEN urgent THEN 1 ELSE 3 END,
                   rcv, rcv, 'sw-' || (n % 97), rcv, rcv + interval '7 days',
                   CASE WHEN urgent THEN rcv + interval '1 day' END,
                   CASE WHEN urgent THEN rcv + (n % 30) * interval '1 hour' END, CASE WHEN urgent THEN 'tl-bench' END,
                   urgent AND n % 30 > 24, 'accepted_core', rcv + (n % 9) * interval '1 day', 'tl-bench', false,
                   rcv + (n % 9) * interval '1 day', n % 9 > 7
            FROM (SELECT n, n % 10 = 0 AS urgent,
                         %(first)s::timestamptz + (n % {max(days, 1)}) * interval '1 day' + interval '9 hours' AS rcv
                  FROM generate_series(0, {n_children - 1}) n) r"""),
        ("arrangement", f"""
            INSERT INTO arrangement (id, referral_id, child_id, area, status, basis, level, room_only, court_arena,
                                     breach_count, opened_at, version, s34_application_needed)
            SELECT md5('arrangement' || n)::uuid, md5('referral' || n)::uuid, md5('child' || n)::uuid,
                   ({area_array})[n / {cpa} + 1], 'active', 'accepted_core', 'supervised', false, n % 5 = 0, 0,
                   %(first)s::timestamptz - interval '20 days', 1, false
            FROM generate_series(0, {n_children - 1}) n"""),
    ]
    chunk = 100_000
    for start in range(0, rows, chunk):
        stop = min(rows, start + chunk) - 1
        # i: row; s: slot; l: lane; area index l / per_area; child rotates inside the area.
        steps.append((f"contact_session {start:,}-{stop:,}", f"""
            INSERT INTO contact_session (id, arrangement_id, child_id, room_id, venue_id, csw_sub, starts_at, ends_at, status,
                                         overrides, retrospective, created_at, created_by, updated_at, version,
                                         cancelled_at, cancelled_by, cancelled_by_sub, cancel_reason, late_cancellation)
            SELECT gen_random_uuid(), md5('arrangement' || c)::uuid, md5('child' || c)::uuid, md5('room' || l)::uuid,
                   md5('venue' || (l / {per_area}) || '-' || ((l % {per_area}) / {ROOMS_PER_VENUE}))::uuid, 'csw-' || l,
                   st, st + CASE WHEN h % 2 = 0 THEN interval '60 minutes' ELSE interval '45 minutes' END,
                   CASE WHEN h < 86 THEN 'completed' WHEN h < 95 THEN 'cancelled' WHEN h < 97 THEN 'on_hold' ELSE 'booked' END,
                   '{{}}'::jsonb, h = 3, st - interval '14 days', 'tl-bench', st - interval '14 days', 1,
                   CASE WHEN h BETWEEN 86 AND 94 THEN st - (h - 85) * interval '9 hours' END,
                   CASE WHEN h BETWEEN 86 AND 94 THEN (ARRAY['parent','carer','child','social_worker','service','other'])[h % 6 + 1] END,
                   CASE WHEN h BETWEEN 86 AND 94 THEN 'tl-bench' END,
                   CASE WHEN h BETWEEN 86 AND 94 THEN 'Unwell' END,
                   h BETWEEN 86 AND 88
            FROM (SELECT i, l, (l / {per_area}) * {cpa} + ((l % {per_area}) + s * {per_area}) % {cpa} AS c,
                         ((%(first)s::date + (s / {SLOTS_PER_DAY})::int) + make_interval(hours => 8 + (s % {SLOTS_PER_DAY})::int))
                             AT TIME ZONE %(zone)s AS st,
                         (i * 7919 + i / 101) % 100 AS h
                  FROM (SELECT i, i / {lanes} AS s, i % {lanes} AS l FROM generate_series({start}::bigint, {stop}::bigint) i) g) x"""))
    steps += [
        ("session_record", """
            INSERT INTO session_record (id, session_id, arrangement_id, csw_sub, status, version, fields, due_at, submitted_at,
                                        submitted_by, late, created_at, updated_at)
            SELECT gen_random_uuid(), id, arrangement_id, csw_sub, 'submitted', 2, '{}'::jsonb, ends_at + interval '2 days',
                   ends_at + (k % 60) * interval '1 hour', csw_sub, k % 60 >= 48, ends_at, ends_at + (k % 60) * interval '1 hour'
            FROM (SELECT id, arrangement_id, csw_sub, ends_at, abs(hashtext(id::text)) AS k FROM contact_session
                  WHERE status = 'completed') s"""),
        ("breach", f"""
            INSERT INTO breach (id, arrangement_id, severity, description, occurred_at, recorded_by, recorded_at, suspended)
            SELECT gen_random_uuid(), md5('arrangement' || (b * 7) % {n_children})::uuid,
                   CASE WHEN b % 5 = 0 THEN 'serious' ELSE 'ordinary' END, 'Late arrival',
                   %(first)s::timestamptz + (b % {max(days, 1)}) * interval '1 day' + interval '15 hours', 'csw-0',
                   %(first)s::timestamptz + (b % {max(days, 1)}) * interval '1 day' + interval '18 hours', b % 40 = 0
            FROM generate_series(0, {max(1, n_children // 2) - 1}) b"""),
        ("restriction", f"""
            INSERT INTO restriction (id, arrangement_id, kind, reason, starts_on, ends_on, emergency, authorised_by, authorised_at, notices)
            SELECT gen_random_uuid(), md5('arrangement' || (b * 11) % {n_children})::uuid, 'suspend', 'Third breach',
                   %(first)s::date + b % {max(days, 1)}, %(first)s::date + b % {max(days, 1)} + 28, b % 5 = 0, 'tl-bench',
                   %(first)s::timestamptz + (b % {max(days, 1)}) * interval '1 day', '[]'::jsonb
            FROM generate_series(0, {max(1, n_children // 20) - 1}) b"""),
    ]
    started = time.monotonic()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for label, sql in steps:
            t = time.monotonic()
            for key, value in p.items():
                sql = sql.replace(f"%({key})s", value)
            count = conn.execute(sql).rowcount
            print(f"  {label}: {count:,} rows in {time.monotonic() - t:.1f} s", flush=True)
        t = time.monotonic()
        conn.execute("VACUUM ANALYZE")
        print(f"  VACUUM ANALYZE in {time.monotonic() - t:.1f} s", flush=True)
        counts = {
            r[0]: r[1]
            for r in conn.execute(
                "SELECT status, count(*) FROM contact_session GROUP BY status ORDER BY status"
            ).fetchall()
        }
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    print(f"loaded in {time.monotonic() - started:.0f} s: {lanes} lanes (rooms/CSWs), {n_children:,} children, "
          f"{days} days from {first_day}; sessions by status {counts}; database {size}", flush=True)
    return {"first_day": first_day, "last_day": first_day + timedelta(days=days - 1), "lanes": lanes, "children": n_children}


# --------------------------------------------------------------------------- memory sampling


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def rss_kb(pid: int) -> int:
    """VmRSS of `pid` and its descendants, in kB."""
    total = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


class RssSampler:
    """The peak RSS of a process tree, sampled every `interval` seconds in a thread."""

    def __init__(self, pid: int, interval: float = 0.02):
        self.pid, self.interval = pid, interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_kb(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_kb(self.pid))


# --------------------------------------------------------------------------- measurements


def http_stream(client: httpx.Client, path: str, server_pid: int, fmt: str) -> dict[str, float]:
    before = rss_kb(server_pid)
    newlines = size = 0
    first = math.nan
    with RssSampler(server_pid) as sampler:
        started = time.perf_counter()
        with client.stream("GET", path) as response:
            headers_at = time.perf_counter() - started
            if response.status_code != 200:
                response.read()
                raise BenchError(f"{path}: HTTP {response.status_code}: {response.text[:300]}")
            for chunk in response.iter_raw(1 << 16):
                if math.isnan(first):
                    first = time.perf_counter() - started
                newlines += chunk.count(b"\n")
                size += len(chunk)
        total = time.perf_counter() - started
    rows = newlines - (1 if fmt == "csv" else 0)
    return {"rows": rows, "bytes": size, "ttfb": first, "headers": headers_at, "total": total,
            "rate": rows / total, "rss_mb": (sampler.peak - before) / 1024, "rss_before_mb": before / 1024}


def copy_stream(conninfo: str, sql: str) -> dict[str, float]:
    newlines = size = 0
    first = math.nan
    started = time.perf_counter()
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv, HEADER)") as copy:
            for block in copy:
                if math.isnan(first):
                    first = time.perf_counter() - started
                newlines += bytes(block).count(b"\n")
                size += len(block)
    total = time.perf_counter() - started
    rows = newlines - 1
    return {"rows": rows, "bytes": size, "ttfb": first, "total": total, "rate": rows / total}


def export_sql(settings: Settings) -> str:
    """The SELECT the sessions export runs for a data analyst, without a filter, as SQL text."""
    d = exports.dataset("sessions")
    stmt = exports.statement(d, exports.View(pseudonymised=True), exports.Filters(None, None, None), ZoneInfo(settings.timezone))
    return str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


def fmt_row(label: str, r: dict[str, float], ref_rate: float | None) -> str:
    share = f"{r['rate'] / ref_rate:6.1%}" if ref_rate else "   —  "
    rss = f"{r['rss_mb']:7.1f}" if "rss_mb" in r else "    —  "
    return (f"  {label:<22} {int(r['rows']):>10,} {r['bytes'] / 1e6:8.1f} {r['rate']:>10,.0f} {r['ttfb'] * 1000:9.1f} "
            f"{r['total']:8.2f} {rss} {share}")


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="contact_session rows (default 1,000,000)")
    parser.add_argument("--rounds", type=int, default=2, help="A B A B rounds of the streams (default 2)")
    parser.add_argument("--report-requests", type=int, default=20, help="timed requests per report (default 20)")
    parser.add_argument("--database-url", help="scratch database to create (must not exist); default "
                        "postgresql+psycopg://postgres@127.0.0.1:5432/bench_exports_<pid>")
    parser.add_argument("--maintenance-db", default="postgres")
    parser.add_argument("--keep", action="store_true", help="do not drop the scratch database at the end")
    args = parser.parse_args()
    if args.rows < 1 or args.rounds < 1:
        parser.error("--rows and --rounds must be positive")

    url = make_url(args.database_url or f"postgresql+psycopg://postgres@127.0.0.1:5432/bench_exports_{os.getpid()}")
    if url.get_backend_name() != "postgresql" or not url.database:
        parser.error("--database-url must be a PostgreSQL URL naming a database")
    database_url = url.render_as_string(hide_password=False)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    admin = url.set(drivername="postgresql", database=args.maintenance_db).render_as_string(hide_password=False)

    try:
        os.sched_setaffinity(0, {CLIENT_CPU})
    except OSError as exc:
        print(f"warning: could not pin the client to CPU {CLIENT_CPU}: {exc}", file=sys.stderr)

    def _sigterm(_s: int, _f: Any) -> None:
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, _sigterm)
    created = False
    server: Server | None = None
    rc = 1
    try:
        check_loopback(url)
        with psycopg.connect(admin, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)).fetchone():
                raise BenchError(f"database {url.database!r} already exists; this benchmark only uses a database it creates")
            conn.execute(f'CREATE DATABASE "{url.database}"')
            created = True
            version = conn.execute("SHOW server_version").fetchone()[0]
        print(f"scratch database {url.database} created (PostgreSQL {version})", flush=True)
        env = {**os.environ, "DATABASE_URL": database_url}
        cli = str(Path(sys.executable).with_name("contact-service"))
        done = subprocess.run([cli, "migrate"], env=env, cwd=HERE.parent, capture_output=True, text=True)
        if done.returncode != 0:
            raise BenchError(f"contact-service migrate failed:\n{done.stdout}\n{done.stderr}")

        settings = Settings(database_url=database_url)
        zone = ZoneInfo(settings.timezone)
        today = datetime.now(zone).date()
        print(f"loading {args.rows:,} sessions ...", flush=True)
        layout = load(conninfo, args.rows, list(settings.areas), settings.timezone, today)

        secret = secrets.token_urlsafe(32)
        server = Server(database_url, secret, free_port(), "bench_exports_", cpus=SERVER_CPU,
                        extra_env={"PSEUDONYM_KEY": secrets.token_urlsafe(32)})
        print(f"server ready on {server.base_url} after {server.wait_ready():.1f} s (pid {server.process.pid}, CPU {SERVER_CPU}; client CPU {CLIENT_CPU})", flush=True)
        token = mint_local_token(Settings(jwt_secret=secret), "da-1", ["data_analyst"])
        sql = export_sql(settings)

        results: dict[str, list[dict[str, float]]] = {"reference": [], "csv": [], "ndjson": []}
        timeout = httpx.Timeout(30.0, read=600.0)
        with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=timeout, trust_env=False) as client:
            # warm-up: a small export of each format and the catalogue
            for fmt in ("csv", "ndjson"):
                warm = client.get(f"{API}/exports/sessions.{fmt}", params={"since": str(layout["last_day"])})
                if warm.status_code != 200:
                    raise BenchError(f"warm-up export: HTTP {warm.status_code}: {warm.text[:300]}")
            header = f"  {'':<22} {'rows':>10} {'MB':>8} {'rows/s':>10} {'TTFB ms':>9} {'total s':>8} {'RSS+ MB':>7} {'of ref':>6}"
            for rnd in range(1, args.rounds + 1):
                print(f"round {rnd}/{args.rounds}:\n{header}", flush=True)
                ref = copy_stream(conninfo, sql)
                results["reference"].append(ref)
                print(fmt_row("psycopg COPY (ref)", ref, None), flush=True)
                for fmt in ("csv", "ndjson"):
                    r = http_stream(client, f"{API}/exports/sessions.{fmt}", server.process.pid, fmt)
                    if r["rows"] != ref["rows"]:
                        raise BenchError(f"{fmt} export has {r['rows']:,} rows, the reference {ref['rows']:,}")
                    results[fmt].append(r)
                    print(fmt_row(f"HTTP sessions.{fmt}", r, ref["rate"]), flush=True)

            # The whole months of data (12 at full size): from the first whole month to the last day's.
            first_day, last_day = layout["first_day"], layout["last_day"]
            if first_day.day != 1:
                first_day = (first_day.replace(day=1) + timedelta(days=32)).replace(day=1)
            frm = f"{first_day.year}-{first_day.month:02d}"
            to = f"{last_day.year}-{last_day.month:02d}"
            print(f"reports from={frm} to={to}, {args.report_requests} timed requests each (2 warm-ups):", flush=True)
            report_stats: dict[str, tuple[float, float, float]] = {}
            for name in REPORTS:
                times = []
                for k in range(args.report_requests + 2):
                    t = time.perf_counter()
                    resp = client.get(f"{API}/reports/{name}", params={"from": frm, "to": to})
                    elapsed = (time.perf_counter() - t) * 1000
                    if resp.status_code != 200:
                        raise BenchError(f"report {name}: HTTP {resp.status_code}: {resp.text[:300]}")
                    if k >= 2:
                        times.append(elapsed)
                times.sort()
                report_stats[name] = (percentile(times, 50), percentile(times, 95), times[-1])
                print(f"  {name:<22} p50 {report_stats[name][0]:7.1f} ms  p95 {report_stats[name][1]:7.1f} ms  max {report_stats[name][2]:7.1f} ms", flush=True)

        # ---- summary
        def med(fmt: str, key: str) -> float:
            return statistics.median(r[key] for r in results[fmt])

        ref_rate = med("reference", "rate")
        print(f"\nsummary ({args.rows:,} sessions, medians over {args.rounds} rounds; reference psycopg COPY {ref_rate:,.0f} rows/s):")
        print(f"  {'stream':<8} {'rows/s':>10} {'of ref':>7} {'TTFB ms':>8} {'total s':>8} {'peak RSS+ MB':>12}")
        for fmt in ("csv", "ndjson"):
            print(f"  {fmt:<8} {med(fmt, 'rate'):>10,.0f} {med(fmt, 'rate') / ref_rate:>7.1%} {med(fmt, 'ttfb') * 1000:>8.1f} "
                  f"{med(fmt, 'total'):>8.2f} {max(r['rss_mb'] for r in results[fmt]):>12.1f}")
        checks: list[tuple[str, str, bool]] = []
        for fmt in ("csv", "ndjson"):
            peak = max(r["rss_mb"] for r in results[fmt])
            checks.append((f"{fmt}: peak RSS growth < {TARGET_RSS_MB:.0f} MB", f"{peak:.1f} MB", peak < TARGET_RSS_MB))
            worst_ttfb = max(r["ttfb"] for r in results[fmt])
            checks.append((f"{fmt}: first byte < {TARGET_TTFB_S:.0f} s", f"{worst_ttfb * 1000:.0f} ms (worst)", worst_ttfb < TARGET_TTFB_S))
        csv_rate = med("csv", "rate")
        checks.append((f"csv: >= {TARGET_CSV_ROWS_S:,} rows/s", f"{csv_rate:,.0f} rows/s", csv_rate >= TARGET_CSV_ROWS_S))
        for name, (_p50, p95, _mx) in report_stats.items():
            checks.append((f"report {name}: p95 < {TARGET_REPORT_P95_MS:.0f} ms", f"{p95:.1f} ms", p95 < TARGET_REPORT_P95_MS))
        print(f"\n  {'target':<46} {'measured':>20}  result")
        for label, measured, ok in checks:
            print(f"  {label:<46} {measured:>20}  {'PASS' if ok else 'FAIL'}")
        rc = 0
    except BenchError as exc:
        print(f"exports.py: error: {exc}", file=sys.stderr)
        if server is not None:
            print(server.log_tail(), file=sys.stderr)
    finally:
        if server is not None:
            server.stop()
        if created and not args.keep:
            try:
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
                print(f"scratch database {url.database} dropped", flush=True)
            except Exception as exc:  # noqa: BLE001
                print(f"exports.py: error: could not drop {url.database}: {exc}", file=sys.stderr)
                rc = 1
        elif created:
            print(f"scratch database {url.database} kept (--keep): {database_url}", flush=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())

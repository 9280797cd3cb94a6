"""Latency of the team leaders' queue (R-17) over HTTP, against PostgreSQL.

What it measures: `GET /api/v1/referrals/queue` served by the real application
(`uvicorn --factory app.main:create_app`, one worker) on a PostgreSQL database holding
10,000 open (submitted) referrals for 10,000 children, plus a few thousand decided,
withdrawn, draft and approved ones so the status filter has something to skip. One httpx
client with keep-alive times a mix of requests a team leader makes: the default first
page (limit 50), `?urgent=true`, `?court_arena=true&area=north`, `?overdue=true`,
`?due_within_hours=48`, `?limit=500`, and pages 2 to 5 reached by following
`next_cursor`. Each timing is the whole round trip on loopback: request, handler, database,
serialisation and reading the body. The target (from the issue) is p95 under 100 ms.

It also prints PostgreSQL's EXPLAIN (ANALYZE, BUFFERS) of the default first page's query,
built from `app.referrals.service.queue_statement` with the endpoint's ORDER BY
(priority, next_due_at, id) and LIMIT 51, to show whether `ix_referral_queue` is used.

How to run (from the repository root, PostgreSQL on 127.0.0.1:5432, user postgres):

    .venv/bin/python bench/queue.py
    .venv/bin/python bench/queue.py --rounds 60 --seed 7
    .venv/bin/python bench/queue.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/my_bench

It creates a scratch database (`bench_queue_<pid>` unless `--database-url` names another,
which must not exist yet), migrates it with `app.cli.migrate`, bulk-loads it with
SQLAlchemy Core, starts the server on a free port of 127.0.0.1, measures, then stops the
server and drops the scratch database (`DROP DATABASE ... WITH (FORCE)`) whatever happened.
Only loopback addresses are contacted. Exit code 0 whether or not the target is met (it is
a measurement, not a test); non-zero when something fails (a non-200 response, an empty
page where items were expected, the server not starting, ...).
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is called queue.py and Python puts its folder first on sys.path, where it would
# shadow the standard library's `queue` (psycopg, httpx and uvicorn import it): move the
# folder to the very end, behind the standard library, where `harness` is still found.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]

# bench/harness.py, the scaffolding both benchmarks share. Importing it first also puts the
# repository root on sys.path, so `app` imports.
from harness import BATCH, REQUEST_TIMEOUT_SECONDS, BenchError, Scratch, add_database_options, batches, database_url, percentile, run, timed_get  # noqa: E402, I001

import argparse  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402
from typing import Any  # noqa: E402

import httpx  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from app.calendar.deadlines import hours_after, working_calendar  # noqa: E402
from app.children.models import Child, LegalStatus, PlacementType, RiskFactor  # noqa: E402
from app.core.config import Settings  # noqa: E402
from app.referrals.models import (  # noqa: E402
    ALTERNATIVE_ROUTE,
    FrequencyPer,
    Level,
    Outcome,
    Purpose,
    Referral,
    ReferralStatus,
    RiskLevel,
)
from app.referrals.service import priority, queue_statement  # noqa: E402

TARGET_P95_MS = 100.0
QUEUE = "/api/v1/referrals/queue"
MAX_ROUNDS = 1000

FIRST_NAMES = (
    "Amara", "Noah", "Olivia", "Leo", "Isla", "Oscar", "Ava", "Arlo", "Freya", "Theo", "Lily", "Jack",
    "Mia", "Harry", "Ivy", "Finley", "Rosie", "Alfie", "Grace", "Muhammad", "Zara", "Kai", "Maya", "Ezra",
)
LAST_NAMES = (
    "Okafor", "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Evans", "Khan",
    "Patel", "Hughes", "Walker", "Roberts", "Wright", "Thompson", "Ahmed", "Clarke", "Lewis", "Green",
)
STREETS = ("High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue", "Mill Lane", "The Crescent")
RISK_NOTES = (
    "Previous incident at contact; supervision advised.",
    "Attends a recovery programme; testing ongoing.",
    "Injunction in place against a family member.",
    "Child anxious before sessions; worker to prepare.",
)


# --------------------------------------------------------------------------- data


class Generator:
    """Children and referrals with the mixes the issue asks for, from one seeded RNG."""

    def __init__(self, settings: Settings, seed: int, now: datetime):
        self.rng = random.Random(seed)
        self.settings = settings
        self.calendar = working_calendar(settings)
        self.now = now
        self._due_cache: dict[date, datetime] = {}

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def between(self, start: datetime, end: datetime) -> datetime:
        if end <= start:
            return start
        return start + timedelta(seconds=self.rng.uniform(0, (end - start).total_seconds()))

    def decision_due(self, received_at: datetime) -> datetime:
        # Same rule as service.submit; cached per local date (the result only depends on it).
        day = self.calendar.local_date(received_at)
        if day not in self._due_cache:
            self._due_cache[day] = self.calendar.working_days_after(received_at, self.settings.referral_decision_working_days)
        return self._due_cache[day]

    # ---- children

    def children(self, n: int) -> list[dict[str, Any]]:
        rng = self.rng
        areas = self.settings.areas
        weights = [0.4, 0.35, 0.25] + [0.1] * (len(areas) - 3) if len(areas) >= 3 else [1.0] * len(areas)
        sources = self.settings.child_sources
        rows = []
        for i in range(n):
            area = rng.choices(areas, weights[: len(areas)])[0]
            created = self.now - timedelta(days=rng.uniform(30, 900))
            withheld = rng.random() < 0.03
            legal = rng.choices(list(LegalStatus), [0.25, 0.3, 0.3, 0.1, 0.05])[0]
            rows.append(
                {
                    "id": self.uuid(),
                    "source": sources[i % len(sources)],
                    "external_id": f"C{i:07d}",
                    "first_name": rng.choice(FIRST_NAMES),
                    "last_name": rng.choice(LAST_NAMES),
                    "date_of_birth": (self.now - timedelta(days=rng.uniform(60, 17.5 * 365))).date(),
                    "legal_status": legal,
                    # Care proceedings under way: interim care orders mostly, some others.
                    "court_arena": rng.random() < (0.85 if legal == LegalStatus.interim_care_order else 0.2),
                    "placement_type": rng.choices(list(PlacementType), [0.45, 0.25, 0.1, 0.15, 0.05])[0],
                    "placement_address": None if withheld else f"{rng.randint(1, 240)} {rng.choice(STREETS)}",
                    "address_withheld": withheld,
                    "address_withheld_authorised_by": "tm-0001" if withheld else None,
                    "address_withheld_reason": "Risk of abduction assessed at strategy meeting." if withheld else None,
                    "address_withheld_at": created + timedelta(days=1) if withheld else None,
                    "social_worker_sub": f"sw-{rng.randint(1, 300):04d}",
                    "team": f"{area}-{rng.randint(1, 4)}",
                    "iro_sub": f"iro-{rng.randint(1, 40):03d}",
                    "area": area,
                    "version": 1,
                    "created_at": created,
                    "updated_at": created,
                }
            )
        return rows

    # ---- referrals

    def _base(self, child: dict[str, Any], received_at: datetime, *, urgent: bool) -> dict[str, Any]:
        rng = self.rng
        court_arena = child["court_arena"] if rng.random() < 0.95 else not child["court_arena"]
        called_at = received_at - timedelta(minutes=rng.uniform(10, 180)) if urgent else None
        created = (called_at + timedelta(minutes=rng.uniform(1, 5))) if called_at else received_at - timedelta(hours=rng.uniform(2, 72))
        approved = self.between(created, received_at)
        factors = rng.sample(list(RiskFactor), rng.choice((0, 1, 1, 2, 3)))
        transport = rng.random() < 0.2
        venue = rng.random() < 0.1
        return {
            "id": self.uuid(),
            "child_id": child["id"],
            "social_worker_sub": child["social_worker_sub"],
            "team": child["team"],
            "area": child["area"],
            "version": 3,  # drafted, approved, submitted
            "purposes": [p.value for p in rng.sample(list(Purpose), rng.randint(1, 3))],
            "purpose_detail": "Maintain the relationship while the plan is assessed." if rng.random() < 0.3 else None,
            "level": rng.choices(list(Level), [0.6, 0.3, 0.1])[0],
            "frequency_times": rng.randint(1, 3),
            "frequency_per": rng.choices(list(FrequencyPer), [0.6, 0.25, 0.15])[0],
            "duration_minutes": rng.choice((60, 90, 90, 120)),
            "risk_assessment": {
                "factors": [
                    {"factor": f.value, "level": rng.choice(list(RiskLevel)).value, "note": rng.choice(RISK_NOTES)}
                    for f in factors
                ],
                "summary": "Supervision needed to evidence the plan." if factors else None,
            },
            "transport_reason": "Carer works full time." if transport else None,
            "transport_evidence": "Carer's rota supplied." if transport else None,
            "alternative_venue": "Family centre, Mill Lane" if venue else None,
            "alternative_venue_reason": "Parent cannot travel to the contact centre." if venue else None,
            "court_arena": court_arena,
            "urgent": urgent,
            "priority": priority(urgent, court_arena),
            "urgent_called_at": called_at,
            "urgent_caller": child["social_worker_sub"] if urgent else None,
            "created_at": created,
            "updated_at": received_at,
            "approved_by": f"tm-{rng.randint(1, 30):04d}",
            "approved_at": approved,
            "submitted_by": child["social_worker_sub"],
            "received_at": received_at,
            "decision_due_at": self.decision_due(received_at),
            "triage_due_at": hours_after(called_at, self.settings.urgent_triage_hours) if called_at else None,
            "next_due_at": None,
            "triaged_at": None,
            "triaged_by": None,
            "triage_note": None,
            "triage_missed": False,
            "outcome": None,
            "decided_at": None,
            "decided_by": None,
            "decision_reason": None,
            "decision_rationale": None,
            "review_by": None,
            "room_only": False,
            "alternative_route": None,
            "notified_at": None,
            "decision_missed": False,
            "withdrawn_at": None,
            "withdrawn_by": None,
            "withdrawn_reason": None,
        }

    def _triage(self, row: dict[str, Any], latest: datetime) -> None:
        """An urgent referral considered by a team leader, some after the 24 hours."""
        called = row["urgent_called_at"]
        triaged_at = self.between(row["received_at"], min(latest, called + timedelta(hours=30)))
        row.update(
            triaged_at=triaged_at,
            triaged_by=f"tl-{self.rng.randint(1, 12):04d}",
            triage_note="Considered; decision to follow." if self.rng.random() < 0.5 else None,
            triage_missed=triaged_at > row["triage_due_at"],
            version=row["version"] + 1,
            updated_at=triaged_at,
        )

    def open_referral(self, child: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        received = self.now - timedelta(seconds=rng.uniform(60, 10 * 86400))
        urgent = rng.random() < 0.05
        row = self._base(child, received, urgent=urgent)
        row["status"] = ReferralStatus.submitted
        # Most urgent referrals older than a few hours have been triaged already.
        if urgent and self.now - received > timedelta(hours=3) and rng.random() < 0.6:
            self._triage(row, self.now)
        untriaged_urgent = urgent and row["triaged_at"] is None
        row["next_due_at"] = row["triage_due_at"] if untriaged_urgent else row["decision_due_at"]
        return row

    def closed_referral(self, child: dict[str, Any], status: ReferralStatus) -> dict[str, Any]:
        rng = self.rng
        received = self.now - timedelta(seconds=rng.uniform(86400, 60 * 86400))
        urgent = rng.random() < 0.05
        row = self._base(child, received, urgent=urgent)
        row["status"] = status
        if status in (ReferralStatus.draft, ReferralStatus.approved):
            created = self.now - timedelta(hours=rng.uniform(1, 14 * 24))
            if urgent:
                row["urgent_called_at"] = created - timedelta(minutes=rng.uniform(1, 30))
            row.update(
                created_at=created,
                updated_at=created,
                version=1,
                approved_by=None,
                approved_at=None,
                submitted_by=None,
                received_at=None,
                decision_due_at=None,
                triage_due_at=None,
            )
            if status == ReferralStatus.approved:
                approved = self.between(created, self.now)
                row.update(approved_by=f"tm-{rng.randint(1, 30):04d}", approved_at=approved, updated_at=approved, version=2)
            return row
        end = min(self.now, received + timedelta(days=rng.uniform(0.1, 9)))
        if status == ReferralStatus.decided:
            if urgent:
                self._triage(row, end)
            decided_at = max(end, row["triaged_at"] or end)
            outcome = rng.choices(list(Outcome), [0.55, 0.1, 0.2, 0.15])[0]
            row.update(
                outcome=outcome,
                decided_at=decided_at,
                decided_by=f"tl-{rng.randint(1, 12):04d}",
                decision_reason=None if outcome == Outcome.accepted_exceptional else "Significant risk; no alternative.",
                decision_rationale="Exceptional: sibling group placed apart." if outcome == Outcome.accepted_exceptional else None,
                review_by=(decided_at + timedelta(days=90)).date() if outcome == Outcome.accepted_exceptional else None,
                room_only=outcome.accepted and row["level"] == Level.supported and rng.random() < 0.2,
                alternative_route=ALTERNATIVE_ROUTE if outcome == Outcome.declined_capacity else None,
                notified_at=decided_at,
                decision_missed=not outcome.accepted and decided_at > row["decision_due_at"],
                version=row["version"] + 1,
                updated_at=decided_at,
            )
        else:
            row.update(
                withdrawn_at=end,
                withdrawn_by=row["social_worker_sub"],
                withdrawn_reason="Child returned home; contact arranged by the family.",
                version=row["version"] + 1,
                updated_at=end,
            )
        return row


def load(engine: Engine, gen: Generator, n_open: int, n_decided: int, n_withdrawn: int, n_draft: int) -> dict[str, int]:
    children = gen.children(n_open)
    referrals = [gen.open_referral(child) for child in children]
    closed = (
        [(ReferralStatus.decided, n_decided), (ReferralStatus.withdrawn, n_withdrawn)]
        + [(ReferralStatus.draft, n_draft // 2), (ReferralStatus.approved, n_draft - n_draft // 2)]
    )
    for status, count in closed:
        referrals += [gen.closed_referral(gen.rng.choice(children), status) for _ in range(count)]
    gen.rng.shuffle(referrals)  # physical order unrelated to the queue order, as in life
    child_table, referral_table = Child.__table__, Referral.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        for chunk in batches(children, BATCH):
            conn.execute(child_table.insert(), chunk)
        for chunk in batches(referrals, BATCH):
            conn.execute(referral_table.insert(), chunk)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for status, count in conn.execute(text("SELECT status, count(*) FROM referral GROUP BY status")):
            counts[status] = count
        counts["children"] = conn.execute(text("SELECT count(*) FROM child")).scalar_one()
        counts["urgent_open"] = conn.execute(
            text("SELECT count(*) FROM referral WHERE status = 'submitted' AND urgent")
        ).scalar_one()
        counts["court_open"] = conn.execute(
            text("SELECT count(*) FROM referral WHERE status = 'submitted' AND court_arena")
        ).scalar_one()
        counts["overdue_open"] = conn.execute(  # the column's own type binds the instant (PostgreSQL and SQLite)
            select(func.count()).select_from(referral_table).where(
                referral_table.c.status == "submitted", referral_table.c.next_due_at < datetime.now(UTC)
            )
        ).scalar_one()
    return counts


# --------------------------------------------------------------------------- measuring

SCENARIOS: list[tuple[str, dict[str, Any]]] = [
    ("default (limit 50)", {}),
    ("urgent=true", {"urgent": "true"}),
    ("court_arena=true&area=north", {"court_arena": "true", "area": "north"}),
    ("overdue=true", {"overdue": "true"}),
    ("due_within_hours=48", {"due_within_hours": "48"}),
    ("limit=500", {"limit": "500"}),
]
PAGES = "pages 2-5 (next_cursor)"


def get_page(client: httpx.Client, params: dict[str, Any], label: str) -> tuple[float, dict[str, Any]]:
    elapsed, body = timed_get(client, QUEUE, params, label)
    if not body.get("items"):
        raise BenchError(f"{label}: no items, expected some ({params})")
    return elapsed, body


def check_page(label: str, params: dict[str, Any], body: dict[str, Any]) -> None:
    items = body["items"]
    limit = int(params.get("limit", 50))
    if len(items) != limit:
        raise BenchError(f"{label}: {len(items)} items, expected a full page of {limit}")
    ranks = [(0 if i["urgent"] else 2) + (0 if i["court_arena"] else 1) for i in items]
    if ranks != sorted(ranks):
        raise BenchError(f"{label}: items not in queue order (urgent, court arena first)")
    if params.get("urgent") == "true" and not all(i["urgent"] for i in items):
        raise BenchError(f"{label}: a non-urgent item")
    if params.get("area") and not all(i["area"] == params["area"] and i["court_arena"] for i in items):
        raise BenchError(f"{label}: an item outside the filter")
    if params.get("overdue") == "true" and not all(i["overdue"] for i in items):
        raise BenchError(f"{label}: an item not overdue")
    if params.get("due_within_hours") and not all(i["seconds_left"] <= int(params["due_within_hours"]) * 3600 for i in items):
        raise BenchError(f"{label}: an item due later than asked")


def measure(base_url: str, token: str, rounds: int, warmup: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {name: [] for name, _ in SCENARIOS}
    timings[PAGES] = []
    headers = {"Authorization": f"Bearer {token}"}
    # trust_env=False: no HTTP_PROXY detour; the requests go straight to 127.0.0.1.
    with httpx.Client(base_url=base_url, headers=headers, timeout=REQUEST_TIMEOUT_SECONDS, trust_env=False) as client:
        for i in range(warmup):
            name, params = SCENARIOS[i % len(SCENARIOS)]
            get_page(client, params, f"warm-up {name}")
        for _ in range(rounds):
            for name, params in SCENARIOS:
                elapsed, body = get_page(client, params, name)
                check_page(name, params, body)
                timings[name].append(elapsed)
                if not params:  # the default first page starts the walk through pages 2 to 5
                    seen = {item["id"] for item in body["items"]}
                    cursor = body["next_cursor"]
                    for page in range(2, 6):
                        if not cursor:
                            raise BenchError(f"page {page - 1} has no next_cursor")
                        elapsed, next_body = get_page(client, {"cursor": cursor}, f"page {page}")
                        check_page(f"page {page}", {}, next_body)
                        ids = {item["id"] for item in next_body["items"]}
                        if ids & seen:
                            raise BenchError(f"page {page} repeats items of an earlier page")
                        seen |= ids
                        timings[PAGES].append(elapsed)
                        cursor = next_body["next_cursor"]
    return timings


def filters_of(params: dict[str, Any]) -> dict[str, Any]:
    """A scenario's query string as `queue_statement`'s keyword arguments."""
    flag = {"true": True, "false": False}
    return {
        "urgent": flag.get(params.get("urgent", "")),
        "court_arena": flag.get(params.get("court_arena", "")),
        "area": params.get("area"),
        "overdue": flag.get(params.get("overdue", "")),
        "due_within_hours": int(params["due_within_hours"]) if "due_within_hours" in params else None,
    }


def explain(engine: Engine, params: dict[str, Any] | None = None) -> tuple[str, list[str]]:
    """EXPLAIN (ANALYZE, BUFFERS) of a first queue page exactly as the endpoint's `paginate`
    builds it: the key columns added, ORDER BY priority, next_due_at, id, LIMIT limit + 1."""
    params = params or {}
    key = [Referral.priority, Referral.next_due_at, Referral.id]
    statement = queue_statement(datetime.now(UTC), **filters_of(params))
    statement = statement.add_columns(*(column.label(f"_page_key_{i}") for i, column in enumerate(key)))
    statement = statement.order_by(*key).limit(int(params.get("limit", 50)) + 1)
    sql = str(statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    with engine.connect() as conn:
        conn.exec_driver_sql(sql).all()  # warm the cache the way the server's would be
        plan = [row[0] for row in conn.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")]
    return sql, plan


def summarise_plan(plan: list[str]) -> str:
    execution = next((line.strip() for line in plan if line.strip().startswith("Execution Time")), "Execution Time: ?")
    planning = next((line.strip() for line in plan if line.strip().startswith("Planning Time")), "")
    index_lines = [line.strip() for line in plan if "ix_referral_queue" in line]
    top_buffers = next((line.strip() for line in plan if line.strip().startswith("Buffers:")), "")
    used = f"yes ({index_lines[0].split('  (')[0].lstrip('-> ')})" if index_lines else "NO"
    parts = [execution, planning, f"ix_referral_queue used: {used}"]
    if top_buffers:
        parts.append(top_buffers)
    return "; ".join(p for p in parts if p)


# --------------------------------------------------------------------------- main


def fmt(ms: float) -> str:
    return f"{ms:8.1f} ms"


def report(counts: dict[str, int], timings: dict[str, list[float]], warmup: int, load_seconds: float, plan: list[str], show_plan: bool) -> bool:
    everything = sorted(t for values in timings.values() for t in values)
    p95 = percentile(everything, 95)
    passed = p95 < TARGET_P95_MS
    closed = sum(v for k, v in counts.items() if k in {"decided", "withdrawn", "draft", "approved"})
    print()
    print("=" * 72)
    print("Queue latency: GET /api/v1/referrals/queue over HTTP (PostgreSQL)")
    print("=" * 72)
    print(f"open referrals loaded     {counts.get('submitted', 0):>8}  (+{closed} decided/withdrawn/draft/approved)")
    print(
        f"  of which                urgent {counts['urgent_open']}, court arena {counts['court_open']}, "
        f"overdue {counts['overdue_open']}; children {counts['children']}"
    )
    print(f"load time                 {load_seconds:8.1f} s")
    print(f"requests timed            {len(everything):>8}  (after {warmup} warm-up)")
    print(f"p50                       {fmt(percentile(everything, 50))}")
    print(f"p95                       {fmt(p95)}")
    print(f"p99                       {fmt(percentile(everything, 99))}")
    print(f"max                       {fmt(everything[-1])}")
    print()
    print(f"  {'scenario':<30} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
    for name, values in timings.items():
        values = sorted(values)
        print(
            f"  {name:<30} {len(values):>5} {percentile(values, 50):9.1f} {percentile(values, 95):9.1f} {values[-1]:9.1f}"
        )
    print()
    print(f"target p95 < {TARGET_P95_MS:.0f} ms: {'PASS' if passed else 'FAIL'} (p95 {p95:.1f} ms)")
    print()
    print(f"EXPLAIN (ANALYZE, BUFFERS), default first page: {summarise_plan(plan)}")
    if show_plan:
        for line in plan:
            print(f"    {line}")
    print("=" * 72)
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    add_database_options(parser, "bench_queue")
    parser.add_argument("--open", type=int, default=10_000, help="open (submitted) referrals, one child each")
    parser.add_argument("--decided", type=int, default=3_000)
    parser.add_argument("--withdrawn", type=int, default=1_000)
    parser.add_argument("--drafts", type=int, default=500, help="draft and approved referrals (not yet submitted)")
    parser.add_argument("--rounds", type=int, default=40, help="rounds of the 10-request mix (40 -> 400 timed requests)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--show-plan", action="store_true", help="print the whole EXPLAIN output of the default first page")
    parser.add_argument("--explain-all", action="store_true", help="also EXPLAIN each scenario's first page")
    args = parser.parse_args(argv)
    if not 1 <= args.rounds <= MAX_ROUNDS:
        parser.error(f"--rounds must be between 1 and {MAX_ROUNDS}")
    if args.open < 5 * 50 + 500:
        parser.error("--open must be at least 750 so every page and the limit=500 page are full")

    url = database_url(parser, args, "bench_queue")

    def body(scratch: Scratch) -> None:
        settings, engine = scratch.settings, scratch.engine
        started = time.monotonic()
        gen = Generator(settings, args.seed, datetime.now(UTC))
        counts = load(engine, gen, args.open, args.decided, args.withdrawn, args.drafts)
        load_seconds = time.monotonic() - started
        print(f"loaded {sum(counts.get(s.value, 0) for s in ReferralStatus)} referrals in {load_seconds:.1f} s", flush=True)

        server, token = scratch.serve()
        timings = measure(server.base_url, token, args.rounds, args.warmup)
        _sql, plan = explain(engine)
        report(counts, timings, args.warmup, load_seconds, plan, args.show_plan)
        if args.explain_all:
            print("EXPLAIN (ANALYZE, BUFFERS) of each scenario's first page:")
            for scenario, params in SCENARIOS:
                print(f"  {scenario:<30} {summarise_plan(explain(engine, params)[1])}")

    return run("bench/queue.py", url, args.maintenance_db, "bench-queue-server-", body)


if __name__ == "__main__":
    raise SystemExit(main())

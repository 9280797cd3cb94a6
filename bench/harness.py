"""The scaffolding the benchmarks in this folder share (bench/queue.py, bench/availability.py).

What it holds:

- `BenchError`, the failure that makes a measurement meaningless (reported, exit code 1), and
  the limits both scripts use (`LOOPBACK`, `BATCH`, `SERVER_START_SECONDS`,
  `REQUEST_TIMEOUT_SECONDS`);
- small helpers: `check_loopback`, `free_port`, `percentile` (nearest rank), `batches`,
  `timed_get` (one timed GET, its JSON body, a `BenchError` unless 200);
- the command line both scripts take for their database (`add_database_options`,
  `database_url`: `--database-url`, `--maintenance-db`);
- `Server`: the real application (`uvicorn --factory app.main:create_app`, one worker) as a
  subprocess on a free port of 127.0.0.1, waited for on `/health/ready`, then stopped;
- `Scratch` and `run`: a scratch PostgreSQL database created, migrated with
  `app.cli.migrate` and dropped (`DROP DATABASE ... WITH (FORCE)`) whatever happens, the
  server started on it and stopped, SIGTERM turned into an orderly exit, and the exit code
  (0 when the measurement ran, whether or not its target was met; 1 on a `BenchError` or
  when the database could not be dropped).

Each script keeps its own data generation, measurement and report. It imports this module
as `harness`, with this folder moved to the end of `sys.path` (bench/queue.py would shadow
the standard library's `queue` if the folder came first), before anything from `app`:
importing it puts the repository root on `sys.path`.
"""

from __future__ import annotations

import argparse
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine, make_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so `app` imports, whichever folder the script was run from

from app.agreements.models import Agreement
from app.arrangements.models import Arrangement
from app.cli import migrate
from app.core.config import Settings
from app.core.security import mint_local_token

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
BATCH = 1000
SERVER_START_SECONDS = 60.0
REQUEST_TIMEOUT_SECONDS = 30.0


def signed_agreement(arrangement: Arrangement, now: datetime) -> dict[str, Any]:
    """A written agreement for a bench arrangement (R-50), so its sessions may be booked:
    the bench's children have no network, so it has no party left to sign."""
    return Agreement(
        id=uuid.uuid4(), arrangement_id=arrangement.id, version=1, expectations=["Arrive on time."],
        breach_consequences="A third breach suspends contact.", parties=[], written_by="tl-bench", written_at=now,
    ).model_dump()


class BenchError(Exception):
    """A failure that makes the measurement meaningless: reported, exit code 1."""


# --------------------------------------------------------------------------- helpers


def check_loopback(url: URL) -> None:
    host = url.host or ""
    if host not in LOOPBACK:
        raise BenchError(f"refusing to use database host {host!r}: this benchmark only talks to 127.0.0.1")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def timed_get(client: httpx.Client, path: str, params: dict[str, Any], label: str) -> tuple[float, dict[str, Any]]:
    """GET `path`: the round trip in milliseconds and the JSON body; a BenchError unless 200."""
    started = time.perf_counter()
    response = client.get(path, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise BenchError(f"{label}: HTTP {response.status_code}: {response.text[:500]}")
    return elapsed, response.json()


def _sigterm(_signum: int, _frame: Any) -> None:
    raise SystemExit(143)  # runs the finally blocks: server stopped, scratch database dropped


# --------------------------------------------------------------------------- command line


def add_database_options(parser: argparse.ArgumentParser, prefix: str) -> None:
    """`--database-url` (default: `<prefix>_<pid>` on 127.0.0.1:5432) and `--maintenance-db`."""
    parser.add_argument(
        "--database-url",
        help="scratch database to create, migrate, fill and drop; it must not exist yet "
        f"(default postgresql+psycopg://postgres@127.0.0.1:5432/{prefix}_<pid>)",
    )
    parser.add_argument("--maintenance-db", default="postgres", help="database to connect to for CREATE/DROP DATABASE")


def database_url(parser: argparse.ArgumentParser, args: argparse.Namespace, prefix: str) -> URL:
    """The scratch database's URL: `--database-url`, or `<prefix>_<pid>` on 127.0.0.1:5432."""
    url = make_url(args.database_url or f"postgresql+psycopg://postgres@127.0.0.1:5432/{prefix}_{os.getpid()}")
    if url.get_backend_name() != "postgresql" or not url.database:
        parser.error("--database-url must be a PostgreSQL URL naming a database")
    return url


# --------------------------------------------------------------------------- server


class Server:
    """The application under uvicorn (one worker) on 127.0.0.1:`port`, its output in a
    temporary log file (prefix `log_prefix`) whose tail is shown when it fails to start."""

    def __init__(
        self,
        database_url: str,
        secret: str,
        port: int,
        log_prefix: str,
        *,
        argv: Sequence[str] | None = None,
        cpus: str | None = None,
        extra_env: dict[str, str] | None = None,
        ready_path: str = "/health/ready",
    ):
        """`argv` replaces the uvicorn command line (default: the application under uvicorn on
        `port`); `cpus` pins the server with `taskset -c cpus`; `extra_env` adds variables;
        `ready_path` is the path `wait_ready` polls until it answers 200."""
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.ready_path = ready_path
        env = {k: v for k, v in os.environ.items() if k.upper() not in {"JWT_JWKS_URL", "JWT_ALGORITHMS"}}
        # No in-process worker: its polling would be load the figures do not ask for.
        env.update(DATABASE_URL=database_url, JWT_SECRET=secret, LOG_LEVEL="WARNING", WORKER="off")
        env.update(extra_env or {})
        command = list(argv) if argv is not None else [
            sys.executable, "-m", "uvicorn", "--factory", "app.main:create_app",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
        ]
        if cpus is not None:
            command = ["taskset", "-c", cpus, *command]
        self.log = tempfile.NamedTemporaryFile(prefix=log_prefix, suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C reaches us; we stop it in order
        )

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_ready(self) -> float:
        started = time.monotonic()
        deadline = started + SERVER_START_SECONDS
        with httpx.Client(base_url=self.base_url, timeout=2.0, trust_env=False) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise BenchError(f"the server exited with {self.process.returncode}:\n{self.log_tail()}")
                try:
                    if client.get(self.ready_path).status_code == 200:
                        return time.monotonic() - started
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        raise BenchError(f"the server was not ready within {SERVER_START_SECONDS:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


# --------------------------------------------------------------------------- scratch database


class Scratch:
    """A scratch database and, once `serve` is called, the server on it. `create` makes and
    migrates the database; `close` stops the server and drops the database. `run` calls them."""

    def __init__(self, url: URL, maintenance_db: str, log_prefix: str):
        self.url = url
        self.name: str = url.database or ""
        self.database_url = url.render_as_string(hide_password=False)
        self.admin_url = url.set(database=maintenance_db)
        self.log_prefix = log_prefix
        self.created = False
        self.admin: Engine | None = None
        self.engine: Engine | None = None
        self.server: Server | None = None
        self.settings: Settings | None = None

    def create(self) -> None:
        """Create the database (it must not exist yet), migrate it and open `engine`."""
        check_loopback(self.url)
        self.admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": self.name}).first():
                raise BenchError(f"database {self.name!r} already exists; this benchmark only uses a database it creates")
            quoted = self.admin.dialect.identifier_preparer.quote(self.name)
            conn.execute(text(f"CREATE DATABASE {quoted}"))
            self.created = True
            version = conn.execute(text("SHOW server_version")).scalar_one()
        print(f"scratch database {self.name} created (PostgreSQL {version})", flush=True)

        self.settings = Settings(database_url=self.database_url)
        migrate(self.settings)
        self.engine = create_engine(self.database_url)

    def serve(self, sub: str = "tl-bench", roles: Sequence[str] = ("team_leader",)) -> tuple[Server, str]:
        """Start the server on the database and wait for it; the server and a token for `sub`."""
        secret = secrets.token_urlsafe(32)
        self.server = Server(self.database_url, secret, free_port(), self.log_prefix)
        ready_after = self.server.wait_ready()
        print(f"server ready on {self.server.base_url} after {ready_after:.1f} s", flush=True)
        token = mint_local_token(Settings(jwt_secret=secret), sub, list(roles))
        return self.server, token

    def close(self, prog: str) -> bool:
        """Stop the server and drop the database; False when it could not be dropped."""
        cleaned = True
        if self.server is not None:
            self.server.stop()
        if self.engine is not None:
            self.engine.dispose()
        if self.admin is not None:
            if self.created:
                try:
                    with self.admin.connect() as conn:
                        quoted = self.admin.dialect.identifier_preparer.quote(self.name)
                        conn.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
                    print(f"scratch database {self.name} dropped", flush=True)
                except Exception as exc:  # noqa: BLE001 - reported, and the exit code says so
                    cleaned = False
                    print(f"{prog}: error: could not drop {self.name}: {exc}", file=sys.stderr)
            self.admin.dispose()
        return cleaned


def run(prog: str, url: URL, maintenance_db: str, log_prefix: str, body: Callable[[Scratch], None]) -> int:
    """Create and migrate the scratch database, call `body` with it (it loads, calls
    `serve`, measures and reports), then stop the server and drop the database whatever
    happened. Exit code 0 when `body` returned, 1 on a BenchError (printed as
    `<prog>: error: ...`) or when the database could not be dropped."""
    signal.signal(signal.SIGTERM, _sigterm)
    scratch = Scratch(url, maintenance_db, log_prefix)
    cleaned = True
    rc = 1
    try:
        scratch.create()
        body(scratch)
        rc = 0  # PASS or FAIL alike: the measurement succeeded
    except BenchError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
    finally:
        cleaned = scratch.close(prog)
    # Reached only when no exception is on its way out.
    return rc if cleaned else 1

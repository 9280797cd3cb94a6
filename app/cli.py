"""`contact-service`: serve, migrate, demo, token, openapi, verify-audit."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.core.config import Settings, get_settings


def migrations_dir() -> Path:
    """Installed wheels carry the migrations inside the package; a checkout has them at the top."""
    packaged = Path(__file__).parent / "migrations"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def migrate(settings: Settings) -> None:
    from alembic import command

    from app.core.db import build_engine

    build_engine(settings).dispose()  # creates ./var for the default SQLite file
    command.upgrade(alembic_config(settings.database_url), "head")


def openapi_document() -> str:
    import tempfile

    from app.main import create_app

    # Nothing connects to the database; the URL only has to be one `build_engine` accepts
    # (an in-memory SQLite URL gets a pool that refuses the pool size arguments).
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Settings(database_url=f"sqlite:///{folder}/openapi.db", jwt_secret="openapi-only"))
        try:
            schema = app.openapi()
        finally:
            app.state.engine.dispose()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# The HTTP server's limits (issue 11, point 5). Granian, not uvicorn, because uvicorn has no
# deadline for a request's headers (its keep-alive timer starts only after a first response,
# so a silent or byte-a-second client is never dropped) and its h11 limit only counts
# headers still incomplete after a read, so a 100 KiB header arriving in one read is served.
# Granian runs hyper, which enforces both in Rust before any Python runs.
#
# hyper has one timer for both: the connection must deliver a complete request head within
# HEADER_TIMEOUT_SECONDS of being accepted, or of the previous response ending. So 5 s bounds
# idle keep-alive connections at 5 s and drops slow or silent clients well inside 10 s.
HEADER_TIMEOUT_SECONDS = 5
# hyper's read buffer, so the request line plus headers: larger gets 431 and the connection closes.
MAX_HEADER_BYTES = 16 * 1024
# Connections one worker holds at once (granian's "backpressure" is a semaphore per accepted
# connection, default 1024): 1,100 silent sockets must not make /health wait for a slot. Each
# one holding an unfinished 15 KiB header costs about 30 KiB (measured: 4,000 added 116 MB),
# so 2,048 of them stay near 60 MB; past that, new connections wait for a slot.
MAX_CONNECTIONS = 2048
# On SIGTERM the listener closes, idle connections close, and in-flight requests finish; a
# worker still busy after this long is killed. Below Kubernetes' default 30 s grace period.
DRAIN_SECONDS = 20


def raise_open_files_limit(wanted: int) -> None:
    """Each connection is a file descriptor: lift the soft limit (often 1,024) towards the
    hard one so MAX_CONNECTIONS can be reached before accept() fails."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def serve(settings: Settings, factory: str = "app.main:create_app") -> None:
    """Serve the app that `factory` builds with granian on HOST:PORT until SIGTERM or SIGINT."""
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels

    raise_open_files_limit(MAX_CONNECTIONS + 256)
    json_logs = {"()": "app.core.logging.JsonFormatter"}
    Granian(
        factory,
        factory=True,  # the worker builds the app from the same environment as `settings`
        address=settings.host,
        port=settings.port,
        interface=Interfaces.ASGI,
        workers=1,
        # HTTP/1.1 only: cleartext HTTP/2 would bring its own header limit (16 MiB by default).
        http=HTTPModes.http1,
        websockets=False,
        http1_settings=HTTP1Settings(
            header_read_timeout=HEADER_TIMEOUT_SECONDS * 1000, max_buffer_size=MAX_HEADER_BYTES
        ),
        backpressure=MAX_CONNECTIONS,
        workers_kill_timeout=DRAIN_SECONDS,
        # granian's own lines (start, stop) as JSON like ours; no access log (paths carry ids).
        log_level=LogLevels.__members__.get(settings.log_level.lower(), LogLevels.info),
        log_dictconfig={"formatters": {"generic": json_logs, "access": json_logs}},
        log_access=False,
    ).serve()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="contact-service", description="Contact Service API")
    sub = parser.add_subparsers(dest="command", required=True)
    serve_p = sub.add_parser("serve", help="migrate, then serve on HOST:PORT")
    serve_p.add_argument("--no-migrate", action="store_true")
    sub.add_parser("migrate", help="bring the database to the latest schema")
    demo_p = sub.add_parser(
        "demo",
        help="fill an empty database with a fictional service to try, and print a token for each role and ids to try",
        description="Migrate, then fill the empty database at DATABASE_URL through the API (every write audited) "
        "with fictional children, referrals in every state, an arrangement, sessions and records; print "
        "`export` lines (tokens valid 12 hours, ids) to source in a shell. Refuses a database that holds data.",
    )
    demo_p.add_argument("--json", action="store_true", help="print one JSON object instead of shell lines")
    token_p = sub.add_parser(
        "token",
        help="print a signed local token (HS256)",
        description="Print a bearer token signed with JWT_SECRET (or the local secret under var/). "
        "Not available when JWT_JWKS_URL is set: the identity provider issues tokens then.",
    )
    token_p.add_argument("--sub", required=True, help="the caller's subject id, e.g. sw-1 (required)")
    token_p.add_argument(
        "--role", action="append", required=True, dest="roles", metavar="ROLE",
        help="a role the token grants, e.g. social_worker; repeat for more (required). "
        "An unknown role is refused with the list of roles",
    )
    token_p.add_argument("--name", help="the caller's display name (optional)")
    token_p.add_argument("--team", help="the caller's team, for team-scoped roles (optional)")
    token_p.add_argument("--area", help="the caller's area, for area-scoped roles (optional)")
    acting = token_p.add_mutually_exclusive_group()
    acting.add_argument(
        "--act-for", dest="act_for", metavar="SUB",
        help="for the integration role (required with it, unless --no-act-for): the social worker's "
        "subject id it acts for, which writes need (R-80). The token's --sub must be bound to a child "
        "source by INTEGRATION_SOURCES (e.g. framework-i=framework)",
    )
    acting.add_argument(
        "--no-act-for", dest="no_act_for", action="store_true",
        help="for the integration role: a token acting for no one, on purpose, for reading the change "
        "feed, lookups and webhooks; every write with it is refused (R-80)",
    )
    token_p.add_argument(
        "--hours", type=float, default=8.0,
        help="how long the token lives, in hours (default: %(default)s); the API refuses a token "
        "living longer than JWT_MAX_LIFETIME (default 12h)",
    )
    openapi_p = sub.add_parser("openapi", help="write the OpenAPI document")
    openapi_p.add_argument("--output", "-o", default="openapi/openapi.json", help="'-' for standard output")
    sub.add_parser("verify-audit", help="check the audit log's hash chain and its signed checkpoints (AUDIT_KEY)")
    sub.add_parser("sweep-deadlines", help="emit an event once for each open referral past a deadline")
    sub.add_parser("sweep-reviews", help="emit review.overdue once for each review past its due date (R-55a)")
    sub.add_parser(
        "s34-sweep",
        help="flag once each suspension of a child in proceedings or on an (interim) care order that has lasted over 7 days (R-54a)",
    )
    sub.add_parser(
        "worker",
        help="run the worker alone: webhook deliveries and scheduled jobs, until SIGTERM (R-85); "
        "start as many as wanted on PostgreSQL, and set WORKER=off on the servers",
    )
    job_p = sub.add_parser("run-job", help="run one scheduled job now, unless it already ran for this period")
    job_p.add_argument(
        "name", help="deadline-sweep, not-held-report, reviews, records-overdue, s34-flags, notification-flags or purge"
    )
    purge_p = sub.add_parser("purge-idempotency-keys", help="forget replayable answers older than --days (at least 7)")
    purge_p.add_argument("--days", type=int, default=7)
    args = parser.parse_args(argv)
    settings = get_settings()

    if args.command == "serve":
        if not args.no_migrate:
            # In a child process: granian's supervisor then stays small instead of keeping
            # alembic and SQLAlchemy (about 50 MB) in memory for the server's whole life.
            import subprocess

            migrated = subprocess.run([sys.executable, "-m", "app.cli", "migrate"], check=False)
            if migrated.returncode != 0:
                return migrated.returncode
        serve(settings)
        return 0
    if args.command == "migrate":
        migrate(settings)
        return 0
    if args.command == "demo":
        from app.demo import run as run_demo

        migrate(settings)
        return run_demo(settings, as_json=args.json)
    if args.command == "token":
        from datetime import timedelta

        from app.core.security import Role, mint_local_token

        unknown = [r for r in args.roles if r not in Role.__members__]
        if unknown:
            parser.error(f"unknown role(s) {unknown}; choose from {', '.join(Role)}")
        if settings.uses_jwks:
            parser.error("JWT_JWKS_URL is set: tokens come from the identity provider, not from here")
        if "integration" in args.roles and args.sub not in settings.integration_sources:
            parser.error(
                f"integration client {args.sub!r} is bound to no child source: set INTEGRATION_SOURCES, "
                f"e.g. INTEGRATION_SOURCES={args.sub}=framework"
            )
        if "integration" in args.roles and not args.act_for and not args.no_act_for:
            # An integration token without act_for can write nothing: say so now, not at the first 403.
            parser.error(
                "--role integration needs --act-for SUB (the social worker it acts for, to write), "
                "or --no-act-for for a token that only reads the change feed, lookups and webhooks"
            )
        if args.no_act_for and "integration" not in args.roles:
            parser.error("--no-act-for is for the integration role only")
        if args.hours * 3600 > settings.jwt_max_lifetime_seconds:
            parser.error(f"--hours: the API refuses tokens living longer than JWT_MAX_LIFETIME ({settings.jwt_max_lifetime_seconds} s)")
        print(
            mint_local_token(
                settings, args.sub, args.roles, name=args.name, team=args.team, area=args.area,
                act_for=args.act_for, ttl=timedelta(hours=args.hours),
            )
        )
        return 0
    if args.command == "openapi":
        document = openapi_document()
        if args.output == "-":
            sys.stdout.write(document)
        else:
            Path(args.output).parent.mkdir(parents=True, exist_ok=True)
            Path(args.output).write_text(document)
        return 0
    if args.command == "worker":
        from app.core.db import build_engine
        from app.core.logging import configure_logging
        from app.jobs.worker import Worker

        configure_logging(settings.log_level)
        engine = build_engine(settings)
        Worker(settings, engine).run_until_signalled()
        engine.dispose()
        return 0
    if args.command == "run-job":
        from app.core.db import build_engine
        from app.jobs.runner import run_if_due
        from app.jobs.schedule import BY_NAME, Context

        job = BY_NAME.get(args.name)
        if job is None:
            parser.error(f"unknown job {args.name!r}; choose from {', '.join(BY_NAME)}")
        engine = build_engine(settings)
        period = run_if_due(engine, Context.of(settings), job, "cli")
        engine.dispose()
        print(f"{job.name}: " + (f"ran for {period} (now or earlier)" if period else "not due now, or running elsewhere"))
        return 0
    if args.command == "verify-audit":
        from sqlmodel import Session

        from app.core.audit import verify_chain, verify_checkpoints
        from app.core.db import build_engine

        with Session(build_engine(settings)) as session:
            checked, broken = verify_chain(session)
            problems = verify_checkpoints(session, settings.audit_signing_key)
        if broken is not None:
            print(f"audit chain broken at entry {broken} (after {checked} good entries)", file=sys.stderr)
        for problem in problems:
            print(f"audit chain {problem}", file=sys.stderr)
        if broken is None and not problems:
            print(f"audit chain intact: {checked} entries")
            return 0
        return 1
    if args.command == "sweep-deadlines":
        from app.core import clock
        from app.core.db import build_engine, open_session
        from app.referrals.service import sweep_missed_deadlines

        engine = build_engine(settings)
        with open_session(engine, write=True) as session:
            emitted = sweep_missed_deadlines(session, clock.now())
            session.commit()
        engine.dispose()
        print(f"{len(emitted)} missed deadline(s) announced")
        return 0
    if args.command == "s34-sweep":
        from app.calendar.deadlines import working_calendar
        from app.core import clock
        from app.core.db import build_engine, open_session
        from app.oversight.service import sweep_s34

        calendar = working_calendar(settings)
        engine = build_engine(settings)
        with open_session(engine, write=True) as session:
            flagged = sweep_s34(session, calendar, clock.now())
            session.commit()
        engine.dispose()
        print(f"{flagged} arrangement(s) flagged: s34 application needed")
        return 0
    if args.command == "sweep-reviews":
        from app.calendar.deadlines import working_calendar
        from app.core import clock
        from app.core.db import build_engine, open_session
        from app.oversight.service import sweep_overdue_reviews

        engine = build_engine(settings)
        with open_session(engine, write=True) as session:
            announced = sweep_overdue_reviews(session, working_calendar(settings).local_date(clock.now()))
            session.commit()
        engine.dispose()
        print(f"{announced} overdue review(s) announced")
        return 0
    if args.command == "purge-idempotency-keys":
        from datetime import timedelta

        from app.core import clock
        from app.core.db import build_engine, open_session
        from app.records.service import purge_keys

        if args.days < 7:
            parser.error("keys are kept at least 7 days, so a tablet offline for a week can still replay")
        engine = build_engine(settings)
        with open_session(engine, write=True) as session:
            removed = purge_keys(session, clock.now() - timedelta(days=args.days))
            session.commit()
        engine.dispose()
        print(f"{removed} idempotency key(s) older than {args.days} days removed")
        return 0
    return 2


if __name__ == "__main__":
    raise SystemExit(main())

"""Running a job once per period, whatever number of workers try (R-85).

The job, its effects and the `job_run` row recording its period commit in one transaction.
On PostgreSQL a worker first takes the job's advisory lock with a try (a worker that does not
get it skips: another is running the job now) and then looks for the period's row; the row's
key refuses a second run even if the lock were bypassed. On SQLite the write transaction is
already exclusive. A job that fails rolls back wholly and is tried again on the next tick.
"""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.core import clock
from app.core.db import open_session
from app.jobs.models import JobRun
from app.jobs.schedule import Context, Job

log = logging.getLogger("app.jobs")


def lock_id(name: str) -> int:
    """A stable signed 64-bit advisory lock id per job."""
    return int.from_bytes(hashlib.sha256(f"contact-service.job.{name}".encode()).digest()[:8], "big", signed=True)


def _locked(session: Session, name: str) -> bool:
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.execute(select(func.pg_try_advisory_xact_lock(lock_id(name)))).scalar_one())


def run_if_due(engine: Engine, context: Context, job: Job, worker: str) -> str | None:
    """Run `job` for the current period unless it already ran; the period it is settled for
    (ran now or before), or None when it is not due or another worker holds it."""
    now = clock.now()
    period = job.period(now, context)
    if period is None:
        return None
    with open_session(engine, write=True) as session:
        if not _locked(session, job.name):
            return None
        if session.get(JobRun, (job.name, period)) is not None:
            return period
        started = clock.now()
        result = job.run(session, context, now)
        session.add(JobRun(name=job.name, period=period, started_at=started, finished_at=clock.now(), worker=worker, result=result))
        try:
            session.commit()
        except IntegrityError:  # another runner recorded this period first: ours rolled back whole
            return period
    log.info("job ran", extra={"fields": {"job": job.name, "period": period, "result": result, "worker": worker}})
    return period

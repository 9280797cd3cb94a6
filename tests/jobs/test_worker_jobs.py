"""The worker's jobs thread (R-85): a job that keeps failing does not stop the others."""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlmodel import Session

from app.core.config import Settings
from app.jobs.models import JobRun
from app.jobs.schedule import Job, every
from app.jobs.worker import Worker


def test_r85_a_job_that_keeps_failing_does_not_stop_the_jobs_after_it(engine, settings, monkeypatch):
    def broken(_session, _context, _now) -> int:  # type: ignore[no-untyped-def]
        raise RuntimeError("broken on purpose")

    calls: list[int] = []

    def fine(_session, _context, _now) -> int:  # type: ignore[no-untyped-def]
        calls.append(1)
        return 1

    monkeypatch.setattr("app.jobs.worker.JOBS", (Job("broken", every(1), broken, "fails"), Job("after-it", every(1), fine, "works")))
    worker = Worker(Settings(**{**settings.model_dump(), "worker_threads": 1}), engine, name="jobs-test")
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while not calls and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
    assert calls, "the job after the broken one never ran"
    with Session(engine) as session:
        names = set(session.execute(select(JobRun.name)).scalars())
    assert names == {"after-it"}

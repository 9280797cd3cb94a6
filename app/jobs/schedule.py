"""The worker's scheduled jobs and how often each runs (R-85).

Each job has a period: a name for "now" at its granularity (a UTC minute or hour, a local day),
or None when it is not due at all (the not-held report outside working-day mornings). A job
runs once per period across every worker (`jobs.runner`). A job that finds nothing to do
still counts as run. The sweeps are idempotent by themselves (each marks what it announced),
so the cron commands that run them can be used beside the worker; the not-held report is not,
and runs only through the runner (`contact-service run-job not-held-report`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import delete
from sqlmodel import Session

from app.calendar.deadlines import WorkingCalendar, working_calendar
from app.core.config import Settings


@dataclass(frozen=True)
class Context:
    settings: Settings
    calendar: WorkingCalendar

    @classmethod
    def of(cls, settings: Settings) -> Context:
        return cls(settings, working_calendar(settings))


Period = Callable[[datetime, Context], str | None]


@dataclass(frozen=True)
class Job:
    name: str
    period: Period
    run: Callable[[Session, Context, datetime], int]
    what: str


def every(minutes: int) -> Period:
    """Named in UTC: local wall time repeats an hour when summer time ends, and the second
    hour would find the first one's periods already run."""

    def period(now: datetime, _context: Context) -> str:
        utc = now.astimezone(UTC)
        return utc.replace(minute=utc.minute - utc.minute % minutes).strftime("%Y-%m-%dT%H:%MZ")

    return period


def daily(now: datetime, context: Context) -> str:
    return context.calendar.local_date(now).isoformat()


def working_days_from(setting: Callable[[Settings], str]) -> Period:
    """Once on each working day, at or after the configured local time."""

    def period(now: datetime, context: Context) -> str | None:
        local = now.astimezone(context.calendar.zone)
        at = time.fromisoformat(setting(context.settings))
        if not context.calendar.is_working_day(local.date()) or local.time() < at:
            return None
        return local.date().isoformat()

    return period


KEEP_KEYS = timedelta(days=7)  # a tablet offline for a week can still replay
KEEP_JOB_RUNS = timedelta(days=7)


def _deadlines(session: Session, _context: Context, now: datetime) -> int:
    from app.referrals.service import sweep_missed_deadlines

    return len(sweep_missed_deadlines(session, now))


def _not_held(session: Session, context: Context, now: datetime) -> int:
    from app.jobs import not_held

    return not_held.report(session, context.calendar, context.calendar.local_date(now))


def _reviews(session: Session, context: Context, now: datetime) -> int:
    from app.oversight.service import sweep_overdue_reviews, sweep_reviews_due

    today = context.calendar.local_date(now)
    return sweep_reviews_due(session, today) + sweep_overdue_reviews(session, today)


def _records(session: Session, _context: Context, now: datetime) -> int:
    from app.records.service import sweep_overdue_records

    return sweep_overdue_records(session, now)


def _s34(session: Session, context: Context, now: datetime) -> int:
    from app.oversight.service import sweep_s34

    return sweep_s34(session, context.calendar, now)


def _notices(session: Session, _context: Context, now: datetime) -> int:
    from app.oversight.service import sweep_placing_authority_overdue

    return sweep_placing_authority_overdue(session, now)


def _purge(session: Session, context: Context, now: datetime) -> int:
    from app.jobs.models import JobRun
    from app.records.service import purge_keys
    from app.webhooks.service import purge_delivered

    removed = purge_keys(session, now - KEEP_KEYS)
    session.execute(delete(JobRun).where(JobRun.finished_at < now - KEEP_JOB_RUNS))  # type: ignore[arg-type]
    purge_delivered(session, now - timedelta(days=context.settings.webhook_log_days))
    return removed


JOBS: tuple[Job, ...] = (
    Job("deadline-sweep", every(1), _deadlines, "referrals past their triage or decision deadline (R-16)"),
    Job("not-held-report", working_days_from(lambda s: s.not_held_report_time), _not_held,
        "each social worker's report of sessions that did not go ahead (R-29)"),
    Job("reviews", daily, _reviews, "reviews due within a week, and overdue (R-55)"),
    Job("records-overdue", every(10), _records, "session records past their 24 hours (R-41)"),
    Job("s34-flags", every(60), _s34, "suspensions of children in proceedings past 7 days (R-54a)"),
    Job("notification-flags", every(10), _notices, "emergency restrictions whose placing authority was not told in 24 hours (R-53a)"),
    Job("purge", daily, _purge, "idempotency keys over 7 days old, the job log's old rows, and old delivered webhooks"),
)
BY_NAME = {job.name: job for job in JOBS}

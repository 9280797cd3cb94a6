"""The worker (R-85): webhook deliveries and the scheduled jobs, in threads.

`contact-service worker` runs one alone (as many replicas as wanted); `contact-service serve`
runs one inside the server unless WORKER=off, so the embedded default delivers with no
second command. One thread runs the jobs; WORKER_THREADS threads deliver, each taking one
subscription at a time, so a receiver that hangs holds up only its own subscription. One
poller thread looks for work every WORKER_POLL_SECONDS with a single read and wakes the idle
delivery threads, which try to claim a subscription (a write) only then.

On SIGTERM (or `stop()`), each thread finishes the attempt or job in hand, writes its
outcome, releases the subscription it holds and ends; nothing claimed stays claimed.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from secrets import token_hex

from sqlalchemy import Engine

from app.core import clock
from app.core.config import Settings
from app.jobs.runner import run_if_due
from app.jobs.schedule import JOBS, Context
from app.webhooks import delivery

log = logging.getLogger("app.worker")
MAX_BACKOFF_SECONDS = 30.0
JOB_TICK_SECONDS = 5.0  # how often the jobs thread looks at the schedule (the finest period is a minute)
IDLE_WAKE_SECONDS = 30.0  # an idle delivery thread looks for itself this often, poller or not


class Worker:
    def __init__(self, settings: Settings, engine: Engine, *, name: str | None = None) -> None:
        self.settings = settings
        self.engine = engine
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{token_hex(3)}"
        self.stopping = threading.Event()
        self.work = threading.Condition()  # the poller wakes idle delivery threads through it
        self.threads: list[threading.Thread] = []
        self.context = Context.of(settings)

    def start(self) -> None:
        self.threads = [
            threading.Thread(target=self._jobs, name="worker-jobs", daemon=True),
            threading.Thread(target=self._poll, name="worker-poll", daemon=True),
        ]
        self.threads += [
            threading.Thread(target=self._deliveries, name=f"worker-deliveries-{i}", daemon=True)
            for i in range(self.settings.worker_threads)
        ]
        for thread in self.threads:
            thread.start()
        log.info("worker started", extra={"fields": {"worker": self.name, "delivery_threads": self.settings.worker_threads}})

    def stop(self, timeout: float | None = None) -> None:
        """Ask every thread to finish what it has in hand, and wait for them."""
        self.stopping.set()
        with self.work:
            self.work.notify_all()
        limit = timeout if timeout is not None else self.settings.webhook_timeout_seconds * 2 + 5
        for thread in self.threads:
            thread.join(limit)
        log.info("worker stopped", extra={"fields": {"worker": self.name}})

    def run_until_signalled(self) -> None:
        """The `contact-service worker` command: run until SIGTERM or SIGINT."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self.stopping.set())
        self.start()
        while not self.stopping.wait(1.0):
            pass
        self.stop()

    def _pause_after_error(self, failures: int) -> None:
        self.stopping.wait(min(MAX_BACKOFF_SECONDS, self.settings.worker_poll_seconds * 2**failures))

    def _jobs(self) -> None:
        settled: dict[str, str] = {}  # job -> the period it is known to have run for
        failures: dict[str, int] = {}  # job -> failures in a row; a failing job waits, the others do not
        retry_at: dict[str, float] = {}
        while not self.stopping.is_set():
            for job in JOBS:
                if self.stopping.is_set():
                    break
                if time.monotonic() < retry_at.get(job.name, 0.0):
                    continue
                try:
                    current = job.period(clock.now(), self.context)
                    if current is None or settled.get(job.name) == current:
                        continue
                    period = run_if_due(self.engine, self.context, job, self.name)
                    if period is not None:
                        settled[job.name] = period
                    failures.pop(job.name, None)
                except Exception as exc:  # noqa: BLE001 - a job's failure must not end the worker
                    failures[job.name] = failures.get(job.name, 0) + 1
                    retry_at[job.name] = time.monotonic() + min(MAX_BACKOFF_SECONDS * 10, JOB_TICK_SECONDS * 2 ** failures[job.name])
                    log.error("job failed", extra={"fields": {"worker": self.name, "job": job.name, "error": type(exc).__name__}})
            self.stopping.wait(JOB_TICK_SECONDS)

    def _poll(self) -> None:
        """One cheap read per WORKER_POLL_SECONDS for the whole process: is anything behind or
        due? If so, wake the idle delivery threads (they do not poll on their own)."""
        failures = 0
        while not self.stopping.is_set():
            try:
                if delivery.has_work(self.engine):
                    with self.work:
                        self.work.notify_all()
                failures = 0
            except Exception as exc:  # noqa: BLE001
                failures += 1
                log.error("delivery poll failed", extra={"fields": {"worker": self.name, "error": type(exc).__name__}})
                self._pause_after_error(failures)
                continue
            self.stopping.wait(self.settings.worker_poll_seconds)

    def _deliveries(self) -> None:
        failures = 0
        with delivery.client(self.settings) as http:
            while not self.stopping.is_set():
                try:
                    worked = delivery.deliver_once(self.engine, self.settings, http, self.name, self.stopping)
                    failures = 0
                except Exception as exc:  # noqa: BLE001 - the database may be away for a moment
                    failures += 1
                    log.error("delivery loop failed", extra={"fields": {"worker": self.name, "error": type(exc).__name__}})
                    self._pause_after_error(failures)
                    continue
                if not worked and not self.stopping.is_set():
                    with self.work:  # until the poller finds work (or a while has passed)
                        self.work.wait(IDLE_WAKE_SECONDS)


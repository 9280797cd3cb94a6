"""The one source of "now", so tests can freeze it (time-machine patches datetime.now)."""

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)

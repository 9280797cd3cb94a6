"""The one source of "now", so tests can freeze it (time-machine patches datetime.now)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def now() -> datetime:
    return datetime.now(UTC)


def today(zone: str) -> date:
    """The calendar day it is now in `zone` (the service's, `settings.timezone`): "today" as
    people there say it, which around midnight is not the UTC date."""
    return now().astimezone(ZoneInfo(zone)).date()

"""Series expansion (R-26): one RFC 5545 RRULE value expanded from the first session's start,
carrying the service's zone, through dateutil's public interface (`rrulestr`,
`rrule.replace`, iteration), so that 16:00 local stays 16:00 across both clock changes.
Pure: no database, no clock, no HTTP.

What a series may be: one RRULE value (no DTSTART, RDATE or EXDATE lines: the series starts
at `starts_at`) that ends (COUNT or UNTIL, not both) within five years of its first session
and gives at most `limit` sessions. An UNTIL in UTC (with a Z, as RFC 5545 asks when the
start has a zone) is that instant; one without is local time. BYEASTER is dateutil's own
extension, not RFC 5545, and is refused (see below for why it could not be honoured).

Bounding the walk. dateutil compares UNTIL only with a date that matches the rule and has
no other bound, so a rule that can never match (BYMONTH=2;BYMONTHDAY=31, or
FREQ=DAILY;INTERVAL=7;BYDAY=TU from a Monday) is walked period by period to the year 9999
before it gives up: seconds of CPU per request (dateutil issues #1094 and #1393). A year's
calendar is fixed by the weekday of its 1 January and whether it is a leap year, so the rule
is expanded from the same local wall time in the *latest* run of years before 9999 whose
calendars are the series' years' one by one (`twin_year`: the Gregorian calendar repeats
every 400 years, so there is one for any year up to 9592, most often within the last few
decades before 9999), and every occurrence is moved back by the same number of years.
Dates, weekdays, week numbers and month lengths are the same there; Easter is not, hence
no BYEASTER. The walk then ends within a few decades of the twin: milliseconds.
"""

from __future__ import annotations

from calendar import isleap
from datetime import MAXYEAR, UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil import parser
from dateutil.rrule import rrule, rrulestr

HORIZON = timedelta(days=5 * 366)
# The years whose calendars the twin must share: the start's, the one before (a first ISO
# week may begin in it) and those up to past the horizon.
_RUN = range(-1, 8)


class RuleError(Exception):
    """Why a rule is refused, in words for the caller."""


def twin_year(year: int) -> int:
    """The latest year whose run of calendars (`_RUN` around it) is `year`'s."""
    wanted = _calendars(year)
    for candidate in range(MAXYEAR - _RUN[-1], year, -1):
        if _calendars(candidate) == wanted:
            return candidate
    return year


def _calendars(year: int) -> tuple[tuple[int, bool], ...]:
    return tuple((date(year + i, 1, 1).weekday(), isleap(year + i)) for i in _RUN)


def _moved(moment: datetime, years: int) -> datetime:
    """The same wall time and zone, `years` later (a 29 February stays one: twins share leap years)."""
    return moment.replace(year=moment.year + years)


def _named(part: str, name: str) -> bool:
    return part.strip().upper().startswith(name + "=")


def starts_of(rule: str, starts: datetime, zone: ZoneInfo, limit: int) -> list[datetime]:
    """The series' start instants, in UTC and in order, or `RuleError`."""
    text = rule.removeprefix("RRULE:")
    if any(mark in text for mark in (":", "\n", "\r")):
        raise RuleError("must be one RRULE value, e.g. FREQ=WEEKLY;COUNT=12 (the series starts at starts_at)")
    parts = text.split(";")
    counts = [part.split("=", 1)[1] for part in parts if _named(part, "COUNT")]
    untils = [part.split("=", 1)[1] for part in parts if _named(part, "UNTIL")]
    if not counts and not untils:
        raise RuleError("needs COUNT or UNTIL: a series must end")
    if counts and untils:
        raise RuleError("takes COUNT or UNTIL, not both (RFC 5545)")
    if any(_named(part, "BYEASTER") for part in parts):
        raise RuleError("BYEASTER is not part of RFC 5545")
    count = _count(counts[-1]) if counts else None
    if count is not None and count > limit:
        raise RuleError(f"COUNT={count} is more than {limit}: a series may have at most {limit} sessions")
    local_start = starts.astimezone(zone)
    horizon = local_start + HORIZON
    try:
        years = twin_year(local_start.year) - local_start.year
        # UNTIL goes in through `replace`, in the start's zone: a local UNTIL next to a start
        # with a zone is refused by dateutil (RFC 5545 wants it in UTC; we take both).
        series: rrule = rrulestr(";".join(part for part in parts if not _named(part, "UNTIL")), dtstart=_moved(local_start, years))
        if untils:
            until = parser.parse(untils[-1])
            until = until.astimezone(zone) if until.tzinfo is not None else until.replace(tzinfo=zone)
            if until > horizon:
                raise RuleError(
                    f"UNTIL is after {_local(horizon)}: a series may run at most five years from its first session"
                )
            series = series.replace(until=_moved(until, years))
        found = _walk(series, _moved(horizon, years), limit)
    except (ValueError, TypeError, OverflowError) as exc:
        raise RuleError(f"is not a valid RFC 5545 rule ({exc})") from None
    if not found:
        raise RuleError("gives no sessions")
    if len(found) > limit:
        # Only an UNTIL gets here: a COUNT over the limit was refused above.
        last = _moved(found[limit - 1], -years)
        raise RuleError(
            f"UNTIL is after {_local(last)}, the start of session {limit}: a series may have at most {limit} sessions"
        )
    if count is not None and len(found) < count:
        raise RuleError(f"gives only {len(found)} of its {count} sessions within five years")
    # Back to the real years, then to UTC: a wall time inside the spring gap or the repeated
    # autumn hour is resolved by zoneinfo's fold rules (fold=0).
    return [_moved(occurrence, -years).astimezone(UTC) for occurrence in found]


def _count(text: str) -> int:
    """COUNT's value, at least 1 (RFC 5545 says a positive integer; dateutil takes 0 and less
    and finds nothing, which would read as a rule that never matches)."""
    try:
        count = int(text)
    except ValueError:
        raise RuleError(f"COUNT must be a whole number of sessions, at least 1 (got {text.strip()!r})") from None
    if count < 1:
        raise RuleError(f"COUNT must be at least 1 (got {count}): a series has one session or more")
    return count


def _local(moment: datetime) -> str:
    """A local wall time with its zone, e.g. 2031-12-05T16:00 Europe/London."""
    return f"{moment:%Y-%m-%dT%H:%M} {moment.tzinfo}"


def _walk(series: rrule, horizon: datetime, limit: int) -> list[datetime]:
    """Occurrences up to `horizon`, and one more than `limit` at most, so an over-long rule
    is known without expanding it all."""
    found: list[datetime] = []
    occurrences = iter(series)
    while len(found) <= limit:
        try:
            occurrence = next(occurrences)
        except StopIteration:
            break
        except ValueError:
            # Raised only once no occurrence is left: dateutil's walk running past the last
            # day of 9999 (dateutil #980), or its MINUTELY/SECONDLY loop finding the rule
            # empty. Either way the series is what was found.
            break
        if occurrence > horizon:
            break
        found.append(occurrence)
    return found

"""Series expansion (R-26) without the database: `sessions.recurrence` gives what dateutil
gives from the real start, in local time, though it walks from a twin year near 9999; a
rule that can never match is refused in milliseconds whatever its frequency."""

from __future__ import annotations

import time
from calendar import isleap
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from app.sessions.recurrence import HORIZON, RuleError, starts_of, twin_year

LONDON = ZoneInfo("Europe/London")
LIMIT = 52
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@st.composite
def rules(draw: st.DrawFn) -> str:
    """Rules that match sooner or later (dateutil itself would walk to 9999 on the others):
    BYMONTH only with INTERVAL=1, month days up to the 28th."""
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = [f"FREQ={freq}"]
    interval = draw(st.sampled_from([1, 1, 2, 3]))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if draw(st.booleans()):
        parts.append("BYDAY=" + ",".join(draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True))))
    if draw(st.booleans()):
        parts.append(f"BYMONTHDAY={draw(st.integers(1, 28))}")
    if interval == 1 and draw(st.booleans()):
        parts.append("BYMONTH=" + ",".join(str(m) for m in draw(st.lists(st.integers(1, 12), min_size=1, max_size=3, unique=True))))
    if draw(st.booleans()):
        parts.append(f"COUNT={draw(st.integers(1, 60))}")
    else:
        until = draw(st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2117, 12, 31)))
        parts.append(f"UNTIL={until:%Y%m%dT%H%M%S}Z")
    return ";".join(draw(st.permutations(parts)))


starts = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2110, 12, 31), timezones=st.just(UTC)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)


def expected(rule: str, first: datetime) -> list[datetime] | str:
    """dateutil from the real start in London time, judged as `starts_of` judges."""
    local_start = first.astimezone(LONDON)
    horizon = local_start + HORIZON
    series = rrulestr(rule, dtstart=local_start)
    until = next((part.split("=")[1] for part in rule.split(";") if part.startswith("UNTIL=")), None)
    if until is not None and datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC) > horizon:
        return f"UNTIL is after {horizon:%Y-%m-%dT%H:%M} Europe/London: a series may run at most five years from its first session"
    count = next((int(part.split("=")[1]) for part in rule.split(";") if part.startswith("COUNT=")), None)
    if count is not None and count > LIMIT:
        return f"COUNT={count} is more than {LIMIT}: a series may have at most {LIMIT} sessions"
    found = []
    for occurrence in series:
        if occurrence > horizon or len(found) > LIMIT:
            break
        found.append(occurrence)
    if not found:
        return "gives no sessions"
    if len(found) > LIMIT:
        last = found[LIMIT - 1]
        return f"UNTIL is after {last:%Y-%m-%dT%H:%M} Europe/London, the start of session {LIMIT}: a series may have at most {LIMIT} sessions"
    if count is not None and len(found) < count:
        return f"gives only {len(found)} of its {count} sessions within five years"
    return [occurrence.astimezone(UTC) for occurrence in found]


@settings(max_examples=300, deadline=None)
@given(rule=rules(), first=starts)
def test_r26_a_series_is_what_dateutil_gives_from_the_real_start(rule, first):
    try:
        found: list[datetime] | str = starts_of(rule, first, LONDON, LIMIT)
    except RuleError as exc:
        found = str(exc)
    assert found == expected(rule, first)


@given(year=st.integers(1800, 9000), offset=st.integers(-365, 8 * 365))
def test_r26_a_twin_year_has_the_same_calendar(year, offset):
    shift = twin_year(year) - year
    day = date(year, 1, 1) + timedelta(days=offset)
    if shift and day.year < year + 8:
        twin = day.replace(year=day.year + shift)
        assert twin.weekday() == day.weekday() and isleap(twin.year) == isleap(day.year)


@pytest.mark.parametrize("freq", ["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY"])
def test_r26_a_rule_that_never_matches_is_refused_in_milliseconds(freq):
    started = time.perf_counter()
    with pytest.raises(RuleError, match="gives no sessions"):
        starts_of(f"FREQ={freq};BYMONTH=2;BYMONTHDAY=31;COUNT=2", datetime(2027, 3, 9, 16, tzinfo=UTC), LONDON, LIMIT)
    assert time.perf_counter() - started < 0.5  # dateutil alone walks to 9999: seconds


def test_r26_16_00_local_stays_16_00_across_both_clock_changes():
    spring = starts_of("FREQ=WEEKLY;COUNT=3", datetime(2027, 3, 24, 16, tzinfo=UTC), LONDON, LIMIT)
    autumn = starts_of("FREQ=WEEKLY;COUNT=3", datetime(2027, 10, 20, 15, tzinfo=UTC), LONDON, LIMIT)
    assert {s.astimezone(LONDON).strftime("%H:%M") for s in spring} == {"16:00"}
    assert {s.astimezone(LONDON).strftime("%H:%M") for s in autumn} == {"16:00"}
    assert [s.isoformat() for s in spring] == ["2027-03-24T16:00:00+00:00", "2027-03-31T15:00:00+00:00", "2027-04-07T15:00:00+00:00"]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=WEEKLY", "needs COUNT or UNTIL"),
        ("FREQ=WEEKLY;COUNT=2;UNTIL=20270401T000000Z", "not both"),
        ("DTSTART:20200101T090000\nRRULE:FREQ=DAILY;COUNT=2", "one RRULE value"),
        ("FREQ=WEEKLY;COUNT=2\nRDATE:20300101T090000", "one RRULE value"),
        ("FREQ=YEARLY;BYEASTER=0;COUNT=2", "BYEASTER"),
        ("FREQ=FORTNIGHTLY;COUNT=6", "not a valid RFC 5545 rule"),
    ],
)
def test_r26_what_is_not_a_series(rule, message):
    with pytest.raises(RuleError, match=message):
        starts_of(rule, datetime(2027, 3, 9, 16, tzinfo=UTC), LONDON, LIMIT)

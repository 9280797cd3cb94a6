"""A series rule that is refused says why in words the caller can act on (R-26; issue 16: a
contract without surprises). "Now" is Monday 1 March 2027, 09:00 GMT, as in test_router."""

from __future__ import annotations

import pytest

from tests.sessions.test_router import assert_refused, body, counts
from tests.sessions.test_router import now as now  # noqa: F401 - fixtures, used by name
from tests.sessions.test_router import world as world  # noqa: F401


@pytest.mark.parametrize("count", ["0", "-3"])
def test_r26_a_count_below_one_is_a_422_saying_the_count_must_be_at_least_1(engine, scheduling, world, count):
    before = counts(engine)
    problem = assert_refused(scheduling.book(**body(world, rrule=f"FREQ=WEEKLY;COUNT={count}")), before, engine, 422, field="rrule")
    message = f"COUNT must be at least 1 (got {count}): a series has one session or more"
    assert problem["errors"][0]["message"] == message
    assert problem["detail"] == f"rrule: {message}"


@pytest.mark.parametrize(
    ("rrule", "detail"),
    [
        # The first session is Tuesday 9 March 2027, 16:00 GMT; five years is 5 x 366 days.
        (
            "FREQ=MONTHLY;UNTIL=20350101T000000Z",
            "rrule: UNTIL is after 2032-03-12T16:00 Europe/London: a series may run at most five years from its first session",
        ),
        # 52 weekly sessions from 9 March 2027: the 52nd starts on 29 February 2028, in GMT.
        (
            "FREQ=WEEKLY;UNTIL=20290101T000000Z",
            "rrule: UNTIL is after 2028-02-29T16:00 Europe/London, the start of session 52: a series may have at most 52 sessions",
        ),
    ],
)
def test_r26_an_until_too_far_says_which_limit_it_breaks(engine, scheduling, world, rrule, detail):
    before = counts(engine)
    problem = assert_refused(scheduling.book(**body(world, rrule=rrule)), before, engine, 422, field="rrule")
    assert problem["detail"] == detail


def test_r26_a_count_past_the_most_sessions_says_the_limit(engine, scheduling, world):
    before = counts(engine)
    problem = assert_refused(scheduling.book(**body(world, rrule="FREQ=WEEKLY;COUNT=53")), before, engine, 422, field="rrule")
    assert problem["detail"] == "rrule: COUNT=53 is more than 52: a series may have at most 52 sessions"

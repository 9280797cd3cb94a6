"""Factories for the reports: scheduling (venue, CSWs, arrangement, bookings) and referrals."""

from __future__ import annotations

from tests.referrals.conftest import referrals  # noqa: F401 (the fixture)
from tests.sessions.conftest import scheduling, setting  # noqa: F401 (the fixtures)

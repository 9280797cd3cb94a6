"""Factories for agreements and breaches: the transport world (a child whose address is
withheld, an arrangement with a signed agreement, two booked sessions on Tuesday and
Wednesday, drivers), seen on Monday 2026-11-30, and the scheduling factory."""

from __future__ import annotations

from tests.sessions.conftest import scheduling  # noqa: F401 (the fixture)
from tests.transport.conftest import world  # noqa: F401 (the fixture)

"""Factories for oversight: the transport world (an arrangement for a child on an interim
care order in the court arena, its agreement signed, two booked sessions on Tuesday and
Wednesday), seen on Monday 2026-11-30, and the scheduling factory."""

from __future__ import annotations

from tests.sessions.conftest import scheduling  # noqa: F401 (the fixture)
from tests.transport.conftest import world  # noqa: F401 (the fixture)

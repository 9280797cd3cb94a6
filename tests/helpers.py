"""Small helpers shared by the tests."""

from __future__ import annotations

from datetime import datetime

import time_machine


def at(moment: str):
    """Freeze the clock at an ISO instant (mint tokens inside the block: they carry iat/exp)."""
    return time_machine.travel(datetime.fromisoformat(moment), tick=False)

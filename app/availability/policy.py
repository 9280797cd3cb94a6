"""Who searches for free slots (R-27): team leaders and CSWs. A CSW may ask about any CSW,
not only themselves: arranging cover means finding a colleague who is free, and the answer
holds only rooms, staff ids and times, nothing about a child. Pure."""

from __future__ import annotations

from app.sessions.policy import BOOKERS

SEARCHERS = BOOKERS

"""Route dependencies for availability, built on `availability.policy`."""

from __future__ import annotations

from app.availability.policy import SEARCHERS
from app.core.access import Gate

Searcher = Gate(*SEARCHERS)

"""Who may read an arrangement (R-06, R-80): whoever may read its child under the child's
current allocation, so a reallocated child takes its live case with it. Pure."""

from __future__ import annotations

from app.children.policy import CHILD_READERS

READERS = CHILD_READERS

"""Who may produce and check court documents (R-87, API.md). Pure.

A record's PDF: whoever may read the record (`records.policy`). An arrangement's court
bundle: the child's social worker, team leaders and service managers, and only for a child
they may read (a 404 otherwise, as for an arrangement that does not exist). Checking a copy
(`POST /documents/verify`): any authenticated caller; it answers about the copy in hand,
which the caller already holds.
"""

from __future__ import annotations

from app.core.security import Role

BUNDLE_READERS = (Role.social_worker, Role.team_leader, Role.service_manager)

"""The s34 rule (R-54, R-54a), pure: the one check both a restriction's record and the
sweep (`contact-service s34-sweep`, later the worker) ask, so they cannot disagree.

Where a child is in care proceedings or on an (interim) care order, terminating contact,
or suspending it for more than 7 days, needs the court's authority (s34 Children Act
1989; 004 s14, 003 s9). A suspension "has lasted, or is set to last, more than 7 days":
with a planned end, from its start to that end; open-ended, from its start to today.
A termination is for good.
"""

from __future__ import annotations

from datetime import date

from app.children.models import LegalStatus
from app.oversight.models import RestrictionKind

S34_DAYS = 7
ORDERS = frozenset({LegalStatus.interim_care_order, LegalStatus.care_order})


def in_proceedings_or_on_an_order(legal_status: LegalStatus, court_arena: bool) -> bool:
    """On an interim or full care order, or in the court arena (care proceedings)."""
    return legal_status in ORDERS or court_arena


def s34_application_due(
    *, legal_status: LegalStatus, court_arena: bool, kind: RestrictionKind, starts_on: date, ends_on: date | None, today: date
) -> bool:
    if not in_proceedings_or_on_an_order(legal_status, court_arena):
        return False
    if kind == RestrictionKind.terminate:
        return True
    if kind != RestrictionKind.suspend:
        return False
    last_day = ends_on if ends_on is not None else today
    return (last_day - starts_on).days > S34_DAYS

"""Opening and reading contact arrangements (R-18). No HTTP here."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlmodel import Session

from app.arrangements.models import Arrangement, ArrangementStatus
from app.core import clock
from app.core.changes import record_change
from app.core.security import Principal
from app.referrals.models import Referral


def open_for(session: Session, principal: Principal, referral: Referral) -> Arrangement:
    """An accepted referral opens one active arrangement; a later one needs a new referral."""
    arrangement = Arrangement(
        referral_id=referral.id,
        child_id=referral.child_id,
        area=referral.area,
        status=ArrangementStatus.active,
        basis=referral.outcome,
        level=referral.level,
        room_only=referral.room_only,
        court_arena=referral.court_arena,
        review_by=referral.review_by,
        opened_at=clock.now(),
    )
    session.add(arrangement)
    record_change(
        session, principal, "arrangement.opened", "arrangement", arrangement, before=None,
        event={"arrangement_id": arrangement.id, "referral_id": referral.id, "child_id": referral.child_id, "basis": referral.outcome},
    )
    return arrangement


def id_for_referral(session: Session, referral_id: uuid.UUID) -> uuid.UUID | None:
    return session.execute(select(Arrangement.id).where(Arrangement.referral_id == referral_id)).scalar_one_or_none()

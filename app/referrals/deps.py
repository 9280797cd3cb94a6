"""Who may see which referral (R-06): the one place the rule lives."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from app.core.db import SessionDep
from app.core.errors import not_found
from app.core.security import Principal, Role, require_roles
from app.referrals.models import Referral

REFERRAL_READERS = (Role.social_worker, Role.integration, Role.team_manager, Role.team_leader, Role.service_manager)


def can_read_referral(principal: Principal, referral: Referral) -> bool:
    if principal.has(Role.team_leader, Role.service_manager):
        return True
    if principal.acting_social_worker is not None and principal.acting_social_worker == referral.social_worker_sub:
        return True
    return principal.has(Role.team_manager) and principal.team is not None and principal.team == referral.team


def valid_referral(referral_id: uuid.UUID, session: SessionDep) -> Referral:
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise not_found("referral")
    return referral


def readable_referral(
    principal: Annotated[Principal, Depends(require_roles(*REFERRAL_READERS))],
    referral: Annotated[Referral, Depends(valid_referral)],
) -> Referral:
    if not can_read_referral(principal, referral):
        raise not_found("referral")
    return referral


ReadableReferral = Annotated[Referral, Depends(readable_referral)]
Referrer = Annotated[Principal, Depends(require_roles(Role.social_worker, Role.integration))]
TeamManager = Annotated[Principal, Depends(require_roles(Role.team_manager))]
TeamLeader = Annotated[Principal, Depends(require_roles(Role.team_leader))]
QueueReader = Annotated[Principal, Depends(require_roles(Role.team_leader, Role.service_manager))]

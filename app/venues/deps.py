"""Route dependencies for venues, rooms and staff, built on `venues.policy`."""

from __future__ import annotations

import uuid
from typing import Annotated


from app.core.concurrency import Depends
from app.core.access import Gate, policy
from app.core.db import SessionDep
from app.core.errors import not_found
from app.venues.models import Venue
from app.venues.policy import ADMINS


@policy
def admins_venue(principal: Gate(*ADMINS), venue_id: uuid.UUID, session: SessionDep) -> Venue:
    venue = session.get(Venue, venue_id)
    if venue is None:
        raise not_found("venue")
    return venue


AdminsVenue = Annotated[Venue, Depends(admins_venue)]
Admin = Gate(*ADMINS)

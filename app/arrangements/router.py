"""HTTP for arrangements."""

from __future__ import annotations


from app.core.concurrency import APIRouter
from app.arrangements.deps import ReadableArrangement
from app.arrangements.models import Arrangement
from app.arrangements.schemas import ArrangementRead
from app.core.errors import error_responses

router = APIRouter(prefix="/arrangements", tags=["arrangements"])


@router.get(
    "/{arrangement_id}",
    response_model=ArrangementRead,
    summary="Read a contact arrangement",
    description="The live case an accepted referral opened (R-18): status, breach count and flags.",
    responses=error_responses(401, 403, 404, 422),
)
def get_arrangement(arrangement: ReadableArrangement) -> Arrangement:
    return arrangement

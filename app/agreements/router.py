"""HTTP for written agreements, their signatures and breaches (R-50 to R-52)."""

from __future__ import annotations

from fastapi import Response, status

from app import flows
from app.agreements import service
from app.agreements.deps import AgreementWriterArrangement, BreachArrangement
from app.agreements.schemas import AgreementRead, AgreementWrite, BreachCreate, BreachRead, BreachRecorded, SignatureCreate
from app.arrangements.deps import ReadableArrangement
from app.core.concurrency import APIRouter
from app.core.config import SettingsDep
from app.core.db import SessionDep
from app.core.errors import error_responses
from app.core.pagination import Page, PageParamsDep
from app.core.security import PrincipalDep

router = APIRouter(prefix="/arrangements/{arrangement_id}", tags=["agreements"])
WRITE_ERRORS = (401, 403, 404, 409, 422)


@router.put(
    "/agreement",
    response_model=AgreementRead,
    summary="Write the arrangement's agreement",
    description=(
        "R-50, R-50a. The expectations of each party, the consequences of a breach, and the parties who sign "
        "(people of the child's network). Sending the same agreement again changes nothing. A change before "
        "anyone signed rewrites the current version; a change after a signature makes a new version whose "
        "signatures start empty, and sessions cannot be booked until every party has signed it. Answers 201 "
        "when a version is made, 200 otherwise. The text is checked for names and the withheld address (R-82)."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def put_agreement(
    arrangement: AgreementWriterArrangement, body: AgreementWrite, principal: PrincipalDep, session: SessionDep, response: Response
) -> AgreementRead:
    agreement, new = service.write(session, principal, arrangement, body)
    response.status_code = status.HTTP_201_CREATED if new else status.HTTP_200_OK
    return service.read(session, agreement)


@router.get(
    "/agreement",
    response_model=AgreementRead,
    summary="Read the arrangement's agreement",
    description="The current version: its text, parties, signatures, who is yet to sign and whether it is fully signed (R-50).",
    responses=error_responses(401, 403, 404, 422),
)
def get_agreement(arrangement: ReadableArrangement, session: SessionDep) -> AgreementRead:
    return service.read_current(session, arrangement)


@router.post(
    "/agreement/signatures",
    response_model=AgreementRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a party's signature",
    description=(
        "R-50: who signed the current version, when and how (in person, remotely or at a meeting; no meeting is "
        "needed). A person who is not a party is a 422 naming `person_id`. The same signature sent again answers "
        "200 and changes nothing; a different one for a party who signed is a 409. Answers with the agreement."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def sign_agreement(
    arrangement: AgreementWriterArrangement, body: SignatureCreate, principal: PrincipalDep, session: SessionDep, response: Response
) -> AgreementRead:
    agreement, added = service.sign(session, principal, arrangement, body)
    if not added:
        response.status_code = status.HTTP_200_OK
    return service.read(session, agreement)


@router.post(
    "/breaches",
    response_model=BreachRecorded,
    status_code=status.HTTP_201_CREATED,
    summary="Record a breach of the agreement",
    description=(
        "R-51, R-52. Ordinary or serious, what happened (checked under R-82), and optionally the session and the "
        "person. A CSW records breaches in their own sessions. A serious breach, or the third under the current "
        "agreement version, suspends the arrangement in the same transaction: its future sessions and their "
        "transport go on hold, `arrangement.suspended` goes to the social worker at once, and the review meeting "
        "is due within 3 working days. Answers with the breach and the arrangement's status and breach count."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def post_breach(
    arrangement: BreachArrangement, body: BreachCreate, principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> BreachRecorded:
    breach = flows.record_breach(session, principal, settings, arrangement, body)
    return service.recorded(session, breach, arrangement)


@router.get(
    "/breaches",
    response_model=Page[BreachRead],
    summary="List the arrangement's breaches",
    description="Every breach recorded, earliest first and cursor-paged, with the agreement version it counts against (R-51).",
    responses=error_responses(401, 403, 404, 422),
)
def list_breaches(arrangement: ReadableArrangement, session: SessionDep, page: PageParamsDep) -> Page[BreachRead]:
    return service.breaches_page(session, arrangement, page)

"""HTTP for session records: offline-safe drafts, the anonymisation check, submit, amend,
read with versions, an arrangement's records (R-83, metadata only) and the overdue list (the
court PDF is `documents`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Query, Response, status

from app.arrangements.deps import ReadableArrangement
from app.core.concurrency import APIRouter
from app.core import clock
from app.core.db import SessionDep
from app.core.errors import error_responses
from app.core.etags import IF_MATCH_PATTERN
from app.core.pagination import Page, PageParamsDep
from app.core.periods import PeriodDep
from app.core.security import PrincipalDep
from app.records import service
from app.records.deps import AmendableRecordSession, OverdueReader, ReadableRecord, RecordFilter, WritableRecordSession
from app.records.models import RecordStatus
from app.records.schemas import Amendment, CheckResult, FindingRead, OverdueItem, RecordDraft, RecordRead, RecordSummary

router = APIRouter(tags=["records"])

WRITE_ERRORS = (401, 403, 404, 409, 412, 413, 415, 422, 428)
IdempotencyKeyHeader = Annotated[
    str,
    Header(
        alias="Idempotency-Key", min_length=8, max_length=128, pattern=r"^[A-Za-z0-9._:-]+$",
        description="Required. Replaying a key with the same body returns the stored answer; keys are kept at least 7 days.",
    ),
]
IfMatch = Annotated[
    str | None, Header(alias="If-Match", max_length=64, pattern=IF_MATCH_PATTERN, description='The ETag you last read, e.g. "3".')
]


@router.put(
    "/sessions/{session_id}/record",
    response_model=RecordRead,
    summary="Save the session record as a draft",
    description=(
        "R-43: the session's CSW saves the draft as often as the tablet syncs. `Idempotency-Key` is "
        "required: replaying it with the same body returns the stored answer byte for byte; the same "
        "key with another body is a 422. Updating an existing draft needs `If-Match` (428 without, 412 "
        "when stale). 201 when the record is created."
    ),
    responses={201: {"model": RecordRead, "description": "Created"}, **error_responses(*WRITE_ERRORS)},
)
def save_record(
    row: WritableRecordSession,
    principal: PrincipalDep,
    body: RecordDraft,
    session: SessionDep,
    idempotency_key: IdempotencyKeyHeader,
    if_match: IfMatch = None,
) -> Response:
    answer = service.save_draft_once(session, principal, row, body, idempotency_key, if_match)
    return Response(answer.body, status_code=answer.status_code, media_type="application/json", headers={"ETag": answer.etag or ""})


@router.post(
    "/sessions/{session_id}/record/check",
    response_model=CheckResult,
    summary="Check a record's text for names, addresses and postcodes",
    description="R-42 without saving: the tablet shows the findings as the CSW types.",
    responses=error_responses(*WRITE_ERRORS),
)
def check_record(row: WritableRecordSession, body: RecordDraft, session: SessionDep) -> CheckResult:
    found = service.findings(session, row, body.model_dump(mode="json"))
    return CheckResult(findings=[FindingRead(**f.__dict__) for f in found])


@router.post(
    "/sessions/{session_id}/record/submit",
    response_model=RecordRead,
    summary="Submit the session record",
    description=(
        "R-41, R-42, R-44: needs the current `If-Match` and a clean anonymisation check (422 with the "
        "findings otherwise). Stamps `submitted_at`, marks it late after 24 hours from the session's "
        "end, locks it, and tells the social worker (`record.submitted`)."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def submit_record(
    row: WritableRecordSession, principal: PrincipalDep, session: SessionDep, response: Response, if_match: IfMatch = None
) -> RecordRead:
    record = service.submit(session, principal, row, service.record_of(session, row), if_match)
    response.headers["ETag"] = service.etag(record)
    return service.read(session, record)


@router.post(
    "/sessions/{session_id}/record/amendments",
    response_model=RecordRead,
    status_code=status.HTTP_201_CREATED,
    summary="Amend a submitted record",
    description=(
        "R-44: a reason and the fields that change; a new version, every earlier one still readable. Needs "
        "the current `If-Match` (428 without, 412 when stale); an amendment that changes nothing is a 422. "
        "The new version's number is the record's version, the one in its ETag (R-87: one sequence)."
    ),
    responses=error_responses(*WRITE_ERRORS),
)
def amend_record(
    row: AmendableRecordSession, principal: PrincipalDep, body: Amendment, session: SessionDep, response: Response, if_match: IfMatch = None
) -> RecordRead:
    record = service.amend(session, principal, row, service.record_of(session, row), body, if_match)
    response.headers["ETag"] = service.etag(record)
    return service.read(session, record)


@router.get(
    "/sessions/{session_id}/record",
    response_model=RecordRead,
    summary="Read a session record with its versions",
    description="R-44: the social worker reads a submitted record at once; a draft is the CSW's alone.",
    responses=error_responses(401, 403, 404, 422),
)
def get_record(found: ReadableRecord, session: SessionDep, response: Response) -> RecordRead:
    _row, record = found
    response.headers["ETag"] = service.etag(record)
    return service.read(session, record)


@router.get(
    "/records/overdue",
    response_model=Page[OverdueItem],
    summary="Sessions whose record is overdue",
    description="R-41: sessions that ended over 24 hours ago without a submitted record, oldest first.",
    responses=error_responses(401, 403, 422),
)
def overdue_records(_principal: OverdueReader, session: SessionDep, page: PageParamsDep) -> Page[OverdueItem]:
    return service.overdue_page(session, clock.now(), page)


@router.get(
    "/arrangements/{arrangement_id}/records",
    response_model=Page[RecordSummary],
    summary="List the arrangement's session records",
    description=(
        "R-83: the records of the arrangement's sessions the caller may read, by the session's start, "
        "cursor-paged: state, version, times, whether it was late and how many amendments, never the note text "
        "(read one with `GET /sessions/{id}/record`). R-06, R-44: a submitted record is read by whoever may read "
        "the child, team leaders and service managers; a draft only by its CSW and team leaders. `status` (repeat "
        "it for several) keeps those in these states; `from` and `to` keep those of sessions starting on these "
        "local days. An arrangement the caller may not read is a 404, as one that does not exist."
    ),
    responses=error_responses(401, 403, 404, 422),
)
def list_arrangement_records(
    readable: RecordFilter,
    arrangement: ReadableArrangement,
    session: SessionDep,
    page: PageParamsDep,
    period: PeriodDep,
    statuses: Annotated[
        list[RecordStatus] | None, Query(alias="status", description="Only records in these states; repeat for several.")
    ] = None,
) -> Page[RecordSummary]:
    return service.arrangement_page(session, arrangement.id, readable, page, statuses, period)

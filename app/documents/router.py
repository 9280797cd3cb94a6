"""HTTP for court documents (R-45, R-87): a record's PDF, an arrangement's court bundle, and
checking a copy of either."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Body, Query, Response

from app.core.access import AnyCaller
from app.core.concurrency import APIRouter
from app.core.config import API_PREFIX, SettingsDep
from app.core.db import SessionDep, records_what_it_serves
from app.core.errors import error_responses
from app.core.security import PrincipalDep
from app.documents import service
from app.documents.deps import BundleArrangement
from app.documents.schemas import VerifyResult
from app.records.deps import ReadableRecord

router = APIRouter(tags=["documents"])

VERIFY_PATH = f"{API_PREFIX}/documents/verify"
PDF_RESPONSE = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}, "example": "%PDF-1.7 ..."}}, "description": "The PDF"}
PRODUCED = (
    " Every page names the issuing authority (`ORGANISATION_NAME`) and carries the SHA-256 of the document's content, "
    "also in its metadata (`Keywords: sha256:<hex>`); `POST /documents/verify` checks a copy. Each production is audited."
)


@router.get(
    "/sessions/{session_id}/record.pdf",
    response_class=Response,
    summary="The record as a court-ready PDF",
    description=(
        "R-45, R-87: the record with its amendment history. Staff by name and job title (from the staff register), the "
        "time it was produced, each version's time to the second, what each amendment changed (was, now), and whether "
        "it was late and by how long. Version numbers are the record's, as in its ETag. A record not yet "
        "submitted is a 409 (`record-not-submitted`): a draft is not evidence." + PRODUCED
    ),
    responses={200: PDF_RESPONSE, **error_responses(401, 403, 404, 409, 422)},
)
@records_what_it_serves
def get_record_pdf(found: ReadableRecord, principal: PrincipalDep, session: SessionDep, settings: SettingsDep) -> Response:
    row, record = found
    data = service.produce_record(session, principal, settings, row, record)
    return Response(data, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="record-{row.id}.pdf"'})


@router.get(
    "/arrangements/{arrangement_id}/bundle.pdf",
    response_class=Response,
    summary="The arrangement's court bundle",
    description=(
        "R-87: one PDF for a hearing: a cover (authority, the child's first name, reference, period, produced at, hash), "
        "an index with page numbers, every submitted record of the period in date order with its amendment history, an "
        "attendance summary (held, not held and why, late cancellations per person by relationship), then breaches and "
        "restrictions. The child by first name, adults by relationship, never an address (R-08). `from` and `to` are "
        "local days, by default from the day the arrangement opened to today. 409 when the period has no submitted "
        "record. The child's social worker, team leaders and service managers." + PRODUCED
    ),
    responses={200: PDF_RESPONSE, **error_responses(401, 403, 404, 409, 422)},
)
@records_what_it_serves
def get_bundle(
    found: BundleArrangement,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    day_from: Annotated[date | None, Query(alias="from", description="First day (local).")] = None,
    day_to: Annotated[date | None, Query(alias="to", description="Last day (local).")] = None,
) -> Response:
    arrangement, child = found
    first, last = service.bundle_period(settings, arrangement, day_from, day_to)
    data = service.produce_bundle(session, principal, settings, arrangement, child, first, last)
    name = f"bundle-{arrangement.id}-{first.isoformat()}-{last.isoformat()}.pdf"
    return Response(data, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.post(
    "/documents/verify",
    response_model=VerifyResult,
    summary="Check a copy of a court document",
    description=(
        "R-87: send the PDF's bytes (`Content-Type: application/pdf`). `valid` is true when the copy is byte for byte a "
        "document the service produced; the answer says which record or bundle it is, when it was produced, and whether "
        "it is `current` (nothing it covers has changed since). A copy altered in any byte is not valid; if it still names "
        "a document's content hash, the answer says which one it claims to be. An empty body or one that is not a PDF is "
        "a 422. Any authenticated caller."
    ),
    responses=error_responses(401, 413, 415, 422),
)
def verify_document(
    _caller: AnyCaller,
    session: SessionDep,
    settings: SettingsDep,
    body: Annotated[bytes, Body(media_type="application/pdf", description="The PDF, as bytes.")] = b"",
) -> VerifyResult:
    return service.verify(session, settings, body)

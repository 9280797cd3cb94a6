"""Producing court documents and checking copies of them (R-45, R-87).

Every PDF the service serves is remembered (`ProducedDocument`: the hash of its content and
the hash of its bytes) and audited (who produced what, when), in the request's transaction.
Producing a document changes nothing in the case, so it emits no event: integrations hear
of records and sessions, not of who printed them.

A copy is genuine when its bytes are exactly those of a PDF the service produced. A copy
that differs in any byte is not; if its metadata still names the content hash of a document
the service produced, the answer says which document it claims to be.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session

from app.arrangements.models import Arrangement
from app.children.models import Child
from app.core import clock
from app.core.changes import record_change
from app.core.config import API_PREFIX, Settings
from app.core.errors import AppError, WrongState, invalid_field
from app.core.security import Principal
from app.documents import content, pdf
from app.documents.models import DocumentKind, ProducedDocument
from app.documents.schemas import DocumentRead, VerifyResult
from app.records.models import RecordStatus, SessionRecord
from app.sessions.models import ContactSession

log = logging.getLogger(__name__)

_CLAIMED = re.compile(r"sha256:([0-9a-f]{64})")


def produce_record(session: Session, principal: Principal, settings: Settings, row: ContactSession, record: SessionRecord) -> bytes:
    if record.status != RecordStatus.submitted:
        # court evidence is what was submitted; a draft is still the worker's to change.
        raise WrongState(
            "record", "produce the court PDF of", record.status.value, "submitted",
            type_slug="record-not-submitted", title="Not submitted yet",
            detail=f"The record has not been submitted yet: a court PDF is made from a submitted record "
            f"(POST {API_PREFIX}/sessions/{row.id}/record/submit).",
        )
    document, content_hash = content.record_document(session, row, record)
    now = clock.now()
    data = pdf.render_record(document, pdf.Issue(settings.organisation_name, now, content_hash, settings.timezone))
    _remember(session, principal, DocumentKind.record, document.reference, row.arrangement_id, content_hash, data, now, record_id=record.id)
    return data


def bundle_period(settings: Settings, arrangement: Arrangement, day_from: date | None, day_to: date | None) -> tuple[date, date]:
    """The bundle's local days: by default from the day the arrangement opened to today."""
    zone = ZoneInfo(settings.timezone)
    first = day_from or arrangement.opened_at.astimezone(zone).date()
    last = day_to or clock.now().astimezone(zone).date()
    if last < first:
        raise invalid_field("to", "must not be before `from`" if day_from and day_to else f"must not be before {first.isoformat()}, the first day", location="query")
    return first, last


def produce_bundle(
    session: Session, principal: Principal, settings: Settings, arrangement: Arrangement, child: Child, day_from: date, day_to: date
) -> bytes:
    now = clock.now()
    document, content_hash = content.bundle_document(session, arrangement, child, day_from, day_to, ZoneInfo(settings.timezone), now)
    if not document.records:
        raise AppError(
            409, "no-submitted-records", "Nothing to bundle",
            f"The arrangement has no submitted session record from {day_from.isoformat()} to {day_to.isoformat()}; "
            "a court bundle is built from submitted records.",
        )
    data = pdf.render_bundle(document, pdf.Issue(settings.organisation_name, now, content_hash, settings.timezone))
    _remember(session, principal, DocumentKind.bundle, document.reference, arrangement.id, content_hash, data, now, period=(day_from, day_to))
    return data


def _remember(
    session: Session, principal: Principal, kind: DocumentKind, reference: str, arrangement_id: object, content_hash: str, data: bytes,
    now: datetime, *, record_id: object = None, period: tuple[date, date] | None = None,
) -> ProducedDocument:
    produced = ProducedDocument(
        kind=kind, reference=reference, arrangement_id=arrangement_id, record_id=record_id,
        period_from=period[0] if period else None, period_to=period[1] if period else None,
        content_hash=content_hash, file_hash=hashlib.sha256(data).hexdigest(), produced_at=now, produced_by=principal.sub,
    )
    session.add(produced)
    record_change(session, principal, "document.produced", "produced_document", produced, before=None)
    return produced


def verify(session: Session, settings: Settings, data: bytes) -> VerifyResult:
    if not data:
        raise invalid_field("body", "is empty: send the PDF's bytes")
    if not data.startswith(b"%PDF-"):
        raise invalid_field("body", "is not a PDF (a PDF starts with %PDF-)")
    file_hash = hashlib.sha256(data).hexdigest()
    produced = session.execute(
        select(ProducedDocument).where(ProducedDocument.file_hash == file_hash).order_by(ProducedDocument.produced_at).limit(1)
    ).scalar_one_or_none()
    if produced is not None:
        return VerifyResult(
            valid=True, document=_read(produced), produced_at=produced.produced_at, current=_current(session, settings, produced),
            detail="This copy is exactly as the service produced it.",
        )
    claimed = _claimed_hash(data)
    match = None
    if claimed is not None:
        match = session.execute(
            select(ProducedDocument).where(ProducedDocument.content_hash == claimed).order_by(ProducedDocument.produced_at).limit(1)
        ).scalar_one_or_none()
    if match is None:
        return VerifyResult(valid=False, document=None, produced_at=None, current=None, detail="The service produced no document with this content.")
    return VerifyResult(
        valid=False, document=_read(match), produced_at=match.produced_at, current=_current(session, settings, match),
        detail="This copy claims to be a document the service produced, but it differs from every copy produced: it has been altered.",
    )


def _claimed_hash(data: bytes) -> str | None:
    """The content hash a PDF's metadata names (`Keywords: sha256:<hex>`), if it can be read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        keywords = (PdfReader(io.BytesIO(data)).metadata or {}).get("/Keywords")
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        log.info("unreadable PDF sent to verify", extra={"fields": {"exc_type": type(exc).__name__}})
        return None
    found = _CLAIMED.search(str(keywords or ""))
    return found.group(1) if found else None


def _current(session: Session, settings: Settings, produced: ProducedDocument) -> bool | None:
    """Whether the document's content is still what it was: no amendment, cancellation or
    breach since (None when what it covered is gone)."""
    if produced.kind == DocumentKind.record:
        record = session.get(SessionRecord, produced.record_id)
        row = session.get(ContactSession, record.session_id) if record else None
        if record is None or row is None:
            return None
        return content.record_document(session, row, record)[1] == produced.content_hash
    arrangement = session.get(Arrangement, produced.arrangement_id)
    child = session.get(Child, arrangement.child_id) if arrangement else None
    if arrangement is None or child is None or produced.period_from is None or produced.period_to is None:
        return None
    _document, now_hash = content.bundle_document(  # the sessions it could cover: those before it was produced
        session, arrangement, child, produced.period_from, produced.period_to, ZoneInfo(settings.timezone), produced.produced_at
    )
    return now_hash == produced.content_hash


def _read(produced: ProducedDocument) -> DocumentRead:
    return DocumentRead(
        kind=produced.kind.value, reference=produced.reference, arrangement_id=produced.arrangement_id, record_id=produced.record_id,
        period_from=produced.period_from, period_to=produced.period_to, content_hash=produced.content_hash,
    )

"""Written agreements, signatures and breaches (R-50, R-50a, R-51, R-52). No HTTP here.

A breach only records and counts; whether it suspends is `suspends`, and the suspension
itself (the arrangement, its sessions, their transport) is the flow in `app.flows`.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from app import freetext
from app.agreements.models import Agreement, Breach, Severity, Signature
from app.agreements.schemas import (
    AgreementRead,
    AgreementWrite,
    BreachCreate,
    BreachRead,
    BreachRecorded,
    PartyRead,
    SignatureCreate,
    SignatureRead,
)
from app.arrangements import service as arrangement_service
from app.arrangements.models import Arrangement
from app.children.models import Person
from app.core import clock
from app.core.changes import record_change
from app.core.errors import AppError, WrongState, invalid_field, not_found
from app.core.models import snapshot
from app.core.pagination import Page, PageParams, paginate
from app.core.security import Principal
from app.sessions.models import ContactSession

SUSPENDING_COUNT = 3  # the third breach under one agreement suspends contact


def current(session: Session, arrangement_id: uuid.UUID) -> Agreement | None:
    return session.execute(
        select(Agreement).where(Agreement.arrangement_id == arrangement_id).order_by(Agreement.version.desc()).limit(1)
    ).scalar_one_or_none()


def current_with_signers(session: Session, arrangement_id: uuid.UUID) -> tuple[Agreement | None, set[str]]:
    """The current version and who has signed it, in one query: every booking asks (R-50)."""
    latest = select(func.max(Agreement.version)).where(Agreement.arrangement_id == arrangement_id).scalar_subquery()
    rows = session.execute(
        select(Agreement, Signature.person_id)
        .outerjoin(Signature, Signature.agreement_id == Agreement.id)
        .where(Agreement.arrangement_id == arrangement_id, Agreement.version == latest)
    ).all()
    if not rows:
        return None, set()
    return rows[0][0], {str(person) for _, person in rows if person is not None}


def signatures_of(session: Session, agreement: Agreement) -> list[Signature]:
    return list(
        session.execute(select(Signature).where(Signature.agreement_id == agreement.id).order_by(Signature.signed_at)).scalars()
    )


def unsigned_parties(agreement: Agreement, signed: set[str]) -> list[dict[str, Any]]:
    return [party for party in agreement.parties if party["person_id"] not in signed]


def _signers(signatures: list[Signature]) -> set[str]:
    return {str(s.person_id) for s in signatures}


def read(session: Session, agreement: Agreement) -> AgreementRead:
    signatures = signatures_of(session, agreement)
    unsigned = unsigned_parties(agreement, _signers(signatures))
    return AgreementRead(
        arrangement_id=agreement.arrangement_id,
        version=agreement.version,
        expectations=agreement.expectations,
        breach_consequences=agreement.breach_consequences,
        parties=[PartyRead.model_validate(p) for p in agreement.parties],
        signatures=[SignatureRead.model_validate(s) for s in signatures],
        unsigned=[PartyRead.model_validate(p) for p in unsigned],
        fully_signed=not unsigned,
        written_by=agreement.written_by,
        written_at=agreement.written_at,
    )


def read_current(session: Session, arrangement: Arrangement) -> AgreementRead:
    agreement = current(session, arrangement.id)
    if agreement is None:
        raise not_found("agreement")
    return read(session, agreement)


def state(session: Session, arrangement_id: uuid.UUID) -> dict[str, Any] | None:
    """The current agreement's state, for the arrangement's own answer."""
    agreement, signed = current_with_signers(session, arrangement_id)
    if agreement is None:
        return None
    unsigned = unsigned_parties(agreement, signed)
    return {"version": agreement.version, "fully_signed": not unsigned, "unsigned": len(unsigned)}


def _event(agreement: Agreement, arrangement: Arrangement, **extra: Any) -> dict[str, Any]:
    return {
        "agreement_id": agreement.id, "arrangement_id": arrangement.id, "child_id": arrangement.child_id,
        "version": agreement.version, **extra,
    }


def _network(session: Session, arrangement: Arrangement, person_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    if not person_ids:
        return set()
    return set(
        session.execute(select(Person.id).where(Person.child_id == arrangement.child_id, Person.id.in_(person_ids))).scalars()
    )


def write(session: Session, principal: Principal, arrangement: Arrangement, data: AgreementWrite) -> tuple[Agreement, bool]:
    """R-50a: the same text again changes nothing; a change before anyone signed rewrites the
    current version; a change after a signature makes a new version, unsigned. Returns the
    version and whether it is new."""
    arrangement_service.lock(session, arrangement)
    arrangement_service.require_open(arrangement, "write the agreement of")
    known = _network(session, arrangement, [p.person_id for p in data.parties])
    for index, party in enumerate(data.parties):
        if party.person_id not in known:
            raise invalid_field(f"parties.{index}.person_id", "is not in this child's network")
    text = {f"expectations.{i}": item for i, item in enumerate(data.expectations)} | {"breach_consequences": data.breach_consequences}
    freetext.check(session, arrangement.child_id, text, kind="agreements")
    fields = {
        "expectations": data.expectations,
        "breach_consequences": data.breach_consequences,
        "parties": [{"person_id": str(p.person_id), "role": p.role.value} for p in data.parties],
    }
    now = clock.now()
    agreement = current(session, arrangement.id)
    if agreement is not None and all(getattr(agreement, k) == v for k, v in fields.items()):
        return agreement, False
    if agreement is not None and not signatures_of(session, agreement):
        before = snapshot(agreement)
        for key, value in fields.items():
            setattr(agreement, key, value)
        agreement.written_by, agreement.written_at = principal.sub, now
        record_change(session, principal, "agreement.written", "agreement", agreement, before=before, event=_event(agreement, arrangement))
        return agreement, False
    agreement = Agreement(
        arrangement_id=arrangement.id, version=(agreement.version + 1) if agreement else 1,
        written_by=principal.sub, written_at=now, **fields,
    )
    session.add(agreement)
    record_change(session, principal, "agreement.written", "agreement", agreement, before=None, event=_event(agreement, arrangement))
    return agreement, True


def sign(session: Session, principal: Principal, arrangement: Arrangement, data: SignatureCreate) -> tuple[Agreement, bool]:
    """A party's signature on the current version: who, when and how. The same signature sent
    again (a retry) changes nothing; returns the version and whether a signature was added."""
    arrangement_service.lock(session, arrangement)
    arrangement_service.require_open(arrangement, "sign the agreement of")
    agreement = current(session, arrangement.id)
    if agreement is None:
        raise WrongState("arrangement", "sign an agreement for", "without a written agreement", type_slug="agreement-missing",
                         title="There is no agreement to sign", detail="Write the agreement (PUT .../agreement) before signing it.")
    if str(data.person_id) not in {p["person_id"] for p in agreement.parties}:
        raise invalid_field("person_id", f"is not a party to version {agreement.version} of this agreement")
    now = clock.now()
    if data.signed_at > now:
        raise invalid_field("signed_at", "is in the future")
    if data.signed_at < agreement.written_at:
        raise invalid_field("signed_at", f"is before version {agreement.version} was written")
    signatures = signatures_of(session, agreement)
    existing = next((s for s in signatures if s.person_id == data.person_id), None)
    if existing is not None:
        if existing.signed_at == data.signed_at and existing.method == data.method:
            return agreement, False
        raise AppError(409, "already-signed", "Already signed", f"This party signed version {agreement.version} already.",
                       extra={"signed_at": existing.signed_at.isoformat()})
    signature = Signature(
        agreement_id=agreement.id, person_id=data.person_id, signed_at=data.signed_at, method=data.method,
        recorded_by=principal.sub, recorded_at=now,
    )
    session.add(signature)
    fully = not unsigned_parties(agreement, _signers([*signatures, signature]))
    record_change(
        session, principal, "agreement.signed", "agreement_signature", signature, before=None,
        event=_event(agreement, arrangement, person_id=data.person_id, signed_at=data.signed_at, fully_signed=fully),
    )
    return agreement, True


def require_signed(session: Session, arrangement: Arrangement) -> None:
    """R-50, R-50a: no booking while the current version lacks a party's signature (409
    `agreement-unsigned` naming them); sessions already booked stay booked."""
    agreement, signed = current_with_signers(session, arrangement.id)
    if agreement is None:
        raise AppError(409, "agreement-unsigned", "The written agreement is not signed",
                       "The arrangement has no written agreement yet: write it and have every party sign it before booking (R-50).",
                       extra={"unsigned_parties": []})
    unsigned = unsigned_parties(agreement, signed)
    if unsigned:
        raise AppError(409, "agreement-unsigned", "The written agreement is not signed",
                       f"Version {agreement.version} of the agreement lacks {len(unsigned)} party signature(s) (R-50a).",
                       extra={"unsigned_parties": unsigned, "version": agreement.version})


def record_breach(session: Session, principal: Principal, arrangement: Arrangement, data: BreachCreate) -> tuple[Breach, bool]:
    """R-51: the breach, against the agreement in force, counted on the arrangement (locked,
    so two breaches at once both count). Returns it and whether it suspends contact (R-52):
    a serious one, or the third under this agreement version, while the arrangement is active."""
    arrangement_service.lock(session, arrangement)
    arrangement_service.require_open(arrangement, "record a breach on")
    if data.session_id is not None:
        row = session.get(ContactSession, data.session_id)
        if row is None or row.arrangement_id != arrangement.id:
            raise invalid_field("session_id", "is not a session of this arrangement")
    if data.person_id is not None and not _network(session, arrangement, [data.person_id]):
        raise invalid_field("person_id", "is not in this child's network")
    now = clock.now()
    if data.occurred_at is not None and data.occurred_at > now:
        raise invalid_field("occurred_at", "is in the future")
    freetext.check(session, arrangement.child_id, {"description": data.description}, kind="breaches")
    agreement = current(session, arrangement.id)
    breach = Breach(
        arrangement_id=arrangement.id, agreement_id=agreement.id if agreement else None, session_id=data.session_id,
        person_id=data.person_id, severity=data.severity, description=data.description,
        occurred_at=data.occurred_at or now, recorded_by=principal.sub, recorded_at=now,
    )
    session.add(breach)
    before = snapshot(arrangement)
    arrangement_service.count_breach(arrangement)
    session.flush()
    under_agreement = session.execute(
        select(func.count()).select_from(Breach).where(
            Breach.arrangement_id == arrangement.id,
            Breach.agreement_id == agreement.id if agreement else Breach.agreement_id.is_(None),
        )
    ).scalar_one()
    suspends = arrangement.status.value == "active" and (data.severity == Severity.serious or under_agreement >= SUSPENDING_COUNT)
    breach.suspended = suspends
    record_change(
        session, principal, "breach.recorded", "breach", breach, before=None,
        event={
            "breach_id": breach.id, "arrangement_id": arrangement.id, "child_id": arrangement.child_id,
            "session_id": breach.session_id, "severity": breach.severity, "occurred_at": breach.occurred_at,
            "breach_count": arrangement.breach_count, "suspends": suspends,
        },
    )
    record_change(session, principal, "arrangement.breach_counted", "arrangement", arrangement, before=before)
    return breach, suspends


def breach_read(breach: Breach, version_of: dict[uuid.UUID, int]) -> BreachRead:
    return BreachRead.model_validate(
        {**breach.model_dump(), "agreement_version": version_of.get(breach.agreement_id) if breach.agreement_id else None}
    )


def recorded(session: Session, breach: Breach, arrangement: Arrangement) -> BreachRecorded:
    """The breach just recorded, and what it did to its arrangement. Its agreement was read to
    record it, so it is in the session already."""
    agreement = session.get(Agreement, breach.agreement_id) if breach.agreement_id is not None else None
    versions = {agreement.id: agreement.version} if agreement is not None else {}
    return BreachRecorded(
        **breach_read(breach, versions).model_dump(),
        status=arrangement.status, breach_count=arrangement.breach_count, review_meeting_due_by=arrangement.review_meeting_due_by,
    )


def breaches_page(session: Session, arrangement: Arrangement, page: PageParams) -> Page[BreachRead]:
    """The arrangement's breaches, earliest first, each with the agreement version it counts against."""
    versions = dict(session.execute(select(Agreement.id, Agreement.version).where(Agreement.arrangement_id == arrangement.id)).all())
    statement = select(Breach).where(Breach.arrangement_id == arrangement.id)
    return paginate(session, statement, [Breach.occurred_at, Breach.id], page, lambda breach: breach_read(breach, versions))

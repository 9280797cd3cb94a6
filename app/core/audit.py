"""The append-only, tamper-evident audit log (R-61).

Every write appends an entry in the same transaction as the change: who (subject, role),
what (action, entity), before and after, when, and the hash of the previous entry, so an
edited or deleted entry breaks the chain that `contact-service verify-audit` walks.
Appends are serialised (an advisory lock on PostgreSQL; SQLite's write transactions are
already serial) so two writers never fork the chain.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Identity, Index, select, text
from sqlmodel import Field, Session, SQLModel

from app.core import clock
from app.core.models import to_json
from app.core.security import Principal
from app.core.types import BigIntKey, JSONDocument, UTCDateTime

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x0A0D17  # arbitrary, fixed: the audit chain's advisory lock


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id"),)

    seq: int | None = Field(
        default=None, sa_column=Column(BigIntKey, Identity(), primary_key=True)
    )
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    subject: str = Field(max_length=255)
    role: str = Field(max_length=255)
    act_for: str | None = Field(default=None, max_length=255)
    action: str = Field(max_length=100)
    entity_type: str = Field(max_length=100)
    entity_id: str = Field(max_length=255)
    before: dict[str, Any] | None = Field(default=None, sa_type=JSONDocument)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSONDocument)
    request_id: str | None = Field(default=None, max_length=128)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps({"prev": prev_hash, **fields}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat(),
        "subject": entry.subject,
        "role": entry.role,
        "act_for": entry.act_for,
        "action": entry.action,
        "entity_type": entry.entity_type,
        "entity_id": entry.entity_id,
        "before": entry.before,
        "after": entry.after,
        "request_id": entry.request_id,
    }


def record(
    session: Session,
    principal: Principal,
    action: str,
    entity_type: str,
    entity_id: Any,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    """Append one entry to the chain inside the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    prev = session.execute(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one_or_none()
    entry = AuditEntry(
        at=clock.now(),
        subject=principal.sub,
        role=principal.role_label,
        act_for=principal.act_for,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=to_json(before),
        after=to_json(after),
        request_id=session.info.get("request_id"),
        prev_hash=prev or GENESIS,
        hash="",
    )
    entry.hash = entry_hash(entry.prev_hash, _hashed_fields(entry))
    session.add(entry)
    session.flush()
    return entry


def verify_chain(session: Session, batch: int = 1000) -> tuple[int, int | None]:
    """Walk the log in order; returns (entries checked, seq of the first broken entry or None)."""
    prev = GENESIS
    checked = 0
    last_seq = 0
    while True:
        rows = session.execute(
            select(AuditEntry).where(AuditEntry.seq > last_seq).order_by(AuditEntry.seq).limit(batch)
        ).scalars().all()
        if not rows:
            return checked, None
        for entry in rows:
            if entry.prev_hash != prev or entry.hash != entry_hash(prev, _hashed_fields(entry)):
                return checked, entry.seq
            prev = entry.hash
            checked += 1
            last_seq = entry.seq or last_seq

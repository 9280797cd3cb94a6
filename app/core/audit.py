"""The append-only, tamper-evident audit log (R-61).

Every write appends an entry in the same transaction as the change: who (subject, role),
what (action, entity), before and after, when, and the hash of the previous entry, so an
edited or deleted entry breaks the chain that `contact-service verify-audit` walks.

A service's `record` only notes the entry on the database session. The entries are chained
and written, with the transaction's outbox events, just before it commits
(`core.publish`): the chain's lock is held from there to the commit only, so writers do
not queue behind each other's whole request, and the log and the feed are in commit order.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Identity, Index, select
from sqlmodel import Field, Session, SQLModel

from app.core import clock
from app.core.models import to_json
from app.core.security import Principal
from app.core.types import BigIntKey, JSONDocument, UTCDateTime

GENESIS = "0" * 64
PENDING = "audit.pending"  # key in Session.info: this transaction's entries, in order


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


class AuditCheckpoint(SQLModel, table=True):
    """The chain's head at a moment, signed (HMAC-SHA256 under AUDIT_KEY) and also put on the
    outbox, so other systems hold a copy: deleting or rewriting the tail of the log, which
    anyone could otherwise re-chain, no longer verifies."""

    __tablename__ = "audit_checkpoint"

    seq: int = Field(sa_column=Column(BigIntKey, primary_key=True, autoincrement=False))
    hash: str = Field(max_length=64)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    mac: str = Field(max_length=64)


def checkpoint_mac(key: str, seq: int, head: str, at: datetime) -> str:
    message = f"{seq}:{head}:{at.isoformat()}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def _canonical(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(_canonical({"prev": prev_hash, **fields}).encode()).hexdigest()


def hash_halves(entry: AuditEntry) -> tuple[str, str]:
    """The entry's canonical text on either side of the previous hash: the SHA-256 of
    `head + prev + tail` is `entry_hash(prev, ...)`. PostgreSQL links the chain with them
    under the lock, in one round trip (`core.publish`), without knowing JSON's rules."""
    fields = _hashed_fields(entry)
    head = _canonical({key: value for key, value in fields.items() if key < "prev"})
    tail = _canonical({key: value for key, value in fields.items() if key > "prev"})
    # `{...}` + `"prev":"` + prev + `"` + `...}`, with the commas an empty side leaves out.
    head = (head[:-1] + "," if head != "{}" else "{") + '"prev":"'
    tail = '"' + ("," + tail[1:] if tail != "{}" else "}")
    return head, tail


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
    """Note one entry for this transaction; `core.publish` chains it in just before commit."""
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
        prev_hash="",
        hash="",
    )
    session.info.setdefault(PENDING, []).append(entry)
    return entry


def chain(entries: list[AuditEntry], head: str | None) -> None:
    """Link `entries` to `head`, the chain's head read under its lock (`core.publish` holds
    it until commit, and writes the entries)."""
    prev = head or GENESIS
    for entry in entries:
        entry.prev_hash = prev
        entry.hash = prev = entry_hash(prev, _hashed_fields(entry))


def verify_checkpoints(session: Session, key: str) -> list[str]:
    """What is wrong with the log against its signed checkpoints: a checkpoint whose
    signature fails, a checked-point entry gone (the tail truncated) or changed (rewritten)."""
    problems = []
    for point in session.execute(select(AuditCheckpoint).order_by(AuditCheckpoint.seq)).scalars():
        if not hmac.compare_digest(point.mac, checkpoint_mac(key, point.seq, point.hash, point.at)):
            problems.append(f"checkpoint at entry {point.seq} is not signed by AUDIT_KEY")
            continue
        head = session.execute(select(AuditEntry.hash).where(AuditEntry.seq == point.seq)).scalar_one_or_none()
        if head is None:
            problems.append(f"truncated: entry {point.seq}, checkpointed at {point.at.isoformat()}, is gone")
        elif head != point.hash:
            problems.append(f"rewritten: entry {point.seq} differs from its checkpoint of {point.at.isoformat()}")
    return problems


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


# Writing what was noted happens at commit; importing this module anywhere installs that hook.
from app.core import publish  # noqa: E402, F401

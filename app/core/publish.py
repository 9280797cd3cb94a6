"""Audit entries and outbox events are written at commit, in commit order (R-60, R-61).

During a request a service notes its audit entries (`audit.record`) and events
(`outbox.emit`) on the database session. Just before the session commits, this module takes
the one lock that orders them (a transaction-scoped advisory lock on PostgreSQL; SQLite's
write transactions are already serial), links the entries to the audit chain, and inserts
entries and events. The lock is released by the commit itself, so:

* writers queue only for the few milliseconds from here to their commit, not for their
  whole request;
* `seq` of the log and of the feed follows commit order: a poller that has read past seq N
  never later meets an event with a smaller seq (the webhook worker relies on this);
* a transaction that rolls back writes neither (its notes are dropped).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, event, select, text
from sqlalchemy.engine import Dialect
from sqlmodel import Session

from app.core import audit, clock, outbox
from app.core.config import Settings
from app.core.models import to_json

_PG_LOCK_KEY = 0x0A0D17  # arbitrary, fixed: the audit chain's and the feed's advisory lock


@dataclass(frozen=True)
class Checkpointing:
    key: str
    every: timedelta
    entries: int


_CHECKPOINTING: WeakKeyDictionary[Dialect, Checkpointing] = WeakKeyDictionary()


def configure(engine: Engine, settings: Settings) -> None:
    """How the audit chain of this engine's database is checkpointed (R-61)."""
    _CHECKPOINTING[engine.dialect] = Checkpointing(
        settings.audit_signing_key, timedelta(seconds=settings.audit_checkpoint_seconds), settings.audit_checkpoint_entries
    )


def _checkpoint(session: Session, head: audit.AuditEntry) -> None:
    """Sign the chain's head when the last checkpoint is a minute or 1,000 entries old (the
    first one once the log's first entry is that old), and put it on the outbox too."""
    # Keyed by the dialect: an engine with options shares it, and it outlives `dispose()`,
    # which replaces the pool (the app's shutdown disposes of its asyncio engine).
    config = _CHECKPOINTING.get(session.get_bind().dialect)
    if config is None or head.seq is None:
        return
    now = clock.now()
    last = session.execute(select(audit.AuditCheckpoint).order_by(audit.AuditCheckpoint.seq.desc()).limit(1)).scalar_one_or_none()
    if last is None:
        since, since_at = 0, session.execute(select(audit.AuditEntry.at).order_by(audit.AuditEntry.seq).limit(1)).scalar_one()
    else:
        since, since_at = last.seq, last.at
    if head.seq - since < config.entries and now - since_at < config.every:
        return
    point = audit.AuditCheckpoint(seq=head.seq, hash=head.hash, at=now, mac=audit.checkpoint_mac(config.key, head.seq, head.hash, now))
    session.add(point)
    data = {"seq": point.seq, "hash": point.hash, "at": point.at, "mac": point.mac}
    session.add(outbox.OutboxEvent(type="audit.checkpointed", occurred_at=now, subject_id=str(point.seq), data=to_json(data)))


@event.listens_for(Session, "before_commit")
def _publish(session: Session) -> None:
    entries = session.info.pop(audit.PENDING, [])
    events = session.info.pop(outbox.PENDING, [])
    if not entries and not events:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    audit.chain(session, entries)
    session.add_all(events)
    session.flush()
    if entries:
        _checkpoint(session, entries[-1])
        session.flush()


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(audit.PENDING, None)
    session.info.pop(outbox.PENDING, None)

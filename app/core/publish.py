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

While the lock is held, every round trip lets the event loop serve other requests first, so
on PostgreSQL the whole locked part is one call of a database function (migration 0008):
the lock, the heads, the linked entries and the events in one round trip, then COMMIT.
SQLite, whose write transactions are serial anyway, does the same steps with SQLAlchemy.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import ARRAY, BigInteger, Engine, String, event, text
from sqlalchemy.engine import Dialect
from sqlmodel import Session, SQLModel

from app.core import audit, clock, outbox
from app.core.config import Settings
from app.core.models import to_json
from app.core.types import UTCDateTime

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


@dataclass(frozen=True)
class _Heads:
    """What a commit needs to know, read in one statement under the lock: the chain's head,
    the last checkpoint (seq and time) and the time of the log's first entry."""

    chain: str | None
    checkpoint_seq: int | None
    checkpoint_at: datetime | None
    first_at: datetime | None


# Written as text, not built with select(): it runs on every write while the lock is held,
# and building and caching a statement of four subqueries cost more than running it.
_HEADS_SQL = (
    "SELECT (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1) AS chain,"
    " (SELECT seq FROM audit_checkpoint ORDER BY seq DESC LIMIT 1) AS checkpoint_seq,"
    " (SELECT at FROM audit_checkpoint ORDER BY seq DESC LIMIT 1) AS checkpoint_at,"
    " (SELECT at FROM audit_log ORDER BY seq LIMIT 1) AS first_at"
)
_HEADS = text(_HEADS_SQL).columns(chain=String, checkpoint_seq=BigInteger, checkpoint_at=UTCDateTime, first_at=UTCDateTime)


def _read_heads(session: Session) -> _Heads:
    row = session.execute(_HEADS).one()
    return _Heads(row.chain, row.checkpoint_seq, row.checkpoint_at, row.first_at)


def _columns(model: type[SQLModel]) -> tuple[str, ...]:
    """Every column but the identity `seq`, from the table itself."""
    return tuple(column.key for column in model.__table__.columns if column.key != "seq")  # type: ignore[attr-defined]


AUDIT_COLUMNS = _columns(audit.AuditEntry)
EVENT_COLUMNS = _columns(outbox.OutboxEvent)


def _values(item: SQLModel, columns: tuple[str, ...]) -> dict[str, Any]:
    return {column: getattr(item, column) for column in columns}


def _insert(session: Session, entries: list[audit.AuditEntry], events: list[outbox.OutboxEvent]) -> None:
    """The entries and events in one INSERT each (Core, not the unit of work: this runs while
    the lock is held). Each entry gets its `seq`, which the checkpoint needs."""
    if entries:
        table = audit.AuditEntry.__table__  # type: ignore[attr-defined]
        rows = [_values(entry, AUDIT_COLUMNS) for entry in entries]
        seqs = session.execute(table.insert().returning(table.c.seq, sort_by_parameter_order=True), rows).scalars().all()
        for entry, seq in zip(entries, seqs, strict=True):
            entry.seq = seq
    if events:
        table = outbox.OutboxEvent.__table__  # type: ignore[attr-defined]
        session.execute(table.insert(), [_values(event, EVENT_COLUMNS) for event in events])


def _checkpoint(session: Session, heads: _Heads, head: audit.AuditEntry) -> None:
    """Sign the chain's head when the last checkpoint is a minute or 1,000 entries old (the
    first one once the log's first entry is that old), and put it on the outbox too."""
    # Keyed by the dialect: an engine with options shares it, and it outlives `dispose()`,
    # which replaces the pool (the app's shutdown disposes of its asyncio engine).
    config = _CHECKPOINTING.get(session.get_bind().dialect)
    if config is None or head.seq is None:
        return
    now = clock.now()
    if heads.checkpoint_seq is None:
        since, since_at = 0, heads.first_at or head.at  # an empty log: this commit's entries are its first
    else:
        since, since_at = heads.checkpoint_seq, heads.checkpoint_at
    assert since_at is not None
    if head.seq - since < config.entries and now - since_at < config.every:
        return
    point = audit.AuditCheckpoint(seq=head.seq, hash=head.hash, at=now, mac=audit.checkpoint_mac(config.key, head.seq, head.hash, now))
    session.add(point)
    data = {"seq": point.seq, "hash": point.hash, "at": point.at, "mac": point.mac}
    session.add(outbox.OutboxEvent(type="audit.checkpointed", occurred_at=now, subject_id=str(point.seq), data=to_json(data)))
    session.flush()


@event.listens_for(Session, "before_commit")
def _publish(session: Session) -> None:
    entries = session.info.pop(audit.PENDING, [])
    events = session.info.pop(outbox.PENDING, [])
    if not entries and not events:
        return
    if session.get_bind().dialect.name == "postgresql":
        heads = _publish_in_postgresql(session, entries, events)
    elif not entries:
        _insert(session, [], events)
        return
    else:
        # SQLite: a write transaction already holds the database's one write lock.
        heads = _read_heads(session)
        audit.chain(entries, heads.chain)
        _insert(session, entries, events)
    if entries:
        _checkpoint(session, heads, entries[-1])


# Migration 0008's function: the lock, the heads, the linked entries and the events in one
# round trip, so the lock is held for that and the COMMIT, not for the event loop's latency
# between statements.
_PUBLISH = text(
    "SELECT chain, checkpoint_seq, checkpoint_at, first_at, seqs, hashes FROM audit_publish("
    "CAST(:key AS bigint), CAST(:entries AS jsonb), CAST(:heads AS text[]), CAST(:tails AS text[]), CAST(:events AS jsonb))"
).columns(
    chain=String, checkpoint_seq=BigInteger, checkpoint_at=UTCDateTime, first_at=UTCDateTime,
    seqs=ARRAY(BigInteger), hashes=ARRAY(String),
)


def _json(items: list[Any], columns: tuple[str, ...]) -> str:
    return json.dumps([_values(item, columns) for item in items], default=_encode)


def _encode(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not a column value")


def _publish_in_postgresql(session: Session, entries: list[audit.AuditEntry], events: list[outbox.OutboxEvent]) -> _Heads:
    halves = [audit.hash_halves(entry) for entry in entries]
    row = session.execute(
        _PUBLISH,
        {
            "key": _PG_LOCK_KEY,
            "entries": _json(entries, AUDIT_COLUMNS),
            "heads": [head for head, _ in halves],
            "tails": [tail for _, tail in halves],
            "events": _json(events, EVENT_COLUMNS),
        },
    ).one()
    prev = row.chain or audit.GENESIS
    for entry, seq, hash_ in zip(entries, row.seqs, row.hashes, strict=True):
        entry.seq, entry.prev_hash, entry.hash = seq, prev, hash_
        prev = hash_
    return _Heads(row.chain, row.checkpoint_seq, row.checkpoint_at, row.first_at)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(audit.PENDING, None)
    session.info.pop(outbox.PENDING, None)

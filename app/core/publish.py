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
on PostgreSQL the locked part is pipelined: the lock and the heads read in one round trip,
both inserts in a second, then COMMIT (`_publish_pipelined`). SQLite uses SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from datetime import UTC, datetime, timedelta
from weakref import WeakKeyDictionary

import psycopg
from psycopg.types.json import Jsonb
from sqlalchemy import BigInteger, Engine, String, event, text
from sqlalchemy.util import await_only
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


def _insert(session: Session, entries: list[audit.AuditEntry], events: list[outbox.OutboxEvent]) -> None:
    """The entries and events in one INSERT each (Core, not the unit of work: this runs while
    the lock is held). Each entry gets its `seq`, which the checkpoint needs."""
    if entries:
        table = audit.AuditEntry.__table__  # type: ignore[attr-defined]
        columns = [c.key for c in table.columns if c.key != "seq"]
        rows = [{key: getattr(entry, key) for key in columns} for entry in entries]
        seqs = session.execute(table.insert().returning(table.c.seq, sort_by_parameter_order=True), rows).scalars().all()
        for entry, seq in zip(entries, seqs, strict=True):
            entry.seq = seq
    if events:
        table = outbox.OutboxEvent.__table__  # type: ignore[attr-defined]
        columns = [c.key for c in table.columns if c.key != "seq"]
        session.execute(table.insert(), [{key: getattr(event, key) for key in columns} for event in events])


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
        driver = session.connection().connection.driver_connection
        if isinstance(driver, psycopg.AsyncConnection):
            heads = await_only(_publish_pipelined(driver, entries, events))
            if entries:
                _checkpoint(session, heads, entries[-1])
            return
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    if not entries:
        _insert(session, [], events)
        return
    # The head is read after the lock is held, in a statement of its own: under READ
    # COMMITTED it then sees the previous holder's commit.
    heads = _read_heads(session)
    audit.chain(entries, heads.chain)
    _insert(session, entries, events)
    _checkpoint(session, heads, entries[-1])


def _columns(model: type[SQLModel]) -> tuple[str, ...]:
    """Every column but the identity `seq`, from the table itself, so a new column is not
    silently left out of the pipelined inserts."""
    return tuple(column.key for column in model.__table__.columns if column.key != "seq")  # type: ignore[attr-defined]


_AUDIT_COLUMNS = _columns(audit.AuditEntry)
_EVENT_COLUMNS = _columns(outbox.OutboxEvent)


def _insert_sql(table: str, columns: tuple[str, ...], returning: str = "") -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}){returning}"


def _row(item: object, columns: tuple[str, ...]) -> tuple[object, ...]:
    """Values as psycopg adapts them; the JSON documents (the only dicts) as `jsonb`."""
    return tuple(Jsonb(value) if isinstance(value, dict) else value for value in (getattr(item, c) for c in columns))


async def _publish_pipelined(
    connection: psycopg.AsyncConnection[Any], entries: list[audit.AuditEntry], events: list[outbox.OutboxEvent]
) -> _Heads:
    """PostgreSQL under greenlets: the lock and the heads in one round trip, and the inserts in
    one more. While the lock is held, each round trip lets the event loop run other requests
    first, so the number of round trips, not the work, sets how long writers queue."""
    async with connection.pipeline():
        async with connection.cursor() as lock, connection.cursor() as read:
            # Two statements, executed in order: the second takes its snapshot once the lock
            # is granted, so it sees the previous holder's commit.
            await lock.execute("SELECT pg_advisory_xact_lock(%s)", (_PG_LOCK_KEY,))
            await read.execute(_HEADS_SQL if entries else "SELECT NULL, NULL, NULL, NULL")
            row = await read.fetchone()
    assert row is not None
    heads = _Heads(row[0], row[1], _utc(row[2]), _utc(row[3]))
    if entries:
        audit.chain(entries, heads.chain)
    async with connection.pipeline():
        async with connection.cursor() as inserted, connection.cursor() as published:
            # Both inserts are queued before the first result is fetched: one round trip.
            if entries:
                await inserted.executemany(
                    _insert_sql("audit_log", _AUDIT_COLUMNS, " RETURNING seq"),
                    [_row(entry, _AUDIT_COLUMNS) for entry in entries],
                    returning=True,
                )
            if events:
                await published.executemany(
                    _insert_sql("outbox_event", _EVENT_COLUMNS), [_row(event, _EVENT_COLUMNS) for event in events]
                )
            if entries:
                seqs = []
                while True:
                    found = await inserted.fetchone()
                    if found is not None:
                        seqs.append(found[0])
                    if not inserted.nextset():
                        break
                for entry, seq in zip(entries, seqs, strict=True):
                    entry.seq = seq
    return heads


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(audit.PENDING, None)
    session.info.pop(outbox.PENDING, None)

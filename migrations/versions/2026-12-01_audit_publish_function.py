"""The audit chain's locked step as one PostgreSQL function (R-60, R-61): take the lock,
read the heads, link and insert the entries, insert the events, in one round trip.

A writer holds the chain's lock from here to its commit. Done from the application, every
statement under the lock was a round trip, and on a busy server each let the event loop
serve other requests first: the lock was held for the loop's latency, several times over.
In a function the locked part costs the database's own time and one round trip.

Volatile PL/pgSQL takes a new snapshot for each statement, so the heads are read after the
lock is granted and see the previous holder's commit (READ COMMITTED). Rows are inserted
one at a time, in the order given, so `seq` follows it. SQLite has no functions; its write
transactions are serial anyway, and it keeps the application's path (`core.publish`).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 20:40:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# `heads[i] || prev || tails[i]` is entry i's canonical JSON (app.core.audit.hash_halves);
# its SHA-256 is the entry's hash, exactly as `verify-audit` recomputes it.
FUNCTION = """
CREATE OR REPLACE FUNCTION audit_publish(
    lock_key bigint, entries jsonb, heads text[], tails text[], events jsonb,
    OUT chain text, OUT checkpoint_seq bigint, OUT checkpoint_at timestamptz, OUT first_at timestamptz,
    OUT seqs bigint[], OUT hashes text[]
) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    entry audit_log;
    happened outbox_event;
    prev text;
    assigned bigint;
    i integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    seqs := '{}';
    hashes := '{}';
    IF jsonb_array_length(entries) > 0 THEN
        SELECT (SELECT a.hash FROM audit_log a ORDER BY a.seq DESC LIMIT 1),
               (SELECT c.seq FROM audit_checkpoint c ORDER BY c.seq DESC LIMIT 1),
               (SELECT c.at FROM audit_checkpoint c ORDER BY c.seq DESC LIMIT 1),
               (SELECT a.at FROM audit_log a ORDER BY a.seq LIMIT 1)
          INTO chain, checkpoint_seq, checkpoint_at, first_at;
        prev := coalesce(chain, repeat('0', 64));
        FOR entry IN SELECT (jsonb_populate_record(NULL::audit_log, e.value)).*
                       FROM jsonb_array_elements(entries) WITH ORDINALITY AS e ORDER BY e.ordinality LOOP
            i := i + 1;
            entry.prev_hash := prev;
            entry.hash := encode(sha256(convert_to(heads[i] || prev || tails[i], 'UTF8')), 'hex');
            INSERT INTO audit_log (at, subject, role, act_for, action, entity_type, entity_id,
                                   before, after, request_id, prev_hash, hash)
                 VALUES (entry.at, entry.subject, entry.role, entry.act_for, entry.action, entry.entity_type,
                         entry.entity_id, entry.before, entry.after, entry.request_id, entry.prev_hash, entry.hash)
              RETURNING audit_log.seq INTO assigned;
            seqs := seqs || assigned;
            hashes := hashes || entry.hash;
            prev := entry.hash;
        END LOOP;
    END IF;
    FOR happened IN SELECT (jsonb_populate_record(NULL::outbox_event, e.value)).*
                      FROM jsonb_array_elements(events) WITH ORDINALITY AS e ORDER BY e.ordinality LOOP
        INSERT INTO outbox_event (id, type, occurred_at, subject_id, data, child_id, published_at)
             VALUES (happened.id, happened.type, happened.occurred_at, happened.subject_id, happened.data,
                     happened.child_id, happened.published_at);
    END LOOP;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_publish(bigint, jsonb, text[], text[], jsonb)")

"""Webhooks and the worker (R-84, R-85): subscriptions with their secrets sealed, one
delivery per subscription and event with its attempts, and the record of which scheduled
job ran for which period. The outbox gains `source`, for an event about several children
of one source (a social worker's daily digest), and `audit_publish` inserts it; a review's
due date gains `due_announced`.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 22:57:19.385256
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import app.core.types
from sqlalchemy.dialects import postgresql

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Migration 0008's function with the outbox's new column (a column the function leaves out
# would be silently dropped: tests/events/test_audit_outbox.py checks every column).
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
        INSERT INTO outbox_event (id, type, occurred_at, subject_id, data, child_id, source, published_at)
             VALUES (happened.id, happened.type, happened.occurred_at, happened.subject_id, happened.data,
                     happened.child_id, happened.source, happened.published_at);
    END LOOP;
END
$$
"""

# What downgrade puts back: 0008's function, without the column.
PREVIOUS_FUNCTION = FUNCTION.replace(", child_id, source, published_at)", ", child_id, published_at)").replace(
    "happened.child_id, happened.source, happened.published_at", "happened.child_id, happened.published_at"
)


def upgrade() -> None:
    op.create_table('job_run',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('started_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('worker', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('result', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', 'period', name=op.f('pk_job_run'))
    )
    op.create_table('webhook_subscription',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('owner_sub', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('event_types', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.Enum('active', 'disabled', name='subscriptionstatus', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('secret_sealed', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('previous_secret_sealed', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('previous_secret_expires_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('cursor', sa.BigInteger(), nullable=False),
    sa.Column('leased_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('lease_until', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('failing_since', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('disabled_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('disabled_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_subscription'))
    )
    with op.batch_alter_table('webhook_subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_subscription_source'), ['source'], unique=False)

    op.create_table('webhook_delivery',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('subscription_id', sa.Uuid(), nullable=False),
    sa.Column('event_seq', sa.BigInteger(), nullable=False),
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('event_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('status', sa.Enum('pending', 'succeeded', 'failed', name='deliverystatus', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_attempt_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_status_code', sa.Integer(), nullable=True),
    sa.Column('delivered_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['subscription_id'], ['webhook_subscription.id'], name=op.f('fk_webhook_delivery_subscription_id_webhook_subscription'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_delivery')),
    sa.UniqueConstraint('subscription_id', 'event_seq', name=op.f('uq_webhook_delivery_subscription_id_event_seq'))
    )
    with op.batch_alter_table('webhook_delivery', schema=None) as batch_op:
        batch_op.create_index('ix_webhook_delivery_due', ['subscription_id', 'status', 'next_attempt_at'], unique=False)

    op.create_table('webhook_attempt',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('delivery_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('worker', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['webhook_delivery.id'], name=op.f('fk_webhook_attempt_delivery_id_webhook_delivery'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_attempt'))
    )
    with op.batch_alter_table('webhook_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_attempt_delivery_id'), ['delivery_id'], unique=False)

    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FUNCTION)

    with op.batch_alter_table('review_due', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_announced', sa.Boolean(), nullable=False, server_default=sa.false()))



def downgrade() -> None:
    with op.batch_alter_table('review_due', schema=None) as batch_op:
        batch_op.drop_column('due_announced')

    if op.get_bind().dialect.name == "postgresql":
        op.execute(PREVIOUS_FUNCTION)
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.drop_column('source')

    with op.batch_alter_table('webhook_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_attempt_delivery_id'))

    op.drop_table('webhook_attempt')
    with op.batch_alter_table('webhook_delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_delivery_due')

    op.drop_table('webhook_delivery')
    with op.batch_alter_table('webhook_subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_subscription_source'))

    op.drop_table('webhook_subscription')
    op.drop_table('job_run')

"""Referrals, the people they name, and the arrangements accepted ones open.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 22:15:50.971905
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from sqlalchemy.dialects import postgresql
from alembic import op

import app.core.types

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('referral',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('social_worker_sub', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('team', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('status', sa.Enum('draft', 'approved', 'submitted', 'decided', 'withdrawn', name='referralstatus', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('purposes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('purpose_detail', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('level', sa.Enum('supervised', 'supported', 'assessment', name='level', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('frequency_times', sa.Integer(), nullable=False),
    sa.Column('frequency_per', sa.Enum('week', 'fortnight', 'month', name='frequencyper', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('risk_assessment', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('transport_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('transport_evidence', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('alternative_venue', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('alternative_venue_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('court_arena', sa.Boolean(), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('urgent_called_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('urgent_caller', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('approved_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('approved_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('received_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_due_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('triage_due_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('next_due_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('triaged_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('triaged_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('triage_note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('triage_missed', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.Enum('accepted_core', 'accepted_exceptional', 'declined', 'declined_capacity', name='outcome', native_enum=False, create_constraint=True, length=40), nullable=True),
    sa.Column('decided_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('decision_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('decision_rationale', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('review_by', sa.Date(), nullable=True),
    sa.Column('room_only', sa.Boolean(), nullable=False),
    sa.Column('alternative_route', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
    sa.Column('notified_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_missed', sa.Boolean(), nullable=False),
    sa.Column('withdrawn_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('withdrawn_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_referral_child_id_child')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_child_id'), ['child_id'], unique=False)
        batch_op.create_index('ix_referral_queue', ['status', 'priority', 'next_due_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_social_worker_sub'), ['social_worker_sub'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_team'), ['team'], unique=False)

    op.create_table('arrangement',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('status', sa.Enum('active', 'suspended', 'closed', name='arrangementstatus', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('basis', sa.Enum('accepted_core', 'accepted_exceptional', 'declined', 'declined_capacity', name='outcome', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('level', sa.Enum('supervised', 'supported', 'assessment', name='level', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('room_only', sa.Boolean(), nullable=False),
    sa.Column('court_arena', sa.Boolean(), nullable=False),
    sa.Column('review_by', sa.Date(), nullable=True),
    sa.Column('breach_count', sa.Integer(), nullable=False),
    sa.Column('opened_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_arrangement_child_id_child')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_arrangement_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_arrangement')),
    sa.UniqueConstraint('referral_id', name=op.f('uq_arrangement_referral_id'))
    )
    with op.batch_alter_table('arrangement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_arrangement_child_id'), ['child_id'], unique=False)

    op.create_table('referral_person',
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_referral_person_person_id_person')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_referral_person_referral_id_referral')),
    sa.PrimaryKeyConstraint('referral_id', 'person_id', name=op.f('pk_referral_person'))
    )


def downgrade() -> None:
    op.drop_table('referral_person')
    with op.batch_alter_table('arrangement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_arrangement_child_id'))

    op.drop_table('arrangement')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_team'))
        batch_op.drop_index(batch_op.f('ix_referral_social_worker_sub'))
        batch_op.drop_index('ix_referral_queue')
        batch_op.drop_index(batch_op.f('ix_referral_child_id'))

    op.drop_table('referral')

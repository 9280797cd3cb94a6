"""Timetable feed tokens, transport requests, drivers and expenses; audit and outbox ids
wide enough for any staff subject.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 23:14:04.508015
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from sqlalchemy.dialects import postgresql
from alembic import op

import app.core.types

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('driver',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
    sa.Column('dbs_checked_on', sa.Date(), nullable=False),
    sa.Column('dbs_expires_on', sa.Date(), nullable=False),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_driver'))
    )
    op.create_table('feed_token',
    sa.Column('sub', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['sub'], ['staff.sub'], name=op.f('fk_feed_token_sub_staff')),
    sa.PrimaryKeyConstraint('sub', name=op.f('pk_feed_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_feed_token_token_hash'))
    )
    op.create_table('expense',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('arrangement_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('travel', 'activity', name='expensekind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('amount_pence', sa.Integer(), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('incurred_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'approved', 'rejected', name='expensestatus', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('decided_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['arrangement_id'], ['arrangement.id'], name=op.f('fk_expense_arrangement_id_arrangement')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_expense_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expense'))
    )
    with op.batch_alter_table('expense', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expense_arrangement_id'), ['arrangement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_incurred_on'), ['incurred_on'], unique=False)

    op.create_table('transport_request',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('arrangement_id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=True),
    sa.Column('legs', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('pickup_address', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('evidence', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('provider', sa.Enum('volunteer', 'ifa_agency', name='provider', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('status', sa.Enum('requested', 'approved', 'declined', 'driver_assigned', 'completed', 'cancelled', name='transportstatus', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('decline_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('decided_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('driver_id', sa.Uuid(), nullable=True),
    sa.Column('driver_assigned_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('driver_change_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('cancelled_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['arrangement_id'], ['arrangement.id'], name=op.f('fk_transport_request_arrangement_id_arrangement')),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_transport_request_child_id_child')),
    sa.ForeignKeyConstraint(['driver_id'], ['driver.id'], name=op.f('fk_transport_request_driver_id_driver')),
    sa.ForeignKeyConstraint(['session_id'], ['contact_session.id'], name=op.f('fk_transport_request_session_id_contact_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transport_request'))
    )
    with op.batch_alter_table('transport_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transport_request_arrangement_id'), ['arrangement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transport_request_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transport_request_driver_id'), ['driver_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transport_request_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transport_request_status'), ['status'], unique=False)

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.alter_column('entity_id',
               existing_type=sa.VARCHAR(length=100),
               type_=sqlmodel.sql.sqltypes.AutoString(length=255),
               existing_nullable=False)

    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.alter_column('subject_id',
               existing_type=sa.VARCHAR(length=100),
               type_=sqlmodel.sql.sqltypes.AutoString(length=255),
               existing_nullable=False)



def downgrade() -> None:
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.alter_column('subject_id',
               existing_type=sqlmodel.sql.sqltypes.AutoString(length=255),
               type_=sa.VARCHAR(length=100),
               existing_nullable=False)

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.alter_column('entity_id',
               existing_type=sqlmodel.sql.sqltypes.AutoString(length=255),
               type_=sa.VARCHAR(length=100),
               existing_nullable=False)

    with op.batch_alter_table('transport_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transport_request_status'))
        batch_op.drop_index(batch_op.f('ix_transport_request_session_id'))
        batch_op.drop_index(batch_op.f('ix_transport_request_driver_id'))
        batch_op.drop_index(batch_op.f('ix_transport_request_child_id'))
        batch_op.drop_index(batch_op.f('ix_transport_request_arrangement_id'))

    op.drop_table('transport_request')
    with op.batch_alter_table('expense', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expense_incurred_on'))
        batch_op.drop_index(batch_op.f('ix_expense_arrangement_id'))

    op.drop_table('expense')
    op.drop_table('feed_token')
    op.drop_table('driver')

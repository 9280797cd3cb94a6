"""Session records, their versions, and idempotency keys for offline-safe writes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 23:34:48.477838
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from sqlalchemy.dialects import postgresql
from alembic import op

import app.core.types

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('idempotency_key',
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('request_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('etag', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'key', name=op.f('pk_idempotency_key'))
    )
    with op.batch_alter_table('idempotency_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_key_created_at'), ['created_at'], unique=False)

    op.create_table('session_record',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('csw_sub', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', name='recordstatus', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('due_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['contact_session.id'], name=op.f('fk_session_record_session_id_contact_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_record')),
    sa.UniqueConstraint('session_id', name=op.f('uq_session_record_session_id'))
    )
    with op.batch_alter_table('session_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_record_status'), ['status'], unique=False)

    op.create_table('record_version',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('author_sub', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('author_role', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['record_id'], ['session_record.id'], name=op.f('fk_record_version_record_id_session_record')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_version')),
    sa.UniqueConstraint('record_id', 'number', name=op.f('uq_record_version_record_id_number'))
    )
    with op.batch_alter_table('record_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_version_record_id'), ['record_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('record_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_version_record_id'))

    op.drop_table('record_version')
    with op.batch_alter_table('session_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_record_status'))

    op.drop_table('session_record')
    with op.batch_alter_table('idempotency_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_key_created_at'))

    op.drop_table('idempotency_key')

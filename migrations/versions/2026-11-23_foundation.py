"""Foundation: children, people, the audit log and the outbox.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 22:03:06.044007
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from sqlalchemy.dialects import postgresql
from alembic import op

import app.core.types

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), nullable=False),
    sa.Column('at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('act_for', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('entity_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('before', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('after', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('request_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_log')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_log_hash'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_entity', ['entity_type', 'entity_id'], unique=False)

    op.create_table('child',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('first_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('last_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('legal_status', sa.Enum('s20_accommodated', 'interim_care_order', 'care_order', 'placement_order', 'other', name='legalstatus', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('court_arena', sa.Boolean(), nullable=False),
    sa.Column('placement_type', sa.Enum('foster', 'ifa', 'residential', 'kinship', 'other', name='placementtype', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('placement_address', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('address_withheld', sa.Boolean(), nullable=False),
    sa.Column('address_withheld_authorised_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('address_withheld_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('address_withheld_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('social_worker_sub', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('team', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('iro_sub', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child')),
    sa.UniqueConstraint('source', 'external_id', name=op.f('uq_child_source_external_id'))
    )
    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_iro_sub'), ['iro_sub'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_social_worker_sub'), ['social_worker_sub'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_team'), ['team'], unique=False)

    op.create_table('outbox_event',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('occurred_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('subject_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('published_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outbox_event')),
    sa.UniqueConstraint('id', name=op.f('uq_outbox_event_id'))
    )
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_event_subject_id'), ['subject_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_event_type'), ['type'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('first_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('last_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('relationship', sa.Enum('mum', 'dad', 'sibling', 'grandparent', 'former_carer', 'other', name='relationship', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('relationship_detail', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('risk_flags', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_person_child_id_child')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('child_id', 'external_id', name=op.f('uq_person_child_id_external_id'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_child_id'), ['child_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_child_id'))

    op.drop_table('person')
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_event_type'))
        batch_op.drop_index(batch_op.f('ix_outbox_event_subject_id'))

    op.drop_table('outbox_event')
    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_child_team'))
        batch_op.drop_index(batch_op.f('ix_child_social_worker_sub'))
        batch_op.drop_index(batch_op.f('ix_child_iro_sub'))

    op.drop_table('child')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_entity')

    op.drop_table('audit_log')

"""Disputes and the steps they climb up the ladder of 004 s15 (R-56, R-56a).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 21:31:21.745618
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import app.core.types
from sqlalchemy.dialects import postgresql

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('dispute',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('arrangement_id', sa.Uuid(), nullable=False),
    sa.Column('concern', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('raised_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('raised_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('step', sa.Enum('team_leader', 'review_form', 'management_team', 'meeting', 'csm_meeting', 'group_manager', 'resolved', name='disputestep', native_enum=False, create_constraint=True, length=40), nullable=True),
    sa.Column('resolution', sa.Enum('agreed', 'exit_strategy', 'exceptionality', name='resolution', native_enum=False, create_constraint=True, length=40), nullable=True),
    sa.Column('resolved_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['arrangement_id'], ['arrangement.id'], name=op.f('fk_dispute_arrangement_id_arrangement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispute'))
    )
    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispute_arrangement_id'), ['arrangement_id'], unique=False)

    op.create_table('dispute_step',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('dispute_id', sa.Uuid(), nullable=False),
    sa.Column('step', sa.Enum('team_leader', 'review_form', 'management_team', 'meeting', 'csm_meeting', 'group_manager', 'resolved', name='disputestep', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('who', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('resolution', sa.Enum('agreed', 'exit_strategy', 'exceptionality', name='resolution', native_enum=False, create_constraint=True, length=40), nullable=True),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('recorded_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dispute_id'], ['dispute.id'], name=op.f('fk_dispute_step_dispute_id_dispute')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispute_step'))
    )
    with op.batch_alter_table('dispute_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispute_step_dispute_id'), ['dispute_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('dispute_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispute_step_dispute_id'))

    op.drop_table('dispute_step')
    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispute_arrangement_id'))

    op.drop_table('dispute')

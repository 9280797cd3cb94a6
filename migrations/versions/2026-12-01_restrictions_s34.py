"""Restrictions of contact with their notices, and the arrangement's s34 flag and
application (R-53 to R-54a).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 21:06:40.945451
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import app.core.types
from sqlalchemy.dialects import postgresql

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('restriction',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('arrangement_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('suspend', 'restrict', 'terminate', name='restrictionkind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('changes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('emergency', sa.Boolean(), nullable=False),
    sa.Column('authorised_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('authorised_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('placing_authority_notify_by', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('placing_authority_notified_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('notices', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['arrangement_id'], ['arrangement.id'], name=op.f('fk_restriction_arrangement_id_arrangement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_restriction'))
    )
    with op.batch_alter_table('restriction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_restriction_arrangement_id'), ['arrangement_id'], unique=False)

    with op.batch_alter_table('arrangement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('s34_application_needed', sa.Boolean(), nullable=False, server_default=sa.false()))  # existing rows: not flagged
        batch_op.add_column(sa.Column('s34_flagged_at', app.core.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('s34_applied_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('s34_court_reference', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('arrangement', schema=None) as batch_op:
        batch_op.drop_column('s34_court_reference')
        batch_op.drop_column('s34_applied_on')
        batch_op.drop_column('s34_flagged_at')
        batch_op.drop_column('s34_application_needed')

    with op.batch_alter_table('restriction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_restriction_arrangement_id'))

    op.drop_table('restriction')

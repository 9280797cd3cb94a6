"""Signed checkpoints of the audit chain's head (R-61): a truncated or rewritten tail no
longer verifies.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 16:06:03.455226
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import app.core.types


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_checkpoint',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('mac', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_checkpoint'))
    )


def downgrade() -> None:
    op.drop_table('audit_checkpoint')

"""An index in an arrangement's sessions list order (R-83): `arrangement_id, starts_at, id`,
so deep pages of `GET /arrangements/{id}/sessions` and `.../records` read only their rows.
It leads with `arrangement_id`, so it replaces that column's own index.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 09:43:44.295553
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('contact_session', schema=None) as batch_op:
        batch_op.create_index('ix_contact_session_arrangement_time', ['arrangement_id', 'starts_at', 'id'], unique=False)
        batch_op.drop_index('ix_contact_session_arrangement_id')


def downgrade() -> None:
    with op.batch_alter_table('contact_session', schema=None) as batch_op:
        batch_op.create_index('ix_contact_session_arrangement_id', ['arrangement_id'], unique=False)
        batch_op.drop_index('ix_contact_session_arrangement_time')

"""An index in the sessions export's order (R-86): `starts_at, id`. Without it PostgreSQL
sorted every session (on disk, at a million rows) before sending the first one.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 00:39:27.584910
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('contact_session', schema=None) as batch_op:
        batch_op.create_index('ix_contact_session_starts_at_id', ['starts_at', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('contact_session', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_session_starts_at_id')


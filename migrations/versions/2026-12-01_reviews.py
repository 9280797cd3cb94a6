"""Reviews (R-55, R-55a): each review held, and the next one due of each kind per
arrangement. Open arrangements get their first contact service review due 3 months after
they opened, and the supervised ones their first supervised review 6 weeks after.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 21:17:54.603111
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import app.core.types
from sqlalchemy.dialects import postgresql

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('review',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('arrangement_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('contact_service', 'supervised', 'lac', 'breach_meeting', name='reviewkind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('attended', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('lac_number', sa.Integer(), nullable=True),
    sa.Column('next_due_on', sa.Date(), nullable=True),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('recorded_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['arrangement_id'], ['arrangement.id'], name=op.f('fk_review_arrangement_id_arrangement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review'))
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_arrangement_id'), ['arrangement_id'], unique=False)

    op.create_table('review_due',
    sa.Column('arrangement_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('contact_service', 'supervised', 'lac', 'breach_meeting', name='reviewkind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('overdue_announced', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['arrangement_id'], ['arrangement.id'], name=op.f('fk_review_due_arrangement_id_arrangement')),
    sa.PrimaryKeyConstraint('arrangement_id', 'kind', name=op.f('pk_review_due'))
    )
    with op.batch_alter_table('review_due', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_due_due_on'), ['due_on'], unique=False)



    _first_reviews_due()


def _first_reviews_due() -> None:
    """Arrangements opened before this migration: their first reviews, from their opening day
    (as UTC: the exact local day matters less than having a date at all)."""
    from datetime import date, datetime

    from dateutil.relativedelta import relativedelta

    bind = op.get_bind()
    arrangements = sa.table(
        "arrangement", sa.column("id", sa.Uuid()), sa.column("level", sa.String()), sa.column("status", sa.String()),
        sa.column("opened_at", sa.DateTime(timezone=True)),
    )
    due = sa.table("review_due", sa.column("arrangement_id", sa.Uuid()), sa.column("kind", sa.String()),
                   sa.column("due_on", sa.Date()), sa.column("overdue_announced", sa.Boolean()))
    rows = []
    for arrangement_id, level, opened_at in bind.execute(
        sa.select(arrangements.c.id, arrangements.c.level, arrangements.c.opened_at).where(arrangements.c.status != "closed")
    ):
        opened = opened_at.date() if isinstance(opened_at, datetime) else date.fromisoformat(str(opened_at)[:10])
        rows.append({"arrangement_id": arrangement_id, "kind": "contact_service", "due_on": opened + relativedelta(months=3), "overdue_announced": False})
        if level == "supervised":
            rows.append({"arrangement_id": arrangement_id, "kind": "supervised", "due_on": opened + relativedelta(weeks=6), "overdue_announced": False})
    if rows:
        bind.execute(due.insert(), rows)


def downgrade() -> None:
    with op.batch_alter_table('review_due', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_due_due_on'))

    op.drop_table('review_due')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_arrangement_id'))

    op.drop_table('review')

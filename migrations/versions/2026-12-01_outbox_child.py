"""The child each outbox event is about, so the change feed and webhooks show an
integration client only its own source's children's events (R-80). Existing events are
filled in from the ids their data carries.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 14:40:00
"""
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
# Where an event's data names no child, the row it names does.
PARENTS = (("referral_id", "referral"), ("arrangement_id", "arrangement"), ("session_id", "contact_session"))


def _backfill() -> None:
    bind = op.get_bind()
    events = sa.table(
        "outbox_event",
        sa.column("seq", sa.BigInteger()),
        sa.column("data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
        sa.column("child_id", sa.Uuid()),
    )
    parents = {key: sa.table(name, sa.column("id", sa.Uuid()), sa.column("child_id", sa.Uuid())) for key, name in PARENTS}
    last = 0
    while True:
        rows = bind.execute(
            sa.select(events.c.seq, events.c.data).where(events.c.seq > last).order_by(events.c.seq).limit(BATCH)
        ).fetchall()
        if not rows:
            return
        for seq, data in rows:
            data = data or {}
            child = data.get("child_id")
            for key, table in parents.items():
                if child is None and data.get(key):
                    child = bind.execute(sa.select(table.c.child_id).where(table.c.id == uuid.UUID(str(data[key])))).scalar()
            if child is not None:
                bind.execute(events.update().where(events.c.seq == seq).values(child_id=uuid.UUID(str(child))))
        last = rows[-1][0]


def upgrade() -> None:
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('child_id', sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_event_child_id'), ['child_id'], unique=False)
    _backfill()


def downgrade() -> None:
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_event_child_id'))
        batch_op.drop_column('child_id')

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
    """A batch at a time: read the events, look their parents up with one query per table,
    write the children back in one executemany."""
    bind = op.get_bind()
    events = sa.table(
        "outbox_event",
        sa.column("seq", sa.BigInteger()),
        sa.column("data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
        sa.column("child_id", sa.Uuid()),
    )
    parents = {key: sa.table(name, sa.column("id", sa.Uuid()), sa.column("child_id", sa.Uuid())) for key, name in PARENTS}
    update = events.update().where(events.c.seq == sa.bindparam("event_seq")).values(child_id=sa.bindparam("child"))
    last = 0
    while True:
        rows = bind.execute(
            sa.select(events.c.seq, events.c.data).where(events.c.seq > last).order_by(events.c.seq).limit(BATCH)
        ).fetchall()
        if not rows:
            return
        found = {seq: (data or {}).get("child_id") for seq, data in rows}
        for key, table in parents.items():
            wanted = {seq: uuid.UUID(str(data[key])) for seq, data in rows if found[seq] is None and (data or {}).get(key)}
            if wanted:
                owners = dict(bind.execute(sa.select(table.c.id, table.c.child_id).where(table.c.id.in_(set(wanted.values())))).all())
                found.update({seq: owners.get(parent) for seq, parent in wanted.items()})
        changes = [{"event_seq": seq, "child": uuid.UUID(str(child))} for seq, child in found.items() if child is not None]
        if changes:
            bind.execute(update, changes)
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

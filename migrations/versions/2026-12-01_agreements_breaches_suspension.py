"""Written agreements with versions and signatures, breaches, and what a suspension needs:
the arrangement's suspension, resumption and closure, and transport held with its session
(R-50 to R-52a).

A session on hold frees its slot (R-52a: resuming books it again where still free), so
PostgreSQL's exclusion constraints now leave held sessions out as they do cancelled ones;
and a transport request can be `on_hold`, remembering in `held_from` where it was.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 20:48:35.795705
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import app.core.types
from sqlalchemy.dialects import postgresql

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('agreement',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('arrangement_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('expectations', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('breach_consequences', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('parties', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('written_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('written_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['arrangement_id'], ['arrangement.id'], name=op.f('fk_agreement_arrangement_id_arrangement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement')),
    sa.UniqueConstraint('arrangement_id', 'version', name=op.f('uq_agreement_arrangement_id_version'))
    )
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_arrangement_id'), ['arrangement_id'], unique=False)

    op.create_table('agreement_signature',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('agreement_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('signed_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('method', sa.Enum('in_person', 'remote', 'meeting', name='signingmethod', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('recorded_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_signature_agreement_id_agreement')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_agreement_signature_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_signature')),
    sa.UniqueConstraint('agreement_id', 'person_id', name=op.f('uq_agreement_signature_agreement_id_person_id'))
    )
    with op.batch_alter_table('agreement_signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_signature_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('breach',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('arrangement_id', sa.Uuid(), nullable=False),
    sa.Column('agreement_id', sa.Uuid(), nullable=True),
    sa.Column('session_id', sa.Uuid(), nullable=True),
    sa.Column('person_id', sa.Uuid(), nullable=True),
    sa.Column('severity', sa.Enum('ordinary', 'serious', name='severity', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('occurred_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('recorded_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('suspended', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_breach_agreement_id_agreement')),
    sa.ForeignKeyConstraint(['arrangement_id'], ['arrangement.id'], name=op.f('fk_breach_arrangement_id_arrangement')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_breach_person_id_person')),
    sa.ForeignKeyConstraint(['session_id'], ['contact_session.id'], name=op.f('fk_breach_session_id_contact_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_breach'))
    )
    with op.batch_alter_table('breach', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_breach_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_breach_arrangement_id'), ['arrangement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_breach_session_id'), ['session_id'], unique=False)

    with op.batch_alter_table('arrangement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended_at', app.core.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('review_meeting_due_by', app.core.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('resumed_at', app.core.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('close_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True))
        batch_op.add_column(sa.Column('exit_plan', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True))

    with op.batch_alter_table('transport_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_from', sa.Enum('requested', 'approved', 'declined', 'driver_assigned', 'completed', 'cancelled', 'on_hold', name='transport_held_from', native_enum=False, create_constraint=True, length=40), nullable=True))

    _transport_statuses(TRANSPORT_STATUSES + ("on_hold",))
    _exclusions("status NOT IN ('cancelled', 'on_hold')")


def downgrade() -> None:
    _exclusions("status <> 'cancelled'")
    _transport_statuses(TRANSPORT_STATUSES)
    with op.batch_alter_table('transport_request', schema=None) as batch_op:
        batch_op.drop_column('held_from')

    with op.batch_alter_table('arrangement', schema=None) as batch_op:
        batch_op.drop_column('exit_plan')
        batch_op.drop_column('close_reason')
        batch_op.drop_column('resumed_at')
        batch_op.drop_column('review_meeting_due_by')
        batch_op.drop_column('suspended_at')

    with op.batch_alter_table('breach', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_breach_session_id'))
        batch_op.drop_index(batch_op.f('ix_breach_arrangement_id'))
        batch_op.drop_index(batch_op.f('ix_breach_agreement_id'))

    op.drop_table('breach')
    with op.batch_alter_table('agreement_signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_signature_agreement_id'))

    op.drop_table('agreement_signature')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_arrangement_id'))

    op.drop_table('agreement')


TRANSPORT_STATUSES = ("requested", "approved", "declined", "driver_assigned", "completed", "cancelled")


def _transport_statuses(statuses: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{s}'" for s in statuses)
    with op.batch_alter_table('transport_request', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_transport_request_transportstatus'), type_='check')
        batch_op.create_check_constraint(op.f('ck_transport_request_transportstatus'), f"status IN ({listed})")


def _exclusions(live: str) -> None:
    """R-22's exclusion constraints (migration 0003) over the sessions that hold their slot."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in ("room_id", "csw_sub", "child_id"):
        op.execute(f"ALTER TABLE contact_session DROP CONSTRAINT ex_contact_session_{column}")
        op.execute(
            f"ALTER TABLE contact_session ADD CONSTRAINT ex_contact_session_{column} "
            f"EXCLUDE USING gist ({column} WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE ({live})"
        )

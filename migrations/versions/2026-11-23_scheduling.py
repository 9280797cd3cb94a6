"""Venues, rooms, staff, sessions, attendees and visits; no double booking on PostgreSQL.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 22:49:39.149106
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from sqlalchemy.dialects import postgresql
from alembic import op

import app.core.types

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('staff',
    sa.Column('sub', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('role', sa.Enum('contact_support_worker', 'team_leader', name='staffrole', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('working_hours', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('daily_cap', sa.Integer(), nullable=False),
    sa.Column('updated_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sub', name=op.f('pk_staff'))
    )
    op.create_table('venue',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('opening_hours', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_venue'))
    )
    with op.batch_alter_table('venue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_venue_area'), ['area'], unique=False)

    op.create_table('room',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('venue_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('min_age', sa.Integer(), nullable=False),
    sa.Column('max_age', sa.Integer(), nullable=False),
    sa.Column('accessible', sa.Boolean(), nullable=False),
    sa.Column('outdoor_space', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['venue_id'], ['venue.id'], name=op.f('fk_room_venue_id_venue')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room'))
    )
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_venue_id'), ['venue_id'], unique=False)

    op.create_table('contact_session',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('arrangement_id', sa.Uuid(), nullable=False),
    sa.Column('child_id', sa.Uuid(), nullable=False),
    sa.Column('room_id', sa.Uuid(), nullable=True),
    sa.Column('venue_id', sa.Uuid(), nullable=True),
    sa.Column('location', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('csw_sub', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('starts_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('booked', 'on_hold', 'cancelled', 'completed', name='sessionstatus', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('series_id', sa.Uuid(), nullable=True),
    sa.Column('overrides', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('retrospective', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('updated_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('cancelled_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by', sa.Enum('parent', 'carer', 'child', 'social_worker', 'service', 'other', name='cancelledby', native_enum=False, create_constraint=True, length=40), nullable=True),
    sa.Column('cancelled_by_person_id', sa.Uuid(), nullable=True),
    sa.Column('cancelled_by_sub', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('cancel_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('late_cancellation', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['arrangement_id'], ['arrangement.id'], name=op.f('fk_contact_session_arrangement_id_arrangement')),
    sa.ForeignKeyConstraint(['cancelled_by_person_id'], ['person.id'], name=op.f('fk_contact_session_cancelled_by_person_id_person')),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_contact_session_child_id_child')),
    sa.ForeignKeyConstraint(['csw_sub'], ['staff.sub'], name=op.f('fk_contact_session_csw_sub_staff')),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_contact_session_room_id_room')),
    sa.ForeignKeyConstraint(['venue_id'], ['venue.id'], name=op.f('fk_contact_session_venue_id_venue')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_session'))
    )
    with op.batch_alter_table('contact_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_session_arrangement_id'), ['arrangement_id'], unique=False)
        batch_op.create_index('ix_contact_session_child_time', ['child_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_contact_session_csw_time', ['csw_sub', 'starts_at'], unique=False)
        batch_op.create_index('ix_contact_session_room_time', ['room_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_session_series_id'), ['series_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_session_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_session_venue_id'), ['venue_id'], unique=False)

    op.create_table('session_attendee',
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('arrive_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('leave_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_session_attendee_person_id_person')),
    sa.ForeignKeyConstraint(['session_id'], ['contact_session.id'], name=op.f('fk_session_attendee_session_id_contact_session')),
    sa.PrimaryKeyConstraint('session_id', 'person_id', name=op.f('pk_session_attendee'))
    )
    op.create_table('visit',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=True),
    sa.Column('visitor_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('signed_in_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('signed_out_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('identity_checked', sa.Boolean(), nullable=False),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_visit_person_id_person')),
    sa.ForeignKeyConstraint(['session_id'], ['contact_session.id'], name=op.f('fk_visit_session_id_contact_session')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit'))
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_session_id'), ['session_id'], unique=False)


    if op.get_bind().dialect.name == "postgresql":
        # the database itself refuses overlapping live sessions in one room, for one
        # CSW or for one child. Cancelled sessions free their slot. (Kept out of the models:
        # SQLite has no exclusion constraints and its write path is serialised instead.)
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        for column in ("room_id", "csw_sub", "child_id"):
            op.execute(
                f"ALTER TABLE contact_session ADD CONSTRAINT ex_contact_session_{column} "
                f"EXCLUDE USING gist ({column} WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
                "WHERE (status <> 'cancelled')"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for column in ("room_id", "csw_sub", "child_id"):
            op.execute(f"ALTER TABLE contact_session DROP CONSTRAINT IF EXISTS ex_contact_session_{column}")
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_session_id'))

    op.drop_table('visit')
    op.drop_table('session_attendee')
    with op.batch_alter_table('contact_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_session_venue_id'))
        batch_op.drop_index(batch_op.f('ix_contact_session_status'))
        batch_op.drop_index(batch_op.f('ix_contact_session_series_id'))
        batch_op.drop_index('ix_contact_session_room_time')
        batch_op.drop_index('ix_contact_session_csw_time')
        batch_op.drop_index('ix_contact_session_child_time')
        batch_op.drop_index(batch_op.f('ix_contact_session_arrangement_id'))

    op.drop_table('contact_session')
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_venue_id'))

    op.drop_table('room')
    with op.batch_alter_table('venue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_venue_area'))

    op.drop_table('venue')
    op.drop_table('staff')

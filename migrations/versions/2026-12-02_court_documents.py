"""Court documents (R-87): the register of produced PDFs (`produced_document`: the hash of
each one's content and of its bytes, for `POST /documents/verify`), staff job titles for the
documents to print, and record versions renumbered into the record's own sequence: a
version's number is the record's version when it was made, the number in its ETag.

Renumbering: a record's versions were 1..k and its version is v (drafts, submission and
amendments each added one; only submission and amendments made versions), so version n
becomes n + v - k. Numbers are first made negative so that no two rows of a record collide
on the way.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 03:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import app.core.types


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('produced_document',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('record', 'bundle', name='documentkind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('arrangement_id', sa.Uuid(), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=True),
    sa.Column('period_from', sa.Date(), nullable=True),
    sa.Column('period_to', sa.Date(), nullable=True),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('file_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('produced_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('produced_by', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.ForeignKeyConstraint(['arrangement_id'], ['arrangement.id'], name=op.f('fk_produced_document_arrangement_id_arrangement')),
    sa.ForeignKeyConstraint(['record_id'], ['session_record.id'], name=op.f('fk_produced_document_record_id_session_record')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_produced_document'))
    )
    with op.batch_alter_table('produced_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_produced_document_arrangement_id'), ['arrangement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_produced_document_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_produced_document_file_hash'), ['file_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_produced_document_record_id'), ['record_id'], unique=False)

    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('job_title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))

    op.execute("UPDATE record_version SET number = -number")
    op.execute(
        "UPDATE record_version SET number = -number"
        " + (SELECT session_record.version FROM session_record WHERE session_record.id = record_version.record_id)"
        " - (SELECT count(*) FROM record_version AS others WHERE others.record_id = record_version.record_id)"
    )


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, record_id FROM record_version ORDER BY record_id, number")).all()
    bind.execute(sa.text("UPDATE record_version SET number = -number"))
    rank: dict[object, int] = {}
    for version_id, record_id in rows:
        rank[record_id] = rank.get(record_id, 0) + 1
        bind.execute(sa.text("UPDATE record_version SET number = :n WHERE id = :id"), {"n": rank[record_id], "id": version_id})
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('job_title')

    with op.batch_alter_table('produced_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_produced_document_record_id'))
        batch_op.drop_index(batch_op.f('ix_produced_document_file_hash'))
        batch_op.drop_index(batch_op.f('ix_produced_document_content_hash'))
        batch_op.drop_index(batch_op.f('ix_produced_document_arrangement_id'))

    op.drop_table('produced_document')

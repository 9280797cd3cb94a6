"""The schema comes from the migrations, and the migrations match the models."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text

from app.cli import alembic_config


def test_alembic_check_finds_no_drift_between_models_and_migrations(migrated):
    command.check(alembic_config(migrated.database_url))  # raises on any difference


def test_schema_is_built_by_the_migrations(engine):
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert version
    assert {"child", "person", "audit_log", "outbox_event"} <= set(inspect(engine).get_table_names())


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(engine):
    if engine.dialect.name != "sqlite":
        # A skip, not a return: on PostgreSQL this proves nothing and must not show as a pass.
        pytest.skip(f"SQLite-only: checks the SQLite PRAGMAs; this run uses {engine.dialect.name}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 1000


def test_r80_migration_0006_fills_in_the_child_of_events_already_on_the_outbox(tmp_path):
    """Events written before the outbox knew their child still reach the right integration."""
    import json
    import uuid

    from sqlalchemy import create_engine

    config = alembic_config(f"sqlite:///{tmp_path / 'before.db'}")
    command.upgrade(config, "0005")
    engine = create_engine(f"sqlite:///{tmp_path / 'before.db'}")
    child = uuid.uuid4()
    with engine.begin() as connection:
        for seq, data in ((1, {"child_id": str(child), "version": 2}), (2, {"venue_id": str(uuid.uuid4())})):
            connection.execute(
                text(
                    "INSERT INTO outbox_event (seq, id, type, occurred_at, subject_id, data) "
                    "VALUES (:seq, :id, 'x.happened', '2026-11-30 09:00:00', 's', :data)"
                ),
                {"seq": seq, "id": uuid.uuid4().hex, "data": json.dumps(data)},
            )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT seq, child_id FROM outbox_event ORDER BY seq")).all()
    engine.dispose()
    assert [(seq, value and uuid.UUID(value)) for seq, value in rows] == [(1, child), (2, None)]

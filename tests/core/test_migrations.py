"""The schema comes from the migrations, and the migrations match the models."""

from __future__ import annotations

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
        return
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 1000

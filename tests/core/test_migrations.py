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


def test_r55_migration_0011_gives_open_arrangements_their_first_reviews_due(tmp_path):
    """Arrangements opened before reviews existed get their first ones due from their opening day."""
    import uuid
    from datetime import UTC, date, datetime

    from sqlalchemy import create_engine
    from sqlmodel import Session

    from app.arrangements.models import Arrangement, ArrangementStatus
    from app.children.models import Child, LegalStatus, PlacementType
    from app.referrals.models import FrequencyPer, Level, Outcome, Referral, ReferralStatus

    url = f"sqlite:///{tmp_path / 'before.db'}"
    config = alembic_config(url)
    command.upgrade(config, "head")
    engine = create_engine(url)
    opened = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    ids = {}
    with Session(engine) as session:
        for key, level, status in (("open", Level.supervised, ArrangementStatus.active), ("closed", Level.supported, ArrangementStatus.closed)):
            child = Child(
                id=uuid.uuid4(), source="framework", external_id=key, first_name="Amara", last_name="Okafor",
                date_of_birth=date(2017, 3, 14), legal_status=LegalStatus.care_order, court_arena=True,
                placement_type=PlacementType.foster, social_worker_sub="sw-1", area="north", created_at=opened, updated_at=opened,
            )
            referral = Referral(
                id=uuid.uuid4(), child_id=child.id, social_worker_sub="sw-1", area="north", status=ReferralStatus.decided,
                purposes=["relationships"], level=level, frequency_times=1, frequency_per=FrequencyPer.week,
                duration_minutes=60, risk_assessment={"factors": []}, court_arena=True, priority=3, created_at=opened,
                updated_at=opened, outcome=Outcome.accepted_core,
            )
            arrangement = Arrangement(
                id=uuid.uuid4(), referral_id=referral.id, child_id=child.id, area="north", status=status,
                basis=Outcome.accepted_core, level=level, court_arena=True, opened_at=opened,
            )
            session.add_all([child, referral, arrangement])
            session.flush()
            ids[key] = arrangement.id.hex
        session.commit()
    command.downgrade(config, "0010")
    command.upgrade(config, "head")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT arrangement_id, kind, due_on FROM review_due ORDER BY due_on")).all()
    engine.dispose()
    assert [(a, k, str(d)) for a, k, d in rows] == [(ids["open"], "supervised", "2026-12-14"), (ids["open"], "contact_service", "2027-02-02")]


def test_r63_migration_0015_gives_existing_records_their_sessions_arrangement(tmp_path):
    """Records written before 0015 get their session's arrangement, so record-timeliness
    still counts them by area."""
    import uuid

    from sqlalchemy import create_engine

    url = f"sqlite:///{tmp_path / 'before.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0014")
    engine = create_engine(url)
    arrangements = [uuid.uuid4().hex, uuid.uuid4().hex]
    sessions = [uuid.uuid4().hex, uuid.uuid4().hex]
    with engine.begin() as connection:  # foreign keys are not enforced on this connection: only what the step reads
        for session_id, arrangement_id in zip(sessions, arrangements, strict=True):
            connection.execute(
                text(
                    "INSERT INTO arrangement (id, referral_id, child_id, area, status, basis, level, room_only, court_arena, "
                    "breach_count, opened_at, version) VALUES (:id, :referral, :child, 'north', 'active', 'accepted_core', "
                    "'supervised', 0, 1, 0, '2026-11-01 09:00:00.000000', 1)"
                ),
                {"id": arrangement_id, "referral": uuid.uuid4().hex, "child": uuid.uuid4().hex},
            )
            connection.execute(
                text(
                    "INSERT INTO contact_session (id, arrangement_id, child_id, csw_sub, starts_at, ends_at, status, overrides, "
                    "retrospective, created_at, created_by, updated_at, version, late_cancellation) VALUES (:id, :arrangement, :child, "
                    "'csw-1', '2026-11-30 10:00:00.000000', '2026-11-30 11:00:00.000000', 'completed', '{}', 0, "
                    "'2026-11-01 09:00:00.000000', 'tl-1', '2026-11-01 09:00:00.000000', 1, 0)"
                ),
                {"id": session_id, "arrangement": arrangement_id, "child": uuid.uuid4().hex},
            )
            connection.execute(
                text(
                    "INSERT INTO session_record (id, session_id, csw_sub, status, version, fields, due_at, late, created_at, updated_at) "
                    "VALUES (:id, :session, 'csw-1', 'draft', 1, '{}', '2026-12-01 11:00:00.000000', 0, "
                    "'2026-11-30 11:00:00.000000', '2026-11-30 11:00:00.000000')"
                ),
                {"id": uuid.uuid4().hex, "session": session_id},
            )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT session_id, arrangement_id FROM session_record ORDER BY session_id")).all()
    engine.dispose()
    assert sorted(rows) == sorted(zip(sessions, arrangements, strict=True))


def test_r87_migration_0016_renumbers_versions_into_the_records_own_sequence(tmp_path):
    """A record saved as a draft twice, submitted (its version 3) and amended once (4) had
    versions 1 and 2; after 0016 they are 3 and 4, the numbers of its ETag."""
    import uuid

    from sqlalchemy import create_engine

    url = f"sqlite:///{tmp_path / 'before.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0015")
    engine = create_engine(url)
    ids = {name: uuid.uuid4().hex for name in ("arrangement", "session", "record")}
    with engine.begin() as connection:  # foreign keys are not enforced on this connection
        connection.execute(
            text(
                "INSERT INTO arrangement (id, referral_id, child_id, area, status, basis, level, room_only, court_arena, breach_count, "
                "opened_at, version) VALUES (:id, :x, :x, 'north', 'active', 'accepted_core', 'supervised', 0, 1, 0, '2026-11-01 09:00:00.000000', 1)"
            ),
            {"id": ids["arrangement"], "x": uuid.uuid4().hex},
        )
        connection.execute(
            text(
                "INSERT INTO contact_session (id, arrangement_id, child_id, csw_sub, starts_at, ends_at, status, overrides, retrospective, "
                "created_at, created_by, updated_at, version, late_cancellation) VALUES (:id, :a, :x, 'csw-1', '2026-11-30 10:00:00.000000', "
                "'2026-11-30 11:00:00.000000', 'completed', '{}', 0, '2026-11-01 09:00:00.000000', 'tl-1', '2026-11-01 09:00:00.000000', 1, 0)"
            ),
            {"id": ids["session"], "a": ids["arrangement"], "x": uuid.uuid4().hex},
        )
        connection.execute(
            text(
                "INSERT INTO session_record (id, session_id, arrangement_id, csw_sub, status, version, fields, due_at, late, created_at, updated_at) "
                "VALUES (:id, :s, :a, 'csw-1', 'submitted', 4, '{}', '2026-12-01 11:00:00.000000', 0, '2026-11-30 11:00:00.000000', '2026-11-30 12:00:00.000000')"
            ),
            {"id": ids["record"], "s": ids["session"], "a": ids["arrangement"]},
        )
        for number in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO record_version (id, record_id, number, fields, author_sub, author_role, at) "
                    "VALUES (:id, :r, :n, '{}', 'csw-1', 'contact_support_worker', '2026-11-30 12:00:00.000000')"
                ),
                {"id": uuid.uuid4().hex, "r": ids["record"], "n": number},
            )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        after = [n for (n,) in connection.execute(text("SELECT number FROM record_version ORDER BY number"))]
    command.downgrade(config, "0015")
    with engine.connect() as connection:
        back = [n for (n,) in connection.execute(text("SELECT number FROM record_version ORDER BY number"))]
    engine.dispose()
    assert (after, back) == ([3, 4], [1, 2])

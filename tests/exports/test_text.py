"""The SQL that writes export cells as text (app/exports/text.py) gives, on each database,
exactly what Python's own formatting would: the exports' values must not depend on which
database the service runs on."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Date, Uuid, literal, select

from app.core.types import UTCDateTime
from app.exports.text import date_text, month_text, utc_text, uuid_text

INSTANTS = [
    datetime(2026, 12, 1, 16, 0, tzinfo=UTC),
    datetime(2026, 12, 1, 16, 0, 0, 5, tzinfo=UTC),
    datetime(2026, 6, 30, 23, 59, 59, 123456, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=1))),  # an offset: still written in UTC
    datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
]


@pytest.mark.parametrize("instant", INSTANTS, ids=str)
def test_r86_an_instant_is_iso_8601_in_utc_with_a_z_as_python_writes_it(engine, instant):
    with engine.connect() as connection:
        written = connection.scalar(select(utc_text(literal(instant, UTCDateTime()))))
    assert written == instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def test_r86_a_uuid_a_day_and_a_birth_month_are_written_as_python_writes_them(engine):
    some = uuid.UUID("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
    day = date(2019, 2, 7)
    with engine.connect() as connection:
        row = connection.execute(
            select(uuid_text(literal(some, Uuid())), date_text(literal(day, Date())), month_text(literal(day, Date())), uuid_text(literal(None, Uuid())))
        ).one()
    assert tuple(row) == (str(some), "2019-02-07", "2019-02", None)

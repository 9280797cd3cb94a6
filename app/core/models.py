"""Base pieces shared by table models: ids, timestamps, and JSON snapshots for the audit log."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Enum as SAEnum
from sqlmodel import SQLModel

import app.core.db  # noqa: F401  (sets the naming convention before any table is declared)


def enum_column(enum_type: type[enum.StrEnum], *, name: str | None = None) -> SAEnum:
    """A closed set stored as plain strings with a CHECK: adding a value is a one-line migration.
    `name` names the CHECK when a table has a second column of the same set."""
    return SAEnum(
        enum_type, native_enum=False, length=40, create_constraint=True, validate_strings=True,
        name=name or enum_type.__name__.lower(),
    )


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def snapshot(row: SQLModel, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A JSON-ready copy of a row's columns, for the audit log's before and after."""
    out: dict[str, Any] = {}
    for name in row.__class__.model_fields:
        if name in exclude:
            continue
        out[name] = to_json(getattr(row, name))
    return out


def utc_z(value: datetime) -> str:
    """An instant as the contract writes it everywhere (bodies, event data, error details):
    ISO 8601 in UTC with `Z`; milliseconds when that is all there is (a deadline's
    23:59:59.999), else as precise as stored. Called for every instant of every answer,
    so instants already in UTC, as the database returns them, skip the conversion."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    micro = value.microsecond
    text = value.isoformat(timespec="milliseconds") if micro and not micro % 1000 else value.isoformat()
    return text[:-6] + "Z"  # an aware UTC instant's isoformat() ends with +00:00


def to_json(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return utc_z(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value

"""Base classes and field types for request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, PlainSerializer, StringConstraints


class InputModel(BaseModel):
    """A request body: unknown fields (an `id`, a `created_at`, a `version`) are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _utc_z(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


# Instants go out in UTC with a Z (API contract: "returned in UTC").
UTCInstant = Annotated[datetime, PlainSerializer(_utc_z, return_type=str, when_used="json")]


def _to_utc(value: datetime) -> datetime:
    from datetime import UTC

    return value.astimezone(UTC)


# Instants coming in must carry an offset; they are normalised to UTC.
InstantIn = Annotated[AwareDatetime, AfterValidator(_to_utc)]

Name = Annotated[str, StringConstraints(min_length=1, max_length=100)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=255)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Subject = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^\s]+$")]

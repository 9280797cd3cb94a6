"""The feed-token table: one live token per member of staff, only its SHA-256 kept."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.core.types import UTCDateTime


class FeedToken(SQLModel, table=True):
    """One live feed token per member of staff; only the SHA-256 of the token is kept."""

    __tablename__ = "feed_token"

    sub: str = Field(primary_key=True, foreign_key="staff.sub", max_length=255)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)

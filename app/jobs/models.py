"""Which scheduled job ran for which period (R-85)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.core.types import UTCDateTime


class JobRun(SQLModel, table=True):
    """One row per job and period it ran for. The key makes a second run of the same period
    impossible even if two workers got past the lock; rows older than a week are purged."""

    __tablename__ = "job_run"

    name: str = Field(max_length=50, primary_key=True)
    period: str = Field(max_length=40, primary_key=True)
    started_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime = Field(sa_type=UTCDateTime)
    worker: str = Field(max_length=100)
    result: int = 0

"""What the service has produced as court evidence (R-87): one row per PDF served, so a copy
can be verified later and every production is on record."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from app.core.models import enum_column, new_id
from app.core.types import UTCDateTime


class DocumentKind(StrEnum):
    record = "record"  # a session record with its amendment history
    bundle = "bundle"  # an arrangement's court bundle


class ProducedDocument(SQLModel, table=True):
    """A PDF as it was produced: the hash of its content (printed in it, the same for every
    rendering of the same content) and the hash of its bytes (this copy, exactly)."""

    __tablename__ = "produced_document"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    kind: DocumentKind = Field(sa_type=enum_column(DocumentKind))
    reference: str = Field(max_length=40)
    arrangement_id: uuid.UUID = Field(foreign_key="arrangement.id", index=True)
    record_id: uuid.UUID | None = Field(default=None, foreign_key="session_record.id", index=True)
    period_from: date | None = None
    period_to: date | None = None
    content_hash: str = Field(max_length=64, index=True)
    file_hash: str = Field(max_length=64, index=True)
    produced_at: datetime = Field(sa_type=UTCDateTime)
    produced_by: str = Field(max_length=255)

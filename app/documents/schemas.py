"""What `POST /documents/verify` answers (R-87)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import Field

from app.core.schemas import OutputModel, UTCInstant


class DocumentRead(OutputModel):
    kind: Literal["record", "bundle"] = Field(description="A session record's PDF, or an arrangement's court bundle.")
    reference: str = Field(description="The reference printed on every page, e.g. `CSR-2026-6E3F2C74`.")
    arrangement_id: uuid.UUID
    record_id: uuid.UUID | None = Field(description="The record, for a record's PDF.")
    period_from: date | None = Field(description="A bundle's first day (local).")
    period_to: date | None = Field(description="A bundle's last day (local).")
    content_hash: str = Field(description="The SHA-256 of the document's content, printed in its footer.")


class VerifyResult(OutputModel):
    model_config = OutputModel.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "valid": True,
                    "document": {
                        "kind": "record", "reference": "CSR-2026-6E3F2C74", "arrangement_id": "0b9c8d7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e",
                        "record_id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "period_from": None, "period_to": None,
                        "content_hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    },
                    "produced_at": "2026-12-02T10:15:07Z",
                    "current": True,
                    "detail": "This copy is exactly as the service produced it.",
                }
            ]
        }
    }

    valid: bool = Field(description="The copy is byte for byte a PDF the service produced.")
    document: DocumentRead | None = Field(description="Which document it is (or, when not valid, claims to be); null when unknown.")
    produced_at: UTCInstant | None = Field(description="When the service produced it.")
    current: bool | None = Field(description="Nothing it covers has changed since (no newer version exists); null when unknown.")
    detail: str

"""What the API gives for deadlines (R-01 to R-04)."""

from __future__ import annotations

from app.core.schemas import OutputModel, UTCInstant


class DueRead(OutputModel):
    model_config = OutputModel.model_config | {"json_schema_extra": {"examples": [{"due_at": "2026-11-30T23:59:59.999Z"}]}}

    due_at: UTCInstant

"""What a report answers: its definition, the months and areas covered, one row per month and area."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ReportRow(BaseModel):
    month: str = Field(description="Local month, `YYYY-MM`.")
    area: str
    values: dict[str, int | float | None] = Field(description="The report's columns: counts, or shares from 0 to 1 (null with nothing to share).")


class ReportRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "report": "decision-timeliness",
                "title": "Decisions within 5 working days",
                "definition": "Referrals decided in the local month ...",
                "from": "2026-10",
                "to": "2026-11",
                "timezone": "Europe/London",
                "areas": ["north"],
                "columns": ["decisions", "on_time", "share"],
                "rows": [
                    {"month": "2026-10", "area": "north", "values": {"decisions": 4, "on_time": 3, "share": 0.75}},
                    {"month": "2026-11", "area": "north", "values": {"decisions": 0, "on_time": 0, "share": None}},
                ],
            }
        },
        populate_by_name=True,
    )

    report: str
    title: str
    definition: str
    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    timezone: str
    areas: list[str]
    columns: list[str]
    rows: list[ReportRow]

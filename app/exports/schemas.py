"""The export catalogue's shapes (R-86): each dataset with its typed, documented columns."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ColumnRead(BaseModel):
    name: str
    type: str = Field(description="string, integer, boolean, date, datetime, list, or pseudonym (a child, person or staff identity).")
    meaning: str
    data_analyst: bool = Field(description="Whether a data analyst's export carries this column.")
    pseudonymised: bool = Field(description="For a data analyst, an HMAC-SHA256 pseudonym replaces the value.")


class DatasetRead(BaseModel):
    name: str
    description: str
    date_filter: str = Field(description="The column `since` and `until` apply to.")
    columns: list[ColumnRead]
    csv: str
    ndjson: str


class Catalogue(BaseModel):
    items: list[DatasetRead]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "items": [
                        {
                            "name": "children",
                            "description": "Children mirrored from the case-record systems (R-07), by the date first mirrored.",
                            "date_filter": "created_at",
                            "columns": [
                                {"name": "child_id", "type": "pseudonym", "meaning": "The child (pseudonymised for data analysts).", "data_analyst": True, "pseudonymised": True},
                                {"name": "first_name", "type": "string", "meaning": "First name (service managers only).", "data_analyst": False, "pseudonymised": False},
                                {"name": "birth_month", "type": "string", "meaning": "Month of birth, YYYY-MM.", "data_analyst": True, "pseudonymised": False},
                            ],
                            "csv": "/api/v1/exports/children.csv",
                            "ndjson": "/api/v1/exports/children.ndjson",
                        }
                    ]
                }
            ]
        }
    }

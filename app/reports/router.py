"""HTTP for the reports (R-63): JSON, CSV and an SVG chart of each."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import Response

from app.core.concurrency import APIRouter
from app.core.config import SettingsDep
from app.core.db import SessionDep
from app.core.errors import error_responses
from app.reports import charts, service
from app.reports.deps import ReportReader, ReportWindow, ValidReport
from app.reports.schemas import ReportRead, ReportRow

router = APIRouter(prefix="/reports", tags=["reports"])

DEFINITIONS = "\n".join(f"- `{r.name}`: {r.definition}" for r in service.REPORTS.values())
ABOUT = (
    "R-63. `from` and `to` are months (`YYYY-MM`, local to the service's zone, both included; by "
    "default the last 12 months); `area` narrows to one area. One row per month and area, "
    "zero-filled. Refused with 422 naming the parameter: a malformed month, `to` before `from`, "
    "a range over 10 years, an unknown area; an unknown report is 404 listing the reports. "
    "Data analysts, service managers and team leaders.\n\nThe reports:\n" + DEFINITIONS
)
CSV_EXAMPLE = "month,area,decisions,on_time,share\r\n2026-10,north,4,3,0.75\r\n2026-11,north,0,0,\r\n"
SVG_EXAMPLE = '<?xml version=\'1.0\' encoding=\'utf-8\'?>\n<svg xmlns="http://www.w3.org/2000/svg" ...><title>Decisions within 5 working days</title>...</svg>'
ERRORS = error_responses(401, 403, 404, 422)


def _answer(report: service.Report, window: service.Window, rows: list[dict[str, Any]], settings: SettingsDep) -> ReportRead:
    return ReportRead(
        report=report.name,
        title=report.title,
        definition=report.definition,
        from_=window.months[0].label,
        to=window.months[-1].label,
        timezone=settings.timezone,
        areas=window.areas,
        columns=report.columns,
        rows=[ReportRow(**row) for row in rows],
    )


@router.get(
    "/{report}.csv",
    response_class=Response,
    summary="A report as CSV",
    description=ABOUT + "\n\nColumns: `month`, `area`, then the report's own; an empty cell is a share with nothing to share.",
    responses={200: {"description": "The report as CSV.", "content": {"text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE}}}, **ERRORS},
)
def report_csv(_principal: ReportReader, report: ValidReport, window: ReportWindow, session: SessionDep, settings: SettingsDep) -> Response:
    rows = service.run(session, report, window, settings)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["month", "area", *report.columns])
    for row in rows:
        writer.writerow([row["month"], row["area"], *("" if row["values"][c] is None else row["values"][c] for c in report.columns)])
    return Response(
        content=out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{report.name}.csv"'},
    )


@router.get(
    "/{report}.svg",
    response_class=Response,
    summary="A report as an SVG chart",
    description=ABOUT + "\n\nA bar chart of counts or a line chart of shares, one series per area (and column), drawn with pygal.",
    responses={200: {"description": "The chart as SVG.", "content": {"image/svg+xml": {"schema": {"type": "string"}, "example": SVG_EXAMPLE}}}, **ERRORS},
)
def report_svg(_principal: ReportReader, report: ValidReport, window: ReportWindow, session: SessionDep, settings: SettingsDep) -> Response:
    rows = service.run(session, report, window, settings)
    body = charts.render(report, rows, [m.label for m in window.months], window.areas)
    return Response(content=body, media_type="image/svg+xml", headers={"Content-Disposition": f'inline; filename="{report.name}.svg"'})


@router.get(
    "/{report}",
    response_model=ReportRead,
    response_model_by_alias=True,
    summary="A report",
    description=ABOUT,
    responses=ERRORS,
)
def read_report(_principal: ReportReader, report: ValidReport, window: ReportWindow, session: SessionDep, settings: SettingsDep) -> ReportRead:
    return _answer(report, window, service.run(session, report, window, settings), settings)

"""SVG charts of the reports, drawn with pygal.

pygal rather than matplotlib: it is pure Python (no NumPy, no compiled wheels, a few hundred
kilobytes against matplotlib's tens of megabytes in the image), writes SVG natively with the
series names and month labels as text, and is maintained (3.x). Its default output links to
an external JavaScript file for tooltips; `js=[]` leaves that out, so the chart is self-contained
(pygal still writes a small inline config script, inert without the external file).
"""

from __future__ import annotations

from typing import Any

import pygal
from pygal.style import DefaultStyle

from app.reports.service import Report


def render(report: Report, rows: list[dict[str, Any]], months: list[str], areas: list[str]) -> bytes:
    """One series per area and charted column (e.g. `north delivered`), months along x."""
    chart_class = pygal.Line if report.unit == "share" else pygal.Bar
    chart = chart_class(
        title=report.title,
        x_title="Month",
        y_title="Share" if report.unit == "share" else "Count",
        js=[],
        disable_xml_declaration=False,
        style=DefaultStyle,
        x_label_rotation=30 if len(months) > 12 else 0,
        show_minor_x_labels=True,
        range=(0, 1) if report.unit == "share" else None,
    )
    chart.x_labels = months
    by_key = {(row["month"], row["area"]): row["values"] for row in rows}
    for area in areas:
        for column in report.chart:
            name = area if len(report.chart) == 1 else f"{area} {column}"
            chart.add(name, [by_key.get((m, area), {}).get(column) for m in months])
    return chart.render()

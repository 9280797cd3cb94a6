"""A session record as a court-ready PDF with its full amendment history (R-44, R-45).

Pure: no database, no HTTP, no clock. `render` turns a `PdfRecord` into PDF bytes with
fpdf2, embedding DejaVu Sans (shipped in `fonts/`, Bitstream Vera / DejaVu licence) so
names with accents render on machines without system fonts.

* Only what is passed in is printed, and of a version's `fields` only the keys listed in
  `_FIELDS`: anything else in the mapping (a placement address, say) is ignored, so what
  reaches the document is what a parent's lawyer may read (R-08).
* Times are instants (UTC, R-01) shown in `time_zone` with the zone's abbreviation
  ("BST", "GMT"). A naive datetime is taken as UTC; an ISO 8601 string in `fields` is
  parsed.
* Deterministic: the creation date is the latest version's time, so one record renders
  to the same bytes every time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVuSans"
MARKING = "OFFICIAL-SENSITIVE"
TITLE = "Supervised contact session record"

# Layout, in millimetres on A4.
_MARGIN = 18.0
_LINE = 5.0
_LABEL_WIDTH = 55.0
_BODY_SIZE = 10
_NARRATIVE_MIN_SPACE = 3 * _LINE  # keep a heading with at least a few lines of its text
_VERSION_MIN_SPACE = 2 + 6 * _LINE  # keep a version's heading with its author, time and reason

# (key, label, narrative): narrative fields get their label as a heading over full-width
# text; the others a label column.
_FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("went_ahead", "Went ahead", False),
    ("not_ahead_reason", "Reason not held", False),
    ("arrived_at", "Arrived", False),
    ("left_at", "Left", False),
    ("attendees", "Attended", False),
    ("observations", "Observations", True),
    ("child_views", "Child's views", True),
    ("parent_views", "Parents' views", True),
    ("incidents", "Incidents and concerns", True),
)

_NOT_RECORDED = "Not recorded"

# C0/C1 control characters other than tab and newline: they have no glyph.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class PdfVersion:
    number: int  # 1 = the submitted record, 2.. = amendments
    author_sub: str
    author_role: str  # e.g. "contact_support_worker", "team_leader"
    at: datetime  # aware, UTC
    reason: str | None  # amendment reason; None for version 1
    fields: Mapping[str, Any]  # went_ahead (bool), not_ahead_reason (str|None), arrived_at/left_at
    # (aware datetime|None), attendees (list[str] of labels such as "mum", "dad"),
    # observations, child_views, parent_views, incidents (str|None)


@dataclass(frozen=True)
class PdfRecord:
    reference: str  # the service's reference, e.g. "CSR-2026-6E3F2C74"
    session_starts_at: datetime
    session_ends_at: datetime
    venue: str | None  # "Mansfield Contact Centre – Garden room"; never a placement address
    child_first_name: str
    csw_sub: str
    submitted_at: datetime | None
    late: bool
    versions: Sequence[PdfVersion]  # oldest first
    time_zone: str = "Europe/London"


def render(record: PdfRecord) -> bytes:
    """The record as PDF bytes: session details, the current record (the latest version)
    and every version in order as the amendment history."""
    zone = ZoneInfo(record.time_zone)
    versions = sorted(record.versions, key=lambda v: v.number)
    pdf = _RecordPdf(_text(record.reference))
    pdf.set_title(_text(record.reference))
    pdf.set_subject(TITLE)
    pdf.set_creator("Contact Service API")
    pdf.set_lang("en-GB")
    pdf.set_creation_date(_creation_date(record, versions))
    pdf.add_page()

    pdf.set_font(FONT_FAMILY, "B", 15)
    pdf.multi_cell(0, 8, TITLE, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)

    _heading(pdf, "Session")
    _row(pdf, "Reference", record.reference)
    _row(pdf, "Session", _session_time(record.session_starts_at, record.session_ends_at, zone))
    _row(pdf, "Venue", record.venue or _NOT_RECORDED)
    _row(pdf, "Child", record.child_first_name)
    _row(pdf, "Contact support worker", record.csw_sub)
    _row(pdf, "Submitted", _when(record.submitted_at, zone) if record.submitted_at else "Not submitted")
    if record.late:
        pdf.set_font(FONT_FAMILY, "B", _BODY_SIZE)
        pdf.multi_cell(0, _LINE, "Submitted late", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _row(pdf, "Versions", str(len(versions)))

    _heading(pdf, "Current record")
    if versions:
        latest = versions[-1]
        _paragraph(pdf, f"As at version {latest.number}, {_when(latest.at, zone)}.")
        _fields(pdf, latest.fields, record.session_starts_at, zone)
    else:
        _paragraph(pdf, "No version of this record has been made.")

    _heading(pdf, "Amendment history", keep=_VERSION_MIN_SPACE)
    if not versions:
        _paragraph(pdf, "None.")
    for version in versions:
        _version(pdf, version, record.session_starts_at, zone)

    return bytes(pdf.output())


class _RecordPdf(FPDF):
    def __init__(self, reference: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.reference = reference
        self.add_font(FONT_FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT_FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(_MARGIN, 24, _MARGIN)
        self.set_auto_page_break(True, margin=20)
        self.alias_nb_pages("{nb}")

    def header(self) -> None:
        self.set_y(10)
        self.set_font(FONT_FAMILY, "B", 9)
        half = (self.w - self.l_margin - self.r_margin) / 2
        self.cell(half, 5, self.reference, align="L")
        self.cell(half, 5, MARKING, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(self.l_margin, 16, self.w - self.r_margin, 16)
        self.set_y(24)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT_FAMILY, "", 8)
        half = (self.w - self.l_margin - self.r_margin) / 2
        self.cell(half, 5, MARKING, align="L")
        self.cell(half, 5, f"Page {self.page_no()} of {{nb}}", align="R")


def _version(pdf: _RecordPdf, version: PdfVersion, session_start: datetime, zone: ZoneInfo) -> None:
    if pdf.will_page_break(_VERSION_MIN_SPACE):
        pdf.add_page()
    pdf.ln(2)
    kind = "submitted record" if version.number == 1 else "amendment"
    pdf.set_font(FONT_FAMILY, "B", 11)
    pdf.multi_cell(0, 6, f"Version {version.number} ({kind})", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _row(pdf, "By", f"{_role(version.author_role)} ({version.author_sub})")
    _row(pdf, "At", _when(version.at, zone))
    if version.number != 1 or version.reason:
        _row(pdf, "Reason", version.reason or _NOT_RECORDED)
    _fields(pdf, version.fields, session_start, zone)


def _fields(pdf: _RecordPdf, fields: Mapping[str, Any], session_start: datetime, zone: ZoneInfo) -> None:
    went_ahead = fields.get("went_ahead")
    for key, label, narrative in _FIELDS:
        value = fields.get(key)
        if key == "went_ahead":
            shown = _NOT_RECORDED if value is None else ("Yes" if value else "No")
        elif key == "not_ahead_reason" and went_ahead and not value:
            shown = "Not applicable"
        elif key in ("arrived_at", "left_at"):
            shown = _time_on(value, session_start, zone) if value else _NOT_RECORDED
        elif key == "attendees":
            shown = _attendees(value)
        else:
            shown = _NOT_RECORDED if value is None or str(value).strip() == "" else str(value)
        if narrative:
            if pdf.will_page_break(_LINE + _NARRATIVE_MIN_SPACE):
                pdf.add_page()
            pdf.set_font(FONT_FAMILY, "B", _BODY_SIZE)
            pdf.multi_cell(0, _LINE, label, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            _paragraph(pdf, shown)
        else:
            _row(pdf, label, shown)


def _heading(pdf: _RecordPdf, text: str, keep: float = _NARRATIVE_MIN_SPACE) -> None:
    """A section heading, kept on one page with at least `keep` millimetres of what
    follows."""
    if pdf.will_page_break(12 + keep):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, "B", 13)
    pdf.multi_cell(0, 7, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y()
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.ln(1.5)


def _row(pdf: _RecordPdf, label: str, value: str) -> None:
    """A label column and its value, wrapped; the value keeps its column across a page
    break."""
    pdf.set_font(FONT_FAMILY, "B", _BODY_SIZE)
    label_lines = pdf.multi_cell(_LABEL_WIDTH, _LINE, label, align="L", dry_run=True, output="LINES")
    if pdf.will_page_break(_LINE * len(label_lines)):
        pdf.add_page()
    page, y = pdf.page, pdf.get_y()
    pdf.multi_cell(_LABEL_WIDTH, _LINE, label, align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
    pdf.set_xy(pdf.l_margin + _LABEL_WIDTH, y)
    pdf.set_font(FONT_FAMILY, "", _BODY_SIZE)
    pdf.multi_cell(0, _LINE, _text(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if pdf.page == page:
        pdf.set_y(max(pdf.get_y(), y + _LINE * len(label_lines)))
    pdf.ln(0.8)


def _paragraph(pdf: _RecordPdf, text: str) -> None:
    pdf.set_font(FONT_FAMILY, "", _BODY_SIZE)
    pdf.multi_cell(0, _LINE, _text(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)


def _text(value: Any) -> str:
    """Printable text: newlines normalised, tabs as spaces, control characters dropped."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _CONTROL.sub("", text)


def _role(role: str) -> str:
    text = role.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else "Unknown role"


def _attendees(value: Any) -> str:
    if not value:
        return "Nobody recorded"
    if isinstance(value, str):
        return value
    return ", ".join(str(label).replace("_", " ") for label in value)


def _instant(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC)  # instants are UTC
    return value


def _local(value: datetime | str, zone: ZoneInfo) -> datetime:
    return _instant(value).astimezone(zone)


def _date(local: datetime) -> str:
    return f"{local:%A} {local.day} {local:%B %Y}"


def _clock(local: datetime) -> str:
    return f"{local:%H:%M} {local.tzname()}"


def _when(value: datetime | str, zone: ZoneInfo) -> str:
    """"Tuesday 14 July 2026, 10:05 BST"."""
    local = _local(value, zone)
    return f"{_date(local)}, {_clock(local)}"


def _session_time(starts: datetime, ends: datetime, zone: ZoneInfo) -> str:
    start, end = _local(starts, zone), _local(ends, zone)
    if start.date() != end.date():
        return f"{_when(start, zone)} to {_when(end, zone)}"
    if start.tzname() != end.tzname():  # the clocks change during the session
        return f"{_date(start)}, {_clock(start)} to {_clock(end)}"
    return f"{_date(start)}, {start:%H:%M} to {end:%H:%M} {start.tzname()}"


def _time_on(value: datetime | str, session_start: datetime, zone: ZoneInfo) -> str:
    """A time alone when it falls on the session's local date, else with its date."""
    local = _local(value, zone)
    if local.date() == _local(session_start, zone).date():
        return _clock(local)
    return _when(local, zone)


def _creation_date(record: PdfRecord, versions: Sequence[PdfVersion]) -> datetime:
    if versions:
        return max(_instant(v.at) for v in versions).astimezone(UTC)
    return _instant(record.submitted_at or record.session_starts_at).astimezone(UTC)

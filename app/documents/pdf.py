"""Court documents as PDF (R-45, R-87): a session record with its amendment history, and an
arrangement's court bundle.

Pure: no database, no HTTP, no clock. `render_record` and `render_bundle` turn dataclasses
into PDF bytes with fpdf2, embedding DejaVu Sans (shipped in `fonts/`, Bitstream Vera /
DejaVu licence) so names with accents render on machines without system fonts.

* Only what is passed in is printed, and of a version's `fields` only the keys in `_FIELDS`:
  anything else in the mapping (a placement address, say) is ignored, so what reaches the
  document is what a parent's lawyer may read (R-08). People are passed in as they are to
  be printed: staff by name and job title, the child by first name, adults by relationship.
* Every page names the issuing authority and carries, in its footer and in the document's
  metadata (`Keywords`: `sha256:<hex>`), the SHA-256 of the document's content (`Issue`),
  which `POST /documents/verify` confirms.
* Times are instants (UTC, R-01) shown in `time_zone` with the zone's abbreviation ("BST",
  "GMT"); the times a record was made, submitted, amended and produced to the second.
* Deterministic: the creation date is the production time given in `Issue`, so the same
  input renders to the same bytes.
* Accessibility, as far as fpdf2 (2.8) goes: a document title shown by viewers in place of
  the file name, the language (en-GB), bookmarks for every section and record, and real
  text in reading order with a Unicode font. fpdf2 marks structure (a tagged PDF) only for
  images, links and styled section titles, not for body text, so these are not tagged PDFs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.prefs import ViewerPreferences

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVuSans"
MARKING = "OFFICIAL-SENSITIVE"
TITLE = "Supervised contact session record"
BUNDLE_TITLE = "Court bundle: supervised contact"

# Layout, in millimetres on A4.
_MARGIN = 18.0
_LINE = 5.0
_LABEL_WIDTH = 55.0
_BODY_SIZE = 10
_NARRATIVE_MIN_SPACE = 3 * _LINE  # keep a heading with at least a few lines of its text
_VERSION_MIN_SPACE = 2 + 6 * _LINE  # keep a version's heading with its author, time and reason
_INDEX_LINES_PER_PAGE = 40

# (key, label, narrative): narrative fields get their label as a heading over full-width
# text; the others a label column.
_FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("went_ahead", "Went ahead", False),
    ("not_ahead_reason", "Reason not held", False),
    ("attendees", "Attended", False),
    ("arrived_at", "Arrived", False),
    ("left_at", "Left", False),
    ("observations", "Observations", True),
    ("child_views", "Child's views", True),
    ("parent_views", "Parents' views", True),
    ("incidents", "Incidents and concerns", True),
)
_LABELS = {key: label for key, label, _ in _FIELDS}

_NOT_RECORDED = "Not recorded"

# C0/C1 control characters other than tab and newline: they have no glyph.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Issue:
    """Who issues the document, when it was produced, and the hash of its content."""

    organisation: str
    produced_at: datetime  # aware
    content_hash: str  # SHA-256 hex of the content (documents.content)
    time_zone: str = "Europe/London"


@dataclass(frozen=True)
class PdfVersion:
    number: int  # the record's version when this one was made (one sequence with the ETag)
    author: str  # as printed: "Jo Bennett, Contact Support Worker"
    at: datetime  # aware, UTC
    reason: str | None  # an amendment's reason; None for the submitted version
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
    worker: str  # the supervising CSW as printed: "Jo Bennett, Contact Support Worker"
    submitted_at: datetime | None
    due_at: datetime | None
    late: bool
    versions: Sequence[PdfVersion]  # oldest first; the first is the submitted record


@dataclass(frozen=True)
class PdfBreach:
    occurred_at: datetime
    severity: str
    description: str
    recorded_by: str  # as printed
    suspended: bool


@dataclass(frozen=True)
class PdfRestriction:
    kind: str
    starts_on: date
    ends_on: date | None
    emergency: bool
    reason: str
    authorised_by: str  # as printed
    authorised_at: datetime


@dataclass(frozen=True)
class PdfSessionLine:
    """One session of the period in the attendance summary."""

    starts_at: datetime
    held: bool
    why_not: str | None  # "Cancelled by mum (late)", "Did not go ahead: child unwell"


@dataclass(frozen=True)
class PdfBundle:
    reference: str  # "CSB-2026-6E3F2C74"
    child_first_name: str
    period_from: date
    period_to: date
    records: Sequence[PdfRecord]  # in date order
    sessions: Sequence[PdfSessionLine] = ()
    late_cancellations: Sequence[tuple[str, int]] = ()  # (relationship, count)
    breaches: Sequence[PdfBreach] = ()
    restrictions: Sequence[PdfRestriction] = ()
    notes: Sequence[str] = field(default_factory=tuple)


# --- the two documents -----------------------------------------------------------------------


def render_record(record: PdfRecord, issue: Issue) -> bytes:
    """The record as PDF bytes: who issues it and when, the session, the current record (the
    latest version), then every version in order with what each amendment changed."""
    pdf = _start(issue, record.reference, f"{TITLE} {record.reference}")
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "B", 15)
    pdf.multi_cell(0, 8, TITLE, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _paragraph(pdf, f"Issued by {issue.organisation}. Produced {_when(issue.produced_at, pdf.zone, seconds=True)}.")
    _record(pdf, record, level=0)
    return bytes(pdf.output())


def render_bundle(bundle: PdfBundle, issue: Issue) -> bytes:
    """The arrangement's court bundle: a cover, an index with page numbers, every submitted
    record in date order with its history, the attendance summary, breaches and
    restrictions."""
    period = f"{_day(bundle.period_from)} to {_day(bundle.period_to)}"
    pdf = _start(issue, bundle.reference, f"{BUNDLE_TITLE} {bundle.reference}")
    pdf.add_page()
    _cover(pdf, bundle, issue, period)
    entries = 4 + len(bundle.records)
    pdf.add_page()  # the index, filled in at the end with the page numbers; it ends on a fresh page
    pdf.insert_toc_placeholder(_index, pages=max(1, -(-entries // _INDEX_LINES_PER_PAGE)), reset_page_indices=False)

    pdf.start_section("1. Session records")
    _heading(pdf, "1. Session records")
    if not bundle.records:
        _paragraph(pdf, "No submitted record in this period.")
    for n, record in enumerate(bundle.records):
        if n:
            pdf.add_page()
        local = _local(record.session_starts_at, pdf.zone)
        pdf.start_section(f"{_day(local)}: {record.reference}", level=1)
        pdf.set_font(FONT_FAMILY, "B", 13)
        pdf.multi_cell(0, 7, f"Session of {_day(local)}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        _record(pdf, record, level=1)

    pdf.add_page()
    pdf.start_section("2. Attendance summary")
    _attendance(pdf, bundle)
    pdf.start_section("3. Breaches of the written agreement")
    _breaches(pdf, bundle.breaches)
    pdf.start_section("4. Suspensions and restrictions")
    _restrictions(pdf, bundle.restrictions)
    return bytes(pdf.output())


# --- the page frame --------------------------------------------------------------------------


class _Pdf(FPDF):
    def __init__(self, issue: Issue, reference: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.issue = issue
        self.reference = _text(reference)
        self.zone = ZoneInfo(issue.time_zone)
        self.add_font(FONT_FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT_FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(_MARGIN, 24, _MARGIN)
        self.set_auto_page_break(True, margin=24)
        self.alias_nb_pages("{nb}")

    def header(self) -> None:
        self.set_y(10)
        self.set_font(FONT_FAMILY, "B", 9)
        half = (self.w - self.l_margin - self.r_margin) / 2
        self.cell(half, 5, _text(f"{self.issue.organisation} · {self.reference}"), align="L")
        self.cell(half, 5, MARKING, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(self.l_margin, 16, self.w - self.r_margin, 16)
        self.set_y(24)

    def footer(self) -> None:
        self.set_y(-18)
        self.set_font(FONT_FAMILY, "", 6.5)
        self.cell(0, 4, f"Content SHA-256 {self.issue.content_hash} (check a copy: POST /api/v1/documents/verify)",
                  align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT_FAMILY, "", 8)
        half = (self.w - self.l_margin - self.r_margin) / 2
        self.cell(half, 5, MARKING, align="L")
        self.cell(half, 5, f"Page {self.page_no()} of {{nb}}", align="R")


def _start(issue: Issue, reference: str, title: str) -> _Pdf:
    pdf = _Pdf(issue, reference)
    pdf.set_title(_text(title))
    pdf.set_subject(f"Issued by {_text(issue.organisation)}")
    pdf.set_author(_text(issue.organisation))
    pdf.set_keywords(f"sha256:{issue.content_hash}")
    pdf.set_creator("Contact Service API")
    pdf.set_lang("en-GB")
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.set_creation_date(_instant(issue.produced_at).astimezone(UTC))
    return pdf


# --- a record ----------------------------------------------------------------------------------


def _record(pdf: _Pdf, record: PdfRecord, level: int) -> None:
    zone = pdf.zone
    versions = sorted(record.versions, key=lambda v: v.number)
    _heading(pdf, "Session", small=level > 0)
    _row(pdf, "Reference", record.reference)
    _row(pdf, "Session", _session_time(record.session_starts_at, record.session_ends_at, zone))
    _row(pdf, "Venue", record.venue or _NOT_RECORDED)
    _row(pdf, "Child", record.child_first_name)
    _row(pdf, "Supervised by", record.worker)
    if record.due_at is not None:
        _row(pdf, "Record due", _when(record.due_at, zone, seconds=True))
    _row(pdf, "Submitted", _when(record.submitted_at, zone, seconds=True) if record.submitted_at else "Not submitted")
    if record.late and record.submitted_at and record.due_at:
        _row(pdf, "Submitted late", f"Yes: {_duration(record.submitted_at - record.due_at)} after it was due (R-41)")
    elif record.late:
        _row(pdf, "Submitted late", "Yes (R-41)")
    if versions:
        first = versions[0]
        _paragraph(pdf, (
            f"This record was made at the time by {record.worker}, who supervised the session, and submitted "
            f"{_when(first.at, zone, seconds=True)} as version {first.number}. It is locked: each later change is an "
            "amendment, shown below with its reason, its author and its time, and no version is deleted or overwritten. "
            f"Version numbers count every save; numbers before {first.number} were drafts replaced as the worker wrote."
        ))

    _heading(pdf, "Current record", small=level > 0)
    if versions:
        latest = versions[-1]
        _paragraph(pdf, f"As at version {latest.number}, {_when(latest.at, zone, seconds=True)}.")
        _fields(pdf, latest.fields, record.session_starts_at, zone)
    else:
        _paragraph(pdf, "No version of this record has been made.")

    _heading(pdf, "Amendment history", keep=_VERSION_MIN_SPACE, small=level > 0)
    if len(versions) <= 1:
        _paragraph(pdf, "None: the record stands as submitted.")
    previous: PdfVersion | None = None
    for version in versions:
        _version(pdf, version, previous, record.session_starts_at, zone)
        previous = version


def _version(pdf: _Pdf, version: PdfVersion, previous: PdfVersion | None, session_start: datetime, zone: ZoneInfo) -> None:
    """The submitted version in full; an amendment as its reason and, field by field, what
    it changed (was, now)."""
    if pdf.will_page_break(_VERSION_MIN_SPACE):
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FONT_FAMILY, "B", 11)
    kind = "the submitted record" if previous is None else "amendment"
    pdf.multi_cell(0, 6, f"Version {version.number}: {kind}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _row(pdf, "By", version.author)
    _row(pdf, "At", _when(version.at, zone, seconds=True))
    if previous is None:
        _fields(pdf, version.fields, session_start, zone)
        return
    _row(pdf, "Reason", version.reason or _NOT_RECORDED)
    changes = [(key, _shown(key, previous.fields, session_start, zone), _shown(key, version.fields, session_start, zone)) for key, _, _ in _FIELDS]
    changed = [(key, was, now) for key, was, now in changes if was != now]
    if not changed:
        _paragraph(pdf, "No printed field changed.")
    for key, was, now in changed:
        _row(pdf, _LABELS[key], f"was: {was}\nnow: {now}")


def _shown(key: str, fields: Mapping[str, Any], session_start: datetime, zone: ZoneInfo) -> str:
    value = fields.get(key)
    if key == "went_ahead":
        return _NOT_RECORDED if value is None else ("Yes" if value else "No")
    if key == "not_ahead_reason":
        if fields.get("went_ahead") and not value:
            return "Not applicable"
        return str(value).replace("_", " ") if value else _NOT_RECORDED
    if key in ("arrived_at", "left_at"):
        if not value:
            return _NOT_RECORDED
        who = _attendees(fields.get("attendees"), empty="")
        verb = "arrived" if key == "arrived_at" else "left"
        return f"{who} {verb} at {_time_on(value, session_start, zone)}" if who else _time_on(value, session_start, zone)
    if key == "attendees":
        return _attendees(value)
    return _NOT_RECORDED if value is None or str(value).strip() == "" else str(value)


def _fields(pdf: _Pdf, fields: Mapping[str, Any], session_start: datetime, zone: ZoneInfo) -> None:
    for key, label, narrative in _FIELDS:
        shown = _shown(key, fields, session_start, zone)
        if narrative:
            if pdf.will_page_break(_LINE + _NARRATIVE_MIN_SPACE):
                pdf.add_page()
            pdf.set_font(FONT_FAMILY, "B", _BODY_SIZE)
            pdf.multi_cell(0, _LINE, label, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            _paragraph(pdf, shown)
        else:
            _row(pdf, label, shown)


# --- the bundle's own sections ---------------------------------------------------------------


def _cover(pdf: _Pdf, bundle: PdfBundle, issue: Issue, period: str) -> None:
    pdf.ln(20)
    pdf.set_font(FONT_FAMILY, "B", 18)
    pdf.multi_cell(0, 10, _text(issue.organisation), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT_FAMILY, "B", 15)
    pdf.multi_cell(0, 8, BUNDLE_TITLE, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(8)
    _row(pdf, "Child", bundle.child_first_name)
    _row(pdf, "Reference", bundle.reference)
    _row(pdf, "Period", period)
    _row(pdf, "Session records", str(len(bundle.records)))
    _row(pdf, "Produced", _when(issue.produced_at, pdf.zone, seconds=True))
    _row(pdf, "Content SHA-256", issue.content_hash)
    pdf.ln(6)
    _paragraph(pdf, (
        "This bundle holds every session record submitted for the arrangement in the period, in date order, each with "
        "its amendment history; then a summary of attendance, and the breaches of the written agreement and the "
        "suspensions and restrictions of contact. Adults are named by their relationship to the child and the child by "
        "first name; no address is printed. A copy can be checked against the service's own record of what it "
        "produced: POST the PDF to /api/v1/documents/verify."
    ))
    for note in bundle.notes:
        _paragraph(pdf, note)


def _index(pdf: FPDF, outline: Sequence[Any]) -> None:
    pdf.set_xy(pdf.l_margin, pdf.t_margin)
    pdf.set_font(FONT_FAMILY, "B", 15)
    pdf.multi_cell(0, 8, "Index", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for section in outline:
        pdf.set_font(FONT_FAMILY, "B" if section.level == 0 else "", _BODY_SIZE)
        indent = 6.0 * section.level
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(width - indent - 20, _LINE + 1, _text(section.name), align="L")
        pdf.cell(20, _LINE + 1, str(section.page_number), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _attendance(pdf: _Pdf, bundle: PdfBundle) -> None:
    _heading(pdf, "2. Attendance summary")
    held = sum(1 for s in bundle.sessions if s.held)
    _row(pdf, "Sessions in the period", str(len(bundle.sessions)))
    _row(pdf, "Held", str(held))
    _row(pdf, "Not held", str(len(bundle.sessions) - held))
    reasons: dict[str, int] = {}
    for s in bundle.sessions:
        if not s.held:
            reasons[s.why_not or "Not recorded"] = reasons.get(s.why_not or "Not recorded", 0) + 1
    for why, count in sorted(reasons.items()):
        _row(pdf, "Not held because", f"{why}: {count}")
    if bundle.late_cancellations:
        for who, count in bundle.late_cancellations:
            _row(pdf, "Late cancellations", f"{who}: {count}")
    else:
        _row(pdf, "Late cancellations", "None")
    if bundle.sessions:
        pdf.ln(2)
        pdf.set_font(FONT_FAMILY, "B", _BODY_SIZE)
        pdf.multi_cell(0, _LINE, "Each session", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for s in bundle.sessions:
            local = _local(s.starts_at, pdf.zone)
            _row(pdf, f"{_day(local)}, {local:%H:%M}", "Held" if s.held else f"Not held: {s.why_not or _NOT_RECORDED}")


def _breaches(pdf: _Pdf, breaches: Sequence[PdfBreach]) -> None:
    _heading(pdf, "3. Breaches of the written agreement")
    if not breaches:
        _paragraph(pdf, "None recorded in the period.")
    for breach in breaches:
        pdf.ln(1)
        _row(pdf, "When", _when(breach.occurred_at, pdf.zone))
        _row(pdf, "Severity", breach.severity.replace("_", " "))
        _row(pdf, "Recorded by", breach.recorded_by)
        _row(pdf, "What happened", breach.description)
        if breach.suspended:
            _row(pdf, "Outcome", "Contact was suspended (R-52)")


def _restrictions(pdf: _Pdf, restrictions: Sequence[PdfRestriction]) -> None:
    _heading(pdf, "4. Suspensions and restrictions")
    if not restrictions:
        _paragraph(pdf, "None in the period.")
    for r in restrictions:
        pdf.ln(1)
        _row(pdf, "Kind", r.kind.replace("_", " ") + (" (emergency)" if r.emergency else ""))
        _row(pdf, "From", _day(r.starts_on) + (f" to {_day(r.ends_on)}" if r.ends_on else ", until lifted"))
        _row(pdf, "Authorised by", f"{r.authorised_by}, {_when(r.authorised_at, pdf.zone, seconds=True)}")
        _row(pdf, "Reason", r.reason)


# --- blocks ------------------------------------------------------------------------------------


def _heading(pdf: FPDF, text: str, keep: float = _NARRATIVE_MIN_SPACE, small: bool = False) -> None:
    """A section heading, kept on one page with at least `keep` millimetres of what
    follows."""
    if pdf.will_page_break(12 + keep):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, "B", 11 if small else 13)
    pdf.multi_cell(0, 7, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y()
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.ln(1.5)


def _row(pdf: FPDF, label: str, value: str) -> None:
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
    _lines(pdf, _text(value), pdf.l_margin + _LABEL_WIDTH)
    if pdf.page == page:
        pdf.set_y(max(pdf.get_y(), y + _LINE * len(label_lines)))
    pdf.ln(0.8)


def _paragraph(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT_FAMILY, "", _BODY_SIZE)
    _lines(pdf, _text(text), pdf.l_margin)
    pdf.ln(1.5)


def _lines(pdf: FPDF, text: str, x: float) -> None:
    """Text wrapped at word boundaries between `x` and the right margin, a line per cell,
    breaking pages as it goes. fpdf2's `multi_cell` measures the line again for every
    character it adds, which made a year's court bundle (2 million characters) take
    20 seconds; here each distinct word is measured once (bench/bundle.py)."""
    width = pdf.w - pdf.r_margin - x
    for line in _wrap(pdf, text, width):
        if pdf.will_page_break(_LINE):
            pdf.add_page()
        pdf.set_x(x)
        pdf.cell(width, _LINE, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    measured: dict[str, float] = {}

    def measure(word: str) -> float:
        found = measured.get(word)
        if found is None:
            found = measured[word] = pdf.get_string_width(word)
        return found

    space = measure(" ")
    out: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            size = measure(word)
            if size > width:  # a word wider than the column: break it by characters
                if line:
                    out.append(" ".join(line))
                    line, used = [], 0.0
                piece = ""
                for char in word:
                    if piece and measure(piece + char) > width:
                        out.append(piece)
                        piece = ""
                    piece += char
                line, used = [piece], measure(piece)
                continue
            if line and used + space + size > width:
                out.append(" ".join(line))
                line, used = [word], size
            else:
                used += (space if line else 0.0) + size
                line.append(word)
        out.append(" ".join(line))
    return out


# --- text and time -----------------------------------------------------------------------------


def _text(value: Any) -> str:
    """Printable text: newlines normalised, tabs as spaces, control characters dropped."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _CONTROL.sub("", text)


def _attendees(value: Any, empty: str = "Nobody recorded") -> str:
    if not value:
        return empty
    if isinstance(value, str):
        return value
    labels = [str(label).replace("_", " ") for label in value]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _instant(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC)  # instants are UTC
    return value


def _local(value: datetime | str, zone: ZoneInfo) -> datetime:
    return _instant(value).astimezone(zone)


def _day(value: date) -> str:
    """"Tuesday 14 July 2026", of a day or of a local instant."""
    return f"{value:%A} {value.day} {value:%B %Y}"


def _clock(local: datetime, seconds: bool = False) -> str:
    return f"{local:%H:%M:%S} {local.tzname()}" if seconds else f"{local:%H:%M} {local.tzname()}"


def _when(value: datetime | str, zone: ZoneInfo, seconds: bool = False) -> str:
    """"Tuesday 14 July 2026, 10:05 BST" (or 10:05:07 BST)."""
    local = _local(value, zone)
    return f"{_day(local)}, {_clock(local, seconds)}"


def _duration(delta: Any) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    parts = ([f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []) + [f"{minutes} minute{'s' if minutes != 1 else ''}"]
    return " ".join(parts)


def _session_time(starts: datetime, ends: datetime, zone: ZoneInfo) -> str:
    start, end = _local(starts, zone), _local(ends, zone)
    if start.date() != end.date():
        return f"{_when(start, zone)} to {_when(end, zone)}"
    if start.tzname() != end.tzname():  # the clocks change during the session
        return f"{_day(start)}, {_clock(start)} to {_clock(end)}"
    return f"{_day(start)}, {start:%H:%M} to {end:%H:%M} {start.tzname()}"


def _time_on(value: datetime | str, session_start: datetime, zone: ZoneInfo) -> str:
    """A time alone when it falls on the session's local date, else with its date."""
    local = _local(value, zone)
    if local.date() == _local(session_start, zone).date():
        return _clock(local)
    return _when(local, zone)

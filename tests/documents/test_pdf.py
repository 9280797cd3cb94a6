"""R-45: a session record as a court-ready PDF with its amendment history (R-44), read back
with pypdf. R-08: nothing reaches the document that was not passed in for it."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app.documents import pdf as pdf_module
from app.documents.pdf import (
    Issue, PdfBreach, PdfBundle, PdfRecord, PdfRestriction, PdfSessionLine, PdfVersion, render_bundle, render_record,
)

REFERENCE = "CSR-2026-6E3F2C74"
SENTENCE = "Zoë showed Łukasz her drawing of the garden and Siân helped her tidy the paints away. "
LONG_OBSERVATION = (SENTENCE * (20_000 // len(SENTENCE) + 1))[:19_991] + " END-OBS."
assert len(LONG_OBSERVATION) == 20_000


def _fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "went_ahead": True,
        "not_ahead_reason": None,
        "arrived_at": datetime(2026, 7, 14, 9, 2, tzinfo=UTC),
        "left_at": datetime(2026, 7, 14, 10, 58, tzinfo=UTC),
        "attendees": ["mum", "dad"],
        "observations": LONG_OBSERVATION,
        "child_views": "Zoë said she wants to see Łukasz more often.",
        "parent_views": "Łukasz (dad) asked for longer sessions.",
        "incidents": None,
    }
    fields.update(overrides)
    return fields


VERSIONS = (
    PdfVersion(
        number=1,
        author="Jo Bennett, Contact Support Worker",
        at=datetime(2026, 7, 14, 13, 0, tzinfo=UTC),
        reason=None,
        fields=_fields(),
    ),
    PdfVersion(
        number=2,
        author="Team leader (tl-21b9)",
        at=datetime(2026, 7, 15, 8, 30, 12, tzinfo=UTC),
        reason="Arrival time corrected from the centre's signing-in sheet",
        fields=_fields(arrived_at=datetime(2026, 7, 14, 9, 7, tzinfo=UTC)),
    ),
    PdfVersion(
        number=3,
        author="Jo Bennett, Contact Support Worker",
        at=datetime(2026, 7, 16, 16, 45, tzinfo=UTC),
        reason="Added Siân's comment on leaving",
        fields=_fields(
            arrived_at=datetime(2026, 7, 14, 9, 7, tzinfo=UTC),
            incidents="Siân (sister) became upset at handover; settled within ten minutes.",
        ),
    ),
)

JULY = PdfRecord(
    reference=REFERENCE,
    session_starts_at=datetime(2026, 7, 14, 9, 0, tzinfo=UTC),  # 10:00 BST
    session_ends_at=datetime(2026, 7, 14, 11, 0, tzinfo=UTC),
    venue="Mansfield Contact Centre – Garden room",
    child_first_name="Zoë",
    worker="Jo Bennett, Contact Support Worker",
    submitted_at=datetime(2026, 7, 14, 13, 0, tzinfo=UTC),
    due_at=datetime(2026, 7, 14, 8, 30, tzinfo=UTC),  # submitted 4 hours 30 minutes after
    late=True,
    versions=VERSIONS,
)

JANUARY = PdfRecord(
    reference="CSR-2026-0A1B2C3D",
    session_starts_at=datetime(2026, 1, 13, 10, 0, tzinfo=UTC),  # 10:00 GMT
    session_ends_at=datetime(2026, 1, 13, 12, 0, tzinfo=UTC),
    venue="Mansfield Contact Centre – Garden room",
    child_first_name="Zoë",
    worker="Jo Bennett, Contact Support Worker",
    submitted_at=datetime(2026, 1, 13, 12, 30, tzinfo=UTC),
    due_at=datetime(2026, 1, 14, 12, 0, tzinfo=UTC),
    late=False,
    versions=(
        PdfVersion(
            number=1,
            author="Jo Bennett, Contact Support Worker",
            at=datetime(2026, 1, 13, 12, 30, tzinfo=UTC),
            reason=None,
            fields=_fields(
                arrived_at=datetime(2026, 1, 13, 10, 5, tzinfo=UTC),
                left_at=datetime(2026, 1, 13, 11, 55, tzinfo=UTC),
                observations="A calm session.",
            ),
        ),
    ),
)


HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
ISSUE = Issue("Nottinghamshire County Council", datetime(2026, 7, 20, 9, 15, 42, tzinfo=UTC), HASH)

# Records hold dicts (not hashable): cache renders by identity, keeping the record alive.
_rendered: dict[int, tuple[PdfRecord, bytes, tuple[str, ...]]] = {}


def _render_once(record: PdfRecord) -> tuple[bytes, tuple[str, ...]]:
    if id(record) not in _rendered:
        data = render_record(record, ISSUE)
        pages = tuple(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        _rendered[id(record)] = (record, data, pages)
    _, data, pages = _rendered[id(record)]
    return data, pages


def _pdf(record: PdfRecord) -> bytes:
    return _render_once(record)[0]


def _pages(record: PdfRecord) -> tuple[str, ...]:
    return _render_once(record)[1]


def _text(record: PdfRecord) -> str:
    return "\n".join(_pages(record))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_r45_renders_a_valid_pdf_titled_with_the_reference() -> None:
    data = _pdf(JULY)
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata is not None
    assert reader.metadata.title == f"Supervised contact session record {REFERENCE}"
    # Deterministic: the creation date is the production time given, not the clock.
    assert reader.metadata.creation_date == datetime(2026, 7, 20, 9, 15, 42, tzinfo=UTC)


def test_r87_the_content_hash_is_in_the_metadata_and_every_footer() -> None:
    reader = PdfReader(io.BytesIO(_pdf(JULY)))
    assert reader.metadata["/Keywords"] == f"sha256:{HASH}"
    assert reader.metadata["/Author"] == "Nottinghamshire County Council"
    for page in _pages(JULY):
        assert HASH in page


def test_r87_title_language_and_bookmarks_for_screen_readers() -> None:
    data = _pdf(JULY)
    reader = PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 - a PDF boolean
    bundle = PdfReader(io.BytesIO(render_bundle(BUNDLE, ISSUE)))
    assert [o.title for o in bundle.outline if not isinstance(o, list)][:2] == ["1. Session records", "2. Attendance summary"]


def test_r45_same_record_renders_identical_bytes() -> None:
    assert render_record(JANUARY, ISSUE) == render_record(JANUARY, ISSUE)
    assert render_record(JULY, ISSUE) == _pdf(JULY)
    assert render_bundle(BUNDLE, ISSUE) == render_bundle(BUNDLE, ISSUE)


def test_r45_reference_authority_and_marking_on_every_page() -> None:
    pages = _pages(JULY)
    assert len(pages) > 1  # the long observations run over several pages
    for page in pages:
        assert REFERENCE in page and "Nottinghamshire County Council" in page
        assert page.count("OFFICIAL-SENSITIVE") >= 1


def test_r45_footer_numbers_pages_n_of_m() -> None:
    pages = _pages(JULY)
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
    assert "{nb}" not in _text(JULY)


def test_r87_session_details_staff_by_name_produced_at_and_the_statement() -> None:
    text = _squash(_text(JULY))
    assert "Issued by Nottinghamshire County Council. Produced Monday 20 July 2026, 10:15:42 BST." in text
    assert "Tuesday 14 July 2026, 10:00 to 12:00 BST" in text
    assert "Mansfield Contact Centre – Garden room" in text
    assert "Child Zoë" in text
    assert "Supervised by Jo Bennett, Contact Support Worker" in text
    assert "Submitted Tuesday 14 July 2026, 14:00:00 BST" in text
    assert "Submitted late Yes: 4 hours 30 minutes after it was due" in text
    assert "This record was made at the time by Jo Bennett, Contact Support Worker, who supervised the session" in text
    current = text[text.index("Current record") : text.index("Amendment history")]
    for label in (
        "Went ahead Yes",
        "Reason not held",
        "Attended mum and dad",
        "Arrived mum and dad arrived at 10:07 BST",  # the latest version's (amended) arrival, and who
        "Left mum and dad left at 11:58 BST",
        "Observations",
        "Child's views",
        "Parents' views",
        "Incidents and concerns Siân (sister) became upset at handover",
    ):
        assert label in current, label


def test_r87_each_amendment_shows_its_reason_author_time_to_the_second_and_only_what_changed() -> None:
    text = _squash(_text(JULY))
    history = text[text.index("Amendment history") :]
    positions = [history.index(f"Version {v.number}:") for v in VERSIONS]
    assert positions == sorted(positions)  # oldest first
    assert "Version 1: the submitted record" in history
    assert "Version 2: amendment" in history and "Version 3: amendment" in history
    assert "By Jo Bennett, Contact Support Worker" in history
    assert "By Team leader (tl-21b9)" in history  # not in the staff register: role and sub
    assert "Reason Arrival time corrected from the centre's signing-in sheet" in history
    assert "At Wednesday 15 July 2026, 09:30:12 BST" in history
    assert "At Thursday 16 July 2026, 17:45:00 BST" in history
    version2 = history[history.index("Version 2:") : history.index("Version 3:")]
    assert "Arrived was: mum and dad arrived at 10:02 BST now: mum and dad arrived at 10:07 BST" in version2
    assert "Observations" not in version2 and "Left" not in version2  # only what changed
    version3 = history[history.index("Version 3:") :]
    assert "Incidents and concerns was: Not recorded now: Siân (sister) became upset at handover" in version3
    assert "Arrived" not in version3


def test_r45_accented_names_intact() -> None:
    text = _text(JULY)
    for name in ("Zoë", "Łukasz", "Siân"):
        assert name in text
    assert "Zoë said she wants to see Łukasz more often." in _squash(text)


def test_r45_long_notes_page_break_without_losing_text() -> None:
    body = []
    for page in _pages(JULY):
        lines = page.splitlines()
        body.extend(line for line in lines if REFERENCE not in line and "OFFICIAL-SENSITIVE" not in line and HASH not in line)
    flat = re.sub(r"\s+", "", "".join(body))
    # The whole 20,000-character note in the current record and in the submitted version;
    # the amendments did not change it, so they do not repeat it.
    assert flat.count(re.sub(r"\s+", "", LONG_OBSERVATION)) == 2
    assert _text(JULY).count("END-OBS.") == 2


@pytest.mark.parametrize(
    ("record", "shown", "absent"),
    [
        (JULY, "10:00 to 12:00 BST", "GMT"),
        (JANUARY, "10:00 to 12:00 GMT", "BST"),
    ],
    ids=["july-bst", "january-gmt"],
)
def test_r45_local_times_with_zone_abbreviation(record: PdfRecord, shown: str, absent: str) -> None:
    text = _squash(_text(record))
    assert shown in text
    if record is JANUARY:  # produced in July (BST); everything of the session itself in GMT
        text = text.replace("10:15:42 BST", "")
    assert absent not in text


def test_r45_january_times_in_gmt() -> None:
    text = _squash(_text(JANUARY))
    assert "Tuesday 13 January 2026, 10:00 to 12:00 GMT" in text
    assert "mum and dad arrived at 10:05 GMT" in text
    assert "mum and dad left at 11:55 GMT" in text


def test_r45_submitted_late_only_when_late() -> None:
    assert "Submitted late" in _text(JULY)
    assert "Submitted late" not in _text(JANUARY)
    assert "Submitted late" in _text(replace(JANUARY, late=True))


def test_r45_prints_only_what_is_passed_in() -> None:
    """R-08: a key outside the record's fields (an address, say) never reaches the page."""
    leaky = replace(
        JANUARY,
        versions=tuple(
            replace(v, fields={**v.fields, "placement_address": "14 Withheld Road, NG18 1AA"})
            for v in JANUARY.versions
        ),
    )
    text = _text(leaky)
    assert "Withheld Road" not in text
    assert "NG18" not in text
    assert render_record(leaky, ISSUE) == _pdf(JANUARY)


def test_r45_did_not_go_ahead_shows_the_reason() -> None:
    record = replace(
        JANUARY,
        versions=(
            replace(
                JANUARY.versions[0],
                fields=_fields(
                    went_ahead=False,
                    not_ahead_reason="child_unwell",
                    arrived_at=None,
                    left_at=None,
                    attendees=[],
                    observations=None,
                ),
            ),
        ),
    )
    text = _squash(_text(record))
    assert "Went ahead No" in text
    assert "Reason not held child unwell" in text
    assert "Arrived Not recorded" in text


def test_r45_embeds_the_bundled_dejavu_font() -> None:
    fonts = Path(pdf_module.__file__).parent / "fonts"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE"):
        assert (fonts / name).is_file(), name
    assert "Bitstream Vera" in (fonts / "LICENSE").read_text(encoding="utf-8")
    reader = PdfReader(io.BytesIO(_pdf(JANUARY)))
    base_fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert base_fonts
    assert all("DejaVuSans" in name for name in base_fonts)
    data = _pdf(JANUARY)
    assert b"/FontFile2" in data  # embedded TrueType, not a standard PDF font


BUNDLE = PdfBundle(
    reference="CSB-2026-0B9C8D7E",
    child_first_name="Zoë",
    period_from=date(2026, 1, 1),
    period_to=date(2026, 7, 31),
    records=(JANUARY, JULY),
    sessions=(
        PdfSessionLine(JANUARY.session_starts_at, True, None),
        PdfSessionLine(datetime(2026, 3, 10, 10, 0, tzinfo=UTC), False, "cancelled by mum (late)"),
        PdfSessionLine(JULY.session_starts_at, True, None),
    ),
    late_cancellations=(("mum", 1),),
    breaches=(PdfBreach(datetime(2026, 7, 14, 9, 40, tzinfo=UTC), "ordinary", "Dad used his phone during the session.", "Jo Bennett, Contact Support Worker", False),),
    restrictions=(PdfRestriction("restrict", date(2026, 7, 20), None, False, "Phones handed in at reception.", "Priya Shah, Service Manager", datetime(2026, 7, 20, 8, 0, tzinfo=UTC)),),
)


def test_r87_the_bundle_has_a_cover_an_index_with_page_numbers_records_in_order_and_the_summaries() -> None:
    pages = [page for page in (p.extract_text() for p in PdfReader(io.BytesIO(render_bundle(BUNDLE, ISSUE))).pages)]
    cover = _squash(pages[0])
    for shown in ("Nottinghamshire County Council", "Court bundle: supervised contact", "Child Zoë", "Reference CSB-2026-0B9C8D7E",
                  "Period Thursday 1 January 2026 to Friday 31 July 2026", "Produced Monday 20 July 2026, 10:15:42 BST", HASH):
        assert shown in cover, shown
    index = _squash(pages[1])
    assert "Index" in index and "1. Session records" in index
    text = _squash("\n".join(pages))
    # Each index entry's page number is the page its section starts on.
    for title in ("1. Session records", "2. Attendance summary", "3. Breaches of the written agreement", "4. Suspensions and restrictions"):
        number = int(re.search(re.escape(title) + r" (\d+)", index).group(1))
        assert title in _squash(pages[number - 1]), (title, number)
    assert text.index(JANUARY.reference) < text.index(REFERENCE)  # date order
    attendance = text[text.index("2. Attendance summary Sessions") :]
    assert "Sessions in the period 3" in attendance and "Held 2" in attendance and "Not held 1" in attendance
    assert "Not held because cancelled by mum (late): 1" in attendance and "Late cancellations mum: 1" in attendance
    assert "Dad used his phone during the session." in text and "Recorded by Jo Bennett, Contact Support Worker" in text
    assert "Phones handed in at reception." in text and "Priya Shah, Service Manager" in text

"""R-45: a session record as a court-ready PDF with its amendment history (R-44), read back
with pypdf. R-08: nothing reaches the document that was not passed in for it."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app.records import pdf as pdf_module
from app.records.pdf import PdfRecord, PdfVersion, render

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
        author_sub="csw-7f3a",
        author_role="contact_support_worker",
        at=datetime(2026, 7, 14, 13, 0, tzinfo=UTC),
        reason=None,
        fields=_fields(),
    ),
    PdfVersion(
        number=2,
        author_sub="tl-21b9",
        author_role="team_leader",
        at=datetime(2026, 7, 15, 8, 30, tzinfo=UTC),
        reason="Arrival time corrected from the centre's signing-in sheet",
        fields=_fields(arrived_at=datetime(2026, 7, 14, 9, 7, tzinfo=UTC)),
    ),
    PdfVersion(
        number=3,
        author_sub="csw-7f3a",
        author_role="contact_support_worker",
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
    csw_sub="csw-7f3a",
    submitted_at=datetime(2026, 7, 14, 13, 0, tzinfo=UTC),
    late=True,
    versions=VERSIONS,
)

JANUARY = PdfRecord(
    reference="CSR-2026-0A1B2C3D",
    session_starts_at=datetime(2026, 1, 13, 10, 0, tzinfo=UTC),  # 10:00 GMT
    session_ends_at=datetime(2026, 1, 13, 12, 0, tzinfo=UTC),
    venue="Mansfield Contact Centre – Garden room",
    child_first_name="Zoë",
    csw_sub="csw-7f3a",
    submitted_at=datetime(2026, 1, 13, 12, 30, tzinfo=UTC),
    late=False,
    versions=(
        PdfVersion(
            number=1,
            author_sub="csw-7f3a",
            author_role="contact_support_worker",
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


# Records hold dicts (not hashable): cache renders by identity, keeping the record alive.
_rendered: dict[int, tuple[PdfRecord, bytes, tuple[str, ...]]] = {}


def _render_once(record: PdfRecord) -> tuple[bytes, tuple[str, ...]]:
    if id(record) not in _rendered:
        data = render(record)
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
    assert reader.metadata.title == REFERENCE
    # Deterministic: the creation date is the latest version's time, not the clock.
    assert reader.metadata.creation_date == datetime(2026, 7, 16, 16, 45, tzinfo=UTC)


def test_r45_same_record_renders_identical_bytes() -> None:
    assert render(JANUARY) == render(JANUARY)
    assert render(JULY) == _pdf(JULY)


def test_r45_reference_and_marking_on_every_page() -> None:
    pages = _pages(JULY)
    assert len(pages) > 1  # the long observations run over several pages
    for page in pages:
        assert REFERENCE in page
        assert page.count("OFFICIAL-SENSITIVE") >= 1


def test_r45_footer_numbers_pages_n_of_m() -> None:
    pages = _pages(JULY)
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
    assert "{nb}" not in _text(JULY)


def test_r45_session_details_and_current_record_labels() -> None:
    text = _squash(_text(JULY))
    assert "Tuesday 14 July 2026, 10:00 to 12:00 BST" in text
    assert "Mansfield Contact Centre – Garden room" in text
    assert "Child Zoë" in text
    assert "Contact support worker csw-7f3a" in text
    assert "Submitted Tuesday 14 July 2026, 14:00 BST" in text
    current = text[text.index("Current record") : text.index("Amendment history")]
    for label in (
        "Went ahead Yes",
        "Reason not held",
        "Arrived 10:07 BST",  # the latest version's (amended) arrival
        "Left 11:58 BST",
        "Attended mum, dad",
        "Observations",
        "Child's views",
        "Parents' views",
        "Incidents and concerns Siân (sister) became upset at handover",
    ):
        assert label in current, label


def test_r45_amendment_history_has_every_version_reason_and_author() -> None:
    text = _squash(_text(JULY))
    history = text[text.index("Amendment history") :]
    positions = [history.index(f"Version {v.number} (") for v in VERSIONS]
    assert positions == sorted(positions)  # oldest first
    assert "Version 1 (submitted record)" in history
    assert "Version 2 (amendment)" in history
    assert "By Contact support worker (csw-7f3a)" in history
    assert "By Team leader (tl-21b9)" in history
    assert "Reason Arrival time corrected from the centre's signing-in sheet" in history
    assert "Reason Added Siân's comment on leaving" in history
    assert "At Wednesday 15 July 2026, 09:30 BST" in history
    assert "At Thursday 16 July 2026, 17:45 BST" in history
    # Each version keeps its own fields: version 1's arrival as first recorded.
    assert "Arrived 10:02 BST" in history
    assert history.count("Arrived 10:07 BST") == 2


def test_r45_accented_names_intact() -> None:
    text = _text(JULY)
    for name in ("Zoë", "Łukasz", "Siân"):
        assert name in text
    assert "Zoë said she wants to see Łukasz more often." in _squash(text)


def test_r45_long_notes_page_break_without_losing_text() -> None:
    body = []
    for page in _pages(JULY):
        lines = page.splitlines()
        body.extend(line for line in lines if REFERENCE not in line and "OFFICIAL-SENSITIVE" not in line)
    flat = re.sub(r"\s+", "", "".join(body))
    # The whole 20,000-character note, in each of the three versions and the current record.
    assert flat.count(re.sub(r"\s+", "", LONG_OBSERVATION)) == 4
    assert _text(JULY).count("END-OBS.") == 4


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
    assert absent not in text


def test_r45_january_times_in_gmt() -> None:
    text = _squash(_text(JANUARY))
    assert "Tuesday 13 January 2026, 10:00 to 12:00 GMT" in text
    assert "Arrived 10:05 GMT" in text
    assert "Left 11:55 GMT" in text


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
    assert render(leaky) == _pdf(JANUARY)


def test_r45_did_not_go_ahead_shows_the_reason() -> None:
    record = replace(
        JANUARY,
        versions=(
            replace(
                JANUARY.versions[0],
                fields=_fields(
                    went_ahead=False,
                    not_ahead_reason="Mum did not arrive",
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
    assert "Reason not held Mum did not arrive" in text
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

"""R-42 with look-alike characters (issue 17, point 7): `app.freetext.normalise` and the
check that reads through it. Invisible characters, compatibility forms, Unicode spaces and
Latin look-alikes hide no name, address or postcode, and every span still points into the
text as it was written."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.freetext.anonymise import KnownPerson, check
from app.freetext.normalise import LATIN_TWINS, matching_text

PEOPLE = [KnownPerson("Amara", "Okafor", "child"), KnownPerson("Kemi", "Okafor", "mum"), KnownPerson("Darren", "Whitfield", "dad")]


def found(text: str, people: list[KnownPerson] = PEOPLE, **options) -> list[tuple[int, int, str, str]]:
    return [(f.start, f.end, f.text, f.kind) for f in check({"observations": text}, people, **options)]


# --- the matching text ------------------------------------------------------------------


def test_r42_ascii_text_is_its_own_matching_text() -> None:
    matching = matching_text("Amara Okafor, 12 Elm Road\tNG5 6AB\n")
    assert matching.text == "Amara Okafor, 12 Elm Road\tNG5 6AB\n"
    assert matching.span(6, 12) == (6, 12)


@pytest.mark.parametrize(
    ("original", "text"),
    [
        ("Ok\u200bafor", "Okafor"),  # zero-width space
        ("Ok\u200c\u200d\u2060\u00adafor", "Okafor"),  # joiners, word joiner, soft hyphen
        ("Ok\ufeffafor\ufe0f", "Okafor"),  # a BOM inside text, a variation selector
        ("NG5\u00a06AB", "NG5 6AB"),  # no-break space
        ("NG5\u202f6AB NG5\u20096AB NG5\u30006AB", "NG5 6AB NG5 6AB NG5 6AB"),  # narrow, thin, ideographic
        ("one\u2028two", "one\ntwo"),  # line separator
        ("\u0410mara \u041ekafor", "Amara Okafor"),  # Cyrillic capitals А and О
        ("\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501", "aeopcyxijsd"),  # Cyrillic small
        ("\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425", "ABEKMHOPCTX"),  # Cyrillic capitals
        ("\u03bf\u03b1\u03bd\u03c1", "oavp"),  # Greek ο α ν ρ
        ("\u0406saac \u0399saac", "Isaac Isaac"),  # Cyrillic and Greek capital I: "I", not UTS #39's "l"
        ("\uff2f\uff2b\uff21\uff26\uff2f\uff32", "OKAFOR"),  # full-width
        ("\U0001d40e\U0001d424\U0001d41a\U0001d41f\U0001d428\U0001d42b", "Okafor"),  # mathematical bold
        ("\ufb01sh", "fish"),  # a ligature becomes two letters
        ("Mo\u0302n", "M\u00f4n"),  # a combining mark composes
    ],
)
def test_r42_matching_text_folds_look_alikes(original: str, text: str) -> None:
    assert matching_text(original).text == text


@pytest.mark.parametrize("word", ["Ynys M\u00f4n", "Zo\u00eb", "Siobh\u00e1n", "\u0141\u00f3d\u017a", "Stra\u00dfe", "caf\u00e9 \U0001f600 \u201chi\u201d \u2018yes\u2019"])
def test_r42_letters_with_diacritics_emoji_and_quotes_are_kept(word: str) -> None:
    assert matching_text(word).text == unicodedata.normalize("NFC", word)


def test_r42_latin_twins_come_from_unicode_confusables_and_are_single_ascii_letters() -> None:
    assert len(LATIN_TWINS) > 100
    assert all(len(t) == 1 and t.isascii() and t.isalpha() for t in LATIN_TWINS.values())
    assert all(not c.isascii() and unicodedata.normalize("NFKC", c) == c for c in LATIN_TWINS)
    assert "\u00f4" not in LATIN_TWINS and "\u00eb" not in LATIN_TWINS  # ô and ë are letters of their own


def test_r42_a_span_of_the_matching_text_covers_what_it_came_from() -> None:
    matching = matching_text("Mrs Ok\u200bafor\u00a0and \ufb01sh")
    assert matching.text == "Mrs Okafor and fish"
    assert matching.span(4, 10) == (4, 11)  # the zero-width space is inside the span
    assert matching.span(15, 16) == (16, 17)  # half a ligature is the whole ligature
    assert matching.span(16, 19) == (16, 19)


# Characters that change, vanish or expand, mixed with plain ones.
_TRICKY = st.sampled_from(
    list("Okafor Amara NG5 6AB 12 Elm Road\n\t,.'’-")
    + ["\u200b", "\u200d", "\u00ad", "\ufeff", "\ufe0f", "\u00a0", "\u202f", "\u2028", "\u0301", "\u0302", "\ufb01", "\u2163"]
    + ["\u0430", "\u043e", "\u041e", "\u0406", "\u03bf", "\uff2f", "\U0001d41a", "\U0001f600", "\u00f4", "\u00df", "\u0130"]
)
_TEXT = st.lists(st.one_of(_TRICKY, st.characters(codec="utf-8")), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_r42_offset_map_round_trips(original: str) -> None:
    """Each character of the matching text came from one run of the original; the runs are in
    order, do not overlap, and each folds on its own to exactly the characters mapped to it."""
    matching = matching_text(original)
    if original.isascii():
        assert matching.text == original
        return
    assert len(matching.starts) == len(matching.ends) == len(matching.text)
    runs: dict[tuple[int, int], str] = {}
    previous_end = 0
    for i, char in enumerate(matching.text):
        start, end = matching.starts[i], matching.ends[i]
        assert 0 <= start < end <= len(original)
        if (start, end) not in runs:
            assert start >= previous_end
            previous_end = end
        runs[(start, end)] = runs.get((start, end), "") + char
    for (start, end), text in runs.items():
        assert matching_text(original[start:end]).text == text


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_r42_every_finding_slices_the_original_text(original: str) -> None:
    for finding in check({"observations": original}, PEOPLE, withheld_address="12 Elm Road, Arnold, NG5 6AB"):
        assert 0 <= finding.start < finding.end <= len(original)
        assert finding.text == original[finding.start : finding.end]


def _disguise(draw: st.DrawFn, name: str) -> str:
    """`name` with look-alikes for some letters, a zero-width character here and there and any
    Unicode space between its parts."""
    look_alikes: dict[str, list[str]] = {}
    for char, twin in LATIN_TWINS.items():
        look_alikes.setdefault(twin, []).append(char)
    out = []
    for char in name:
        if char == " ":
            out.append(draw(st.sampled_from([" ", "\u00a0", "\u202f", "\u2009", "\u3000", "  "])))
            continue
        choices = [char, chr(ord(char) + 0xFEE0)] + look_alikes.get(char, [])  # full-width forms too
        out.append(draw(st.sampled_from(choices)))
        out.append(draw(st.sampled_from(["", "", "\u200b", "\u200c", "\u00ad", "\u2060"])))
    return "".join(out).rstrip("\u200b\u200c\u00ad\u2060")


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_r42_a_disguised_full_name_is_found_and_its_span_is_the_disguise(data: st.DataObject) -> None:
    disguised = _disguise(data.draw, data.draw(st.sampled_from(["Kemi Okafor", "Darren Whitfield", "Amara Okafor"])))
    before = data.draw(st.sampled_from(["", "Today ", "Mum said \u201c", "\U0001f600 "]))
    text = f"{before}{disguised} came at 10:30."
    [finding] = check({"observations": text}, PEOPLE)
    assert (finding.start, finding.end, finding.text, finding.kind) == (len(before), len(before) + len(disguised), disguised, "name")


# --- the check on bad input ---------------------------------------------------------------


def test_r42_issue_17_look_alikes_are_found() -> None:
    assert found("Ok\u200bafor was late.") == [(0, 7, "Ok\u200bafor", "name")]
    assert found("Lives at NG5\u00a06AB.") == [(9, 16, "NG5\u00a06AB", "postcode")]
    assert found("\u0410mara Okafor was happy.") == [(0, 12, "\u0410mara Okafor", "name")]


def test_r42_the_withheld_address_is_found_through_look_alikes_and_may_carry_them_itself() -> None:
    assert found("she went to 12 Elm\u00a0R\u043ead", withheld_address="12 Elm Road, Arnold") == [(12, 23, "12 Elm\u00a0R\u043ead", "address")]
    assert found("she went to 12 elm road", withheld_address="12 Elm\u00a0Road, Arnold") == [(12, 23, "12 elm road", "address")]


def test_r42_a_known_name_written_with_look_alikes_is_found_written_plainly() -> None:
    people = [KnownPerson("Kemi", "Ok\u200b\u0430for", "mum")]
    assert found("Kemi Okafor left.", people) == [(0, 11, "Kemi Okafor", "name")]
    assert check({"o": "Kemi Okafor left."}, people)[0].suggestion == "mum"


@pytest.mark.parametrize("text", ["", " ", "   \n\t ", "\u00a0\u200b", "\u200b"])
def test_r42_an_empty_or_blank_note_has_no_findings(text: str) -> None:
    assert found(text) == []


def test_r42_emoji_smart_quotes_no_break_spaces_and_welsh_places_do_not_stop_the_check() -> None:
    text = "Amara \U0001f600 said \u201cOkafor\u2019s dog\u201d barked at Ynys M\u00f4n, by\u00a0Fford\u00a0y\u00a0Llan. Mo\u0302n NG5\u00a06AB \U0001f468\u200d\U0001f469\u200d\U0001f467"
    kinds = [(t, k) for _, _, t, k in found(text) if k in ("name", "postcode", "address")]
    assert kinds == [("Okafor", "name"), ("NG5\u00a06AB", "postcode")]


# --- known names written without their accents, run together or in another family form -----

FAMILY = [
    KnownPerson("Zo\u00eb", "Bront\u00eb", "child"),
    KnownPerson("Si\u00e2n", "\u00d3 S\u00failleabh\u00e1in", "mum"),
    KnownPerson("Tomasz", "Wi\u015bniewski", "grandparent", "dziadek"),
    KnownPerson("Jo", "St John", "sibling"),
    KnownPerson("Aoife", "McDonald", "foster_carer"),
    KnownPerson("Darren", "Whitfield", "dad"),
    KnownPerson("Jana", "Nov\u00e1kov\u00e1", "other", "aunt"),
    KnownPerson("Rokas", "Kazlauskas", "other", "uncle"),
]


@pytest.mark.parametrize(
    ("text", "name", "suggestion"),
    [
        ("Zoe Bronte arrived at 10.", "Zoe Bronte", "Zo\u00eb"),  # accents dropped on a tablet
        ("Zo\u00eb Bronte arrived at 10.", "Zo\u00eb Bronte", "Zo\u00eb"),  # some of them
        ("Mrs Bronte rang.", "Mrs Bronte", "Zo\u00eb"),
        ("Sian O Suilleabhain came.", "Sian O Suilleabhain", "mum"),
        ("Ms O'S\u00failleabh\u00e1in came.", "Ms O'S\u00failleabh\u00e1in", "mum"),  # an apostrophe for the space
        ("Mr Wisniewski waved.", "Mr Wisniewski", "dziadek"),
        ("Mrs Wi\u015bniewska waved.", "Mrs Wi\u015bniewska", "dziadek"),  # the Polish feminine form
        ("Jo St. John came.", "Jo St. John", "sibling"),
        ("Jo Saint John came.", "Jo Saint John", "sibling"),
        ("Aoife Mc Donald came.", "Aoife Mc Donald", "foster carer"),
        ("Darren W said he would ring.", "Darren W", "dad"),  # an initial without its full stop
        ("Mr Novak came too.", "Mr Novak", "aunt"),  # the Czech masculine form of Nov\u00e1kov\u00e1
        ("Mrs Kazlauskien\u0117 rang.", "Mrs Kazlauskien\u0117", "uncle"),  # the Lithuanian married form
    ],
)
def test_r42_a_known_name_is_found_without_its_accents_spaced_otherwise_or_in_its_family_form(text: str, name: str, suggestion: str) -> None:
    findings = check({"observations": text}, FAMILY)
    assert [(f.text, f.kind, f.suggestion) for f in findings] == [(name, "name", suggestion)]
    assert text[findings[0].start : findings[0].end] == name


@pytest.mark.parametrize("text", ["Darren I think was tired.", "Kyle A bit late.", "Mr Whitfieldson came."])
def test_r42_an_initial_that_is_a_word_and_a_longer_surname_are_no_known_name(text: str) -> None:
    people = [KnownPerson("Darren", "Ingham", "dad"), KnownPerson("Kyle", "Ahmed", "other"), KnownPerson("Amy", "Whitfield", "mum")]
    assert [f for f in check({"observations": text}, people) if f.kind == "name"] == []

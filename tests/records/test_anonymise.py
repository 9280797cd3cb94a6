"""R-42 anonymised notes (003 s10): the rules of `app.freetext.anonymise.check`, one case
each, and precision and recall over a labelled corpus of session notes
(`corpus.jsonl`; run with `-s` to see the figures)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from app.freetext.anonymise import Finding, KnownPerson, check

CORPUS = Path(__file__).with_name("corpus.jsonl")

PEOPLE = [
    KnownPerson("Amelia", "Whitfield", "child"),
    KnownPerson("Darren", "Whitfield", "dad"),
    KnownPerson("Kemi", "Okafor", "mum"),
    KnownPerson("Siobhan", "O'Brien", "grandparent", "nan"),
    KnownPerson("Zofia", "Smith-Jones", "foster_carer"),
    KnownPerson("Trevor", "Nowak", "former_carer"),
    KnownPerson("Jayden", "Pryce", "sibling"),
    KnownPerson("Ngozi", "Eze", "other", "aunt"),
    KnownPerson("Liam", "Green", "other", "uncle"),
]


def found(text: str, people: list[KnownPerson] = PEOPLE) -> list[tuple[str, str]]:
    return [(f.text, f.kind) for f in check({"observations": text}, people)]


def one(text: str, people: list[KnownPerson] = PEOPLE) -> Finding:
    findings = check({"observations": text}, people)
    assert len(findings) == 1, findings
    return findings[0]


# --- names ---------------------------------------------------------------------------


def test_r42_full_name_is_one_finding_with_the_relationship_as_suggestion() -> None:
    finding = one("Kemi Okafor arrived at 10:30.")
    assert (finding.start, finding.end, finding.text, finding.kind, finding.suggestion) == (0, 11, "Kemi Okafor", "name", "mum")


def test_r42_full_name_in_any_case() -> None:
    assert found("kemi OKAFOR arrived") == [("kemi OKAFOR", "name")]


def test_r42_full_name_with_extra_spaces_or_a_line_break_between_the_parts() -> None:
    assert found("Kemi   Okafor and Darren\nWhitfield signed") == [("Kemi   Okafor", "name"), ("Darren\nWhitfield", "name")]


def test_r42_surname_alone_is_a_finding() -> None:
    assert found("Okafor said she was tired") == [("Okafor", "name")]


def test_r42_title_is_part_of_the_finding() -> None:
    finding = one("Amelia ran to Mrs Okafor.")
    assert (finding.text, finding.suggestion) == ("Mrs Okafor", "mum")


def test_r42_possessive_surname_is_a_finding_without_the_s() -> None:
    assert found("Whitfield's car broke down") == [("Whitfield", "name")]
    assert found("O’Brien’s flat") == [("O’Brien", "name")]


def test_r42_family_plural_is_a_finding() -> None:
    assert found("all the Whitfields came") == [("Whitfield", "name")]


def test_r42_initial_and_surname_with_or_without_a_full_stop() -> None:
    assert found("D. Whitfield phoned") == [("D. Whitfield", "name")]
    assert found("D Whitfield phoned") == [("D Whitfield", "name")]
    assert one("D Whitfield phoned").suggestion == "dad"


def test_r42_first_name_and_initial_of_the_surname() -> None:
    assert found("Kemi O. gave her a card") == [("Kemi O.", "name")]


def test_r42_hyphens_and_apostrophes_in_names_are_optional() -> None:
    assert found("Zofia Smith Jones and siobhan obrien") == [("Zofia Smith Jones", "name"), ("siobhan obrien", "name")]


def test_r42_surname_must_be_a_whole_word() -> None:
    assert found("Nowakowski and Ezekiel were mentioned") == []


def test_r42_child_is_suggested_by_first_name() -> None:
    assert one("Amelia Whitfield was happy").suggestion == "Amelia"


def test_r42_adult_suggestions_use_the_relationship_or_the_label() -> None:
    suggestions = [f.suggestion for f in check({"a": "Zofia Smith-Jones, Trevor Nowak, Jayden Pryce, Ngozi Eze, Siobhan O'Brien"}, PEOPLE)]
    assert suggestions == ["foster carer", "former carer", "sibling", "aunt", "nan"]


def test_r42_shared_surname_alone_suggests_everyone_who_has_it() -> None:
    assert one("Whitfield was late").suggestion == "Amelia or dad"


def test_r42_childs_first_name_alone_is_not_a_finding() -> None:
    assert found("Amelia played with Amelia's doll") == []


def test_r42_adults_first_names_alone_are_not_findings() -> None:
    assert found("Kemi and Darren both came; Siobhan waited outside") == []


def test_r42_relationship_words_are_not_findings() -> None:
    assert found("Mum, Dad, Nan, the foster carer and her aunt and uncle all came") == []


def test_r42_surname_that_is_an_ordinary_word_counts_only_as_a_name() -> None:
    assert found("She wore a green coat and played on the green") == []
    assert found("Mr Green came, then green arrived; Green left") == [("Mr Green", "name"), ("Green", "name")]


def test_r42_overlapping_findings_are_merged() -> None:
    findings = check({"a": "Mrs Kemi Okafor"}, PEOPLE)
    assert [(f.text, f.kind) for f in findings] == [("Mrs Kemi Okafor", "name")]


def test_r42_no_people_means_no_name_findings() -> None:
    assert found("Kemi Okafor came", people=[]) == []


# --- addresses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "14 Elm Road",
        "27a beechwood avenue",
        "88 Mansfield Rd",
        "56 Trent St",
        "5 Queen's Drive",
        "8 St Mary's Road",
        "2 Ashfield Terrace",
        "17 Lark Rise",
        "6 The Mews",
        "3 The Green",
        "21 Kingfisher Way",
        "4 Bramble Court",
        "10 Victoria Square",
        "7 Orchard Gardens",
        "19 Windmill Hill",
        "25 Chapel Row",
        "11 Meadow Walk",
        "2 Sycamore Crescent",
        "9 Hawthorn Close",
        "33 Coppice Grove",
        "40 Sefton Park",
        "12 Mill Lane",
        "3 Park Road",
    ],
)
def test_r42_house_number_and_street_is_an_address(address: str) -> None:
    finding = one(f"Mum now lives at {address} with her sister.")
    assert (finding.text, finding.kind, finding.suggestion) == (address, "address", "the placement")


@pytest.mark.parametrize("flat", ["Flat 3", "flat 3b", "Apartment 12", "FLAT 7"])
def test_r42_flat_number_is_an_address(flat: str) -> None:
    assert found(f"She moved into {flat} last week") == [(flat, "address")]


def test_r42_flat_and_street_are_one_finding() -> None:
    assert found("Dad lives at Flat 3, 12 Mill Lane now") == [("Flat 3, 12 Mill Lane", "address")]


@pytest.mark.parametrize("street", ["Oakfield Close", "Sherwood Avenue", "Park Road", "Church St", "Alfreton Road", "Kingfisher Way"])
def test_r42_named_street_without_a_number_is_an_address(street: str) -> None:
    assert found(f"Dad is staying with a friend on {street} for now") == [(street, "address")]


def test_r42_address_suggestion_describes_the_place() -> None:
    assert one("Her school is at 4 Church Hill").suggestion == "school"
    assert one("He works at 9 Canal Street").suggestion == "work"
    assert one("She stays at mum's, 3 The Green").suggestion == "mum's home"
    assert one("Dropped off at 3 The Green").suggestion == "the placement"


@pytest.mark.parametrize(
    "text",
    [
        "Christmas Day at Tesco, then McDonald's on Monday",
        "Mum came from the Bus Station",
        "Contact was in room 2 for 2 hours",
        "Amelia asked 3 times; started at 10:30 and ended at 12:30",
        "We walked 2 miles down the road to the park",
        "The hearing is at the Family Court; Nottingham Family Court on Monday",
        "She watched Sesame Street and Coronation Street and ate a Milky Way",
        "Stuck on the M1 motorway, coloured on A4 paper, Year 3, PS5",
        "The ball went flat after 10 minutes; her new flat is ready",
        "Bought trainers on the High Street",
        "Tesco St Albans had the cake",
        "Sang Row, Row, Row Your Boat",
        "a 20 minute drive, 2 hands close, came 3rd in the race on Saturday 14th",
    ],
)
def test_r42_ordinary_words_times_and_counts_are_not_findings(text: str) -> None:
    assert found(text) == []


# --- postcodes -----------------------------------------------------------------------


@pytest.mark.parametrize("postcode", ["NG5 6AB", "ng56ab", "SW1A 1AA", "M1 1AE", "B33 8TH", "ng7  2rd", "w1a 0ax", "EC1A 1BB", "DN55 1PT"])
def test_r42_postcode_in_any_case_and_spacing(postcode: str) -> None:
    finding = one(f"postcode is {postcode}.")
    assert (finding.text, finding.kind, finding.suggestion) == (postcode, "postcode", "[postcode removed]")


def test_r42_address_and_postcode_are_separate_findings() -> None:
    assert found("14 Elm Road, NG5 6AB") == [("14 Elm Road", "address"), ("NG5 6AB", "postcode")]


def test_r42_times_and_codes_are_not_postcodes() -> None:
    assert found("at 2pm, a1 2pm, room B2 3am, size 10 2pm, NG5 on its own") == []


# --- shape ---------------------------------------------------------------------------


def test_r42_findings_ordered_by_field_then_start_and_empty_fields_skipped() -> None:
    findings = check({"z": "Okafor then NG5 6AB", "a": "Flat 2", "m": None, "e": ""}, PEOPLE)
    assert [(f.field, f.start, f.kind) for f in findings] == [("a", 0, "address"), ("z", 0, "name"), ("z", 12, "postcode")]
    text = "Okafor then NG5 6AB"
    assert all(text[f.start : f.end] == f.text for f in findings if f.field == "z")


def test_r42_long_field_of_repeated_text_is_checked_in_one_pass() -> None:
    """Patterns are simple (no nested unbounded repetition), so this is quick; nothing is
    asserted about time, only that every repeat is found."""
    unit = "Mum and Amelia walked 2 miles down the road, past 14 Elm Road NG5 6AB, Kemi Okafor. "
    text = (unit * (20_000 // len(unit) + 1))[:20_000]
    repeats = text.count(unit)
    kinds = Counter(f.kind for f in check({"a": text}, PEOPLE))
    assert kinds["address"] >= repeats and kinds["postcode"] >= repeats and kinds["name"] >= repeats


# --- corpus --------------------------------------------------------------------------


def _spans(text: str, wanted: list[dict[str, str]]) -> list[tuple[int, int]]:
    """Where each expected text occurs in its field (case-insensitive, any white space):
    longest labels first, each at its first occurrence that no other label has taken."""
    spans: dict[int, tuple[int, int]] = {}
    for index in sorted(range(len(wanted)), key=lambda i: -len(wanted[i]["text"])):
        item = wanted[index]
        pattern = r"\s+".join(re.escape(part) for part in item["text"].split())
        free = [
            (m.start(), m.end())
            for m in re.finditer(pattern, text, re.IGNORECASE)
            if not any(m.start() < end and start < m.end() for start, end in spans.values())
        ]
        assert free, f"corpus label {item['text']!r} not in {text!r}"
        spans[index] = free[0]
    return [spans[i] for i in range(len(wanted))]


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def test_r42_corpus_precision_and_recall() -> None:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 120
    expected_n: Counter[str] = Counter()
    found_n: Counter[str] = Counter()
    hits_expected: Counter[str] = Counter()
    hits_found: Counter[str] = Counter()
    misses: list[str] = []
    alarms: list[str] = []
    for number, row in enumerate(rows, 1):
        people = [KnownPerson(**p) for p in row["people"]]
        findings = check(row["fields"], people)
        labels = []
        for field, text in row["fields"].items():
            wanted = [e for e in row["expected"] if e["field"] == field]
            labels.extend((field, e["kind"], _norm(e["text"]), span) for e, span in zip(wanted, _spans(text, wanted), strict=True))
        used: set[int] = set()
        for field, kind, norm, (start, end) in labels:
            expected_n[kind] += 1
            for i, f in enumerate(findings):
                if i not in used and f.field == field and f.kind == kind and (_norm(f.text) == norm or (f.start < end and start < f.end)):
                    used.add(i)
                    hits_expected[kind] += 1
                    hits_found[kind] += 1
                    break
            else:
                misses.append(f"row {number} {field}: {kind} {norm!r}")
        for i, f in enumerate(findings):
            found_n[f.kind] += 1
            if i not in used:
                alarms.append(f"row {number} {f.field}: {f.kind} {f.text!r}")

    def figures(kinds: list[str]) -> tuple[float, float, int, int, int]:
        e = sum(expected_n[k] for k in kinds)
        f = sum(found_n[k] for k in kinds)
        he = sum(hits_expected[k] for k in kinds)
        hf = sum(hits_found[k] for k in kinds)
        return (hf / f if f else 1.0), (he / e if e else 1.0), e, f, f - hf

    print(f"\nR-42 corpus: {len(rows)} notes")
    for label, kinds in (("name", ["name"]), ("address", ["address"]), ("postcode", ["postcode"]), ("overall", ["name", "address", "postcode"])):
        precision, recall, e, f, fp = figures(kinds)
        print(f"  {label:9} expected {e:4}  found {f:4}  false {fp:3}  precision {precision:.3f}  recall {recall:.3f}")
    for line in misses:
        print("  missed:", line)
    for line in alarms:
        print("  false alarm:", line)

    assert figures(["name"])[1] == 1.0
    assert figures(["postcode"])[1] == 1.0
    assert figures(["address"])[1] >= 0.95
    _, _, _, total_found, false_alarms = figures(["name", "address", "postcode"])
    assert false_alarms / total_found <= 0.02

"""Anonymised notes (R-42, 003 s10): find full names, surnames, addresses, postcodes, places
and named institutions in the free text of a session record, each with a suggested
replacement. Pure: no database,
no HTTP, no network (Presidio cannot detect names offline here, see DESIGN.md).

What is found, in every text field:

* **name**: the full name or the surname of anyone the service knows in the child's
  network (`KnownPerson`), case-insensitive, with any run of spaces or line breaks
  between the parts, hyphens and apostrophes optional or spaced ("Smith Jones", "OBrien",
  "O Brien"), a title taken into the span ("Mrs Okafor"), possessives and family plurals
  ("Whitfield's", "the Whitfields", "the Smith-Joneses": the span stops before the "'s",
  "s" or "es"), initials ("D. Whitfield", "D Whitfield", "Darren W.", "Darren W"), with or
  without accents ("Zoe Bronte" for Zoë Brontë, "Wisniewski"), the words of a surname run
  together or joined otherwise ("O'Suilleabhain" for Ó Súilleabháin, "St. John" and "Saint
  John", "Mc Donald"), and the family's other form of a surname that changes with sex or
  marriage ("Mrs Kowalska" for the Kowalski family, "Novak"/"Novakova",
  "Kazlauskas"/"Kazlauskiene"/"Kazlauskaite"). A surname that is
  also an ordinary word ("Green", "Hill") is a finding alone only when written with a
  capital or after a title, so "a green coat" is not one.
* **address**: a house number and street ("14 Elm Road", "27a beechwood avenue", "3 The
  Green"), a flat or apartment number ("Flat 3", "flat 3b"), and a named street without a
  number when its name has a capital ("Oakfield Close", "Church St", "Radford road";
  "High Street" alone is generic, "Bulwell High Street" is not). Neighbouring pieces
  ("Flat 3, 12 Mill Lane") are one finding.
* **postcode**: a full UK postcode in any case and spacing ("NG5 6AB", "ng56ab",
  "SW1A 1AA").
* **withheld address** (R-08, R-82), when the caller passes the child's withheld placement
  address: the whole address and its pieces (the house-and-street line, the street name
  without its number, the postcode), case-insensitive, in any spacing or punctuation
  ("elm road", "ng56ab"), even where the patterns above would not find them; an address
  or postcode finding. The town alone is not a piece: "Arnold park" is a place anyone may
  read.
* **place**, **institution** (`places.py`, issue 17): towns, villages, districts and
  estates in context ("lives in Arnold", "the bus from Hucknall", "West Bridgford"), from
  a GB gazetteer and the deployment's `PLACE_NAMES_FILE` (`gazetteer.py`); named schools,
  workplaces, clinics, rehab, hostels, churches and clubs ("Greenwood Primary School",
  "the Arnold Lodge rehab programme"), suggesting "where they live", "their area",
  "school", "work", "rehab", "the hostel"...; named streets with any suffix ("Forest
  Rise", an address).
* **person** (`strangers.py`, issue 17): the full name of someone the service does not
  know ("Mum's new boyfriend Gary Hargreaves", "Mrs Hargreaves"), suggesting the
  relationship ("mum's partner", "a friend", "the teacher").

A known person's name wins over a `person` or `place` piece it overlaps, except that a
known surname alone where someone lives is the town ("moved back to Lincoln"); an address
or a postcode wins over a `place`; an institution is merged like any piece.

Not findings: first names alone (the child's or an adult's), relationship words, times,
dates, counts ("3 times", "2 hours"), "room 2", ordinary capitalised words and places
that are not streets ("Christmas Day", "Bus Station", "McDonald's", "Family Court",
"Sesame Street").

Callers whose text is a place (a calendar location) switch the address, postcode, place
and institution patterns off with `address_patterns=False`; the known names, the withheld
address and (unless `stranger_patterns=False`) strangers are still found.

Suggestions: the child's own first name for the child; for an adult the `label` when
given, else the relationship: "mum", "dad", "sibling", "grandparent", "former carer",
"foster carer", "family member" (for other). A surname shared by several people
suggests all of them in the order given ("Amelia or dad"). An address suggests "school",
"work", "rehab" or "<relationship>'s home" when one of those words comes just before it in
the same sentence, else "the placement"; a postcode suggests "[postcode removed]".

Overlapping findings are merged into one: the longest piece gives the kind and the
suggestion (a full name is one finding, not name + surname; "12 Whitfield Road" is an
address).

Known gaps: nicknames and misspellings of known names; a postcode district alone ("NG5");
street names written all in lower case without a house number ("lives on elm road");
one-word street names ("Kingsway"); the gaps `places.py` and `strangers.py` list (a
stranger's full name with nothing to introduce them and a surname no list has, a one-word
institution without a cue: "he's at Bluecoat"). A capitalised word just before a named street is taken into its span
("Visited Oakfield Close").

Look-alike characters hide nothing (issue 17): the rules read each text, and the known
names and withheld address, as `normalise.matching_text` gives them (invisible characters
dropped, NFKC, every Unicode space a space, Latin look-alikes such as a Cyrillic "а" as
their Latin twins); each finding's start, end and text point into the original text.

Every pattern is simple (bounded repetition, disjoint character classes), so `check` is
linear in the length of the text.
"""

from __future__ import annotations

import bisect
import itertools
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from app.freetext import gazetteer, places, strangers
from app.freetext.words import COMMON_WORD_SURNAMES, Words, head, tail
from app.freetext.normalise import accentless, matching_text

__all__ = ["Finding", "KnownPerson", "check"]


@dataclass(frozen=True)
class KnownPerson:
    first_name: str
    last_name: str
    relationship: str  # "child" for the child; else mum, dad, sibling, grandparent, former_carer, foster_carer, other
    label: str | None = None  # the word to suggest instead, e.g. "aunt"; defaults from relationship


@dataclass(frozen=True)
class Finding:
    field: str
    start: int  # character offsets into that field's text, end exclusive
    end: int
    text: str
    kind: str  # "name", "address", "postcode", "place", "institution" or "person" (records.schemas.FindingKind)
    suggestion: str


RELATIONSHIP_WORDS = {
    "mum": "mum",
    "dad": "dad",
    "sibling": "sibling",
    "grandparent": "grandparent",
    "former_carer": "former carer",
    "foster_carer": "foster carer",
    "other": "family member",
}
POSTCODE_SUGGESTION = "[postcode removed]"
ADDRESS_SUGGESTION = "the placement"

_TITLE = r"(?:(?:mr|mrs|ms|miss|mx|dr)\.?\s+)?"
# A surname written small after an article is a thing: "he wants a hurley and helmet".
_A_THING_BEFORE = re.compile(r"\b(?:a|an|the|his|her|my|their|new)\s+$")
# What a nationality or a place describes ("French toast", "Welsh cakes", "English homework"),
# never what a surname alone is followed by when it names a person.
_A_THING_AFTER = re.compile(
    r"[ \t]+(?:toast|fries|bread|dressing|cakes?|lessons?|homework|class|flag|breakfast|dancing|stew|music|songs?"
    r"|food|films?|words|kisses|plaits?|sausages?|puddings?|tarts?|biscuits?|cheese|mustard)\b"
)
_HAS_TITLE = re.compile(r"(?:mr|mrs|ms|miss|mx|dr)\b", re.IGNORECASE)
_APOSTROPHES = "'’`"
_HYPHENS = "-‐‑–—"

# --- addresses -------------------------------------------------------------------------

# Street words that are street words in any case ("12 elm road") ...
_STRONG_SUFFIX = r"road|rd|street|avenue|ave|lane|crescent|terrace|mews|gardens|grove|drive"
# ... and ones that are street words only with a capital ("Close", "Way", "Green").
_CAPITAL_SUFFIX = (
    r"Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Crescent|Cres|Terrace|Mews|Gardens|Grove|Drive|"
    r"Close|Way|Court|Ct|Place|Pl|Hill|Walk|Green|Square|Row|Rise|Park|Parade|Vale|View|"
    r"Boulevard|Gate|Wharf|Hollow|Chase|Fold|Croft|Heights"
)
# Words that end the run of street-name words when written in lower case.
_STOP = (
    r"the|a|an|and|or|of|to|in|on|at|by|for|from|with|via|down|up|along|across|over|near|"
    r"into|onto|off|out|round|around|past|through|towards|back|his|her|their|our|my|your|"
    r"its|this|that|these|those|very|more|less|some|many|few|other|another|each|every|all|"
    r"both|is|was|were|be|been|then|than|when|before|after|again|too|so|also|not|no|just|"
    r"only|still|about|like|it|he|she|they|we|i|you|mum|dad|nan|grandad|carer|"
    r"miles?|metres?|meters?|yards?|minutes?|mins?|hours?|hrs?|times?|days?|weeks?|months?|"
    r"years?|seconds?|secs?|steps?|laps?|goes|turns?|am|pm|busy|main|quiet|long|short|"
    r"same|whole|next|last|first|wrong|right|left|old|new"
)
_LOWER_WORD = rf"(?!(?:{_STOP})\b)[a-z][a-z'’\-]*"
_UPPER_WORD = r"[A-Z][A-Za-z'’\-]*"
_NUMBER = r"(?<![\d:./£$€-])\b(?:no\.?\s*)?\d{1,4}[a-zA-Z]?(?:\s*[-–]\s*\d{1,4}[a-zA-Z]?)?\b,?"

# Each starts with a look-ahead at the first character a match can have: a position that cannot
# start one fails at once (a fifth of the time of a 20,000-character note went here).
_HOUSE_STREET = re.compile(
    rf"(?=[0-9Nn])(?:{_NUMBER}\s+(?:(?:{_LOWER_WORD}|{_UPPER_WORD})\s+){{1,3}}(?i:{_STRONG_SUFFIX})\b"
    rf"|{_NUMBER}\s+(?:{_UPPER_WORD}\s+){{1,3}}(?:{_CAPITAL_SUFFIX})\b"
    rf"|{_NUMBER}\s+The\s+(?:{_CAPITAL_SUFFIX})\b"
    # Welsh streets lead with the street word: "22 Heol Eglwys", "7 Heol Tai Mawr", "3 Ffordd y Parc"
    rf"|{_NUMBER}\s+(?:Heol|Ffordd|Stryd|Lôn|Lon|Rhodfa|Cwrt|Maes)\s+(?:y\s+|yr\s+)?{_UPPER_WORD}(?:\s+{_UPPER_WORD}){{0,2}})"
)
_FLAT = re.compile(
    r"\b(?i:flat|apartment|apt\.?)\s*\d{1,4}[a-zA-Z]?(?:/\d{1,2}\b)?\b"  # "Flat 2/1" in Scotland
    r"(?!\s*(?i:times?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|seconds?|%|per)\b)"
)
_NAMED_STREET = re.compile(
    rf"(?=[A-Z])\b(?:(?!(?:The|A|An|And|At|In|On|To|Of|By|From|Near|Off|Up|Down|My|His|Her|Their|Our|"
    rf"Your|This|That|Mum|Dad|Nan|Grandad|Mr|Mrs|Ms|Miss|Dr|Ring|Main|Busy|Country|Dirt|Side|Said|Says|Asked|Told|"
    rf"Back|Slip|Toll|Private|Dead|Dual|Single)\b){_UPPER_WORD}\s+){{1,2}}"
    r"(?:Road|Rd|Street|St(?!\.?\s+[A-Z])|Avenue|Ave|Lane|Ln|Crescent|Cres|Terrace|Mews|"
    r"Gardens|Grove|Drive|Close|Way|Court|road|street|avenue|lane|crescent|terrace|grove|gardens)\b"
)
# Named places that look like streets but are not addresses; streets famous from television,
# songs, books and history ("Quality Street", "Pudding Lane", "Privet Drive") name nobody's home.
_NOT_STREETS = re.compile(
    r"\b(?:(?:family|crown|county|combined|civil|magistrates['’]?|youth|high|supreme|food|tennis|"
    r"basketball|netball|squash)\s+court|(?:sesame|coronation|quality|downing|baker)\s+street|"
    r"(?:pudding|penny|drury)\s+lane|abbey\s+road|privet\s+drive|"
    r"(?:milky|no|one|either|any|give)\s+way)$",
    re.IGNORECASE,
)
_GENERIC_STREETS = re.compile(r"high\s+street", re.IGNORECASE)  # "the High Street": no place named
_POSTCODE = re.compile(
    r"\b[A-Za-z]{1,2}\d[A-Za-z\d]?[ \t]*\d(?i:[ABD-HJLNP-UW-Z]{2})\b"
)
_PLACE_CUES = (
    (re.compile(r"\b(?:school|nursery|college|academy)\b", re.IGNORECASE), "school"),
    (re.compile(r"\b(?:work|works|working|workplace|office|job)\b", re.IGNORECASE), "work"),
    (re.compile(r"\b(?:rehab|rehabilitation|hostel|refuge)\b", re.IGNORECASE), "rehab"),
)
_CUE_WINDOW = 40


# --- names -----------------------------------------------------------------------------


def _name_pattern(name: str) -> str:
    """A regex for one name, tolerant of case (the caller sets re.I), runs of white space,
    optional hyphens and apostrophes, and the ways a name of several words is run together
    or split: "O Suilleabhain" and "O'Suilleabhain" for Ó Súilleabháin, "St. John" and
    "Saint John" for St John, "Mc Donald" for McDonald."""
    name = name.strip()
    out: list[str] = []
    saint = re.match(r"(?i:st\.?|saint)\s+", name)
    if saint:  # "St John", "St. John", "Saint John"
        out.append(r"(?:st\.?|saint)[\s'’\-]*")
        name = name[saint.end() :]
    clan = re.match(r"(?:Mc|Mac)(?=[A-Z])", name)
    if clan:  # "McDonald", "Mc Donald", "MacDonald"
        out.append(r"ma?c\s?")
        name = name[clan.end() :]
    for char in name:
        if char.isspace():
            if not out or out[-1] != _PARTS:
                out.append(_PARTS)
        elif char in _HYPHENS:
            out.append(rf"\s*[{_HYPHENS}]?\s*")
        elif char in _APOSTROPHES:
            out.append(rf"[{_APOSTROPHES} ]?")
        else:
            out.append(re.escape(char))
    return "".join(out)


# Between the words of one name: spaces, an apostrophe or a hyphen for the space, or nothing
# ("Ó Súilleabháin", "O'Suilleabhain"; "Van der Berg", "Vanderberg").
_PARTS = rf"\.?[\s{_APOSTROPHES}{_HYPHENS}]*"


def _needle(name: str) -> str:
    """Letters that every match of `_name_pattern(name)` holds, lower-cased: the name's longest
    run of letters ("brien" for O'Brien; "donald" for McDonald, which may be written "Mc
    Donald"; "john" for St John)."""
    runs = re.findall(r"[^\W\d_]+", name)
    runs = [run[3:] if run.startswith("Mac") and run[3:4].isupper() else run[2:] if run.startswith("Mc") and run[2:3].isupper() else run for run in runs]
    return max(runs, key=len, default="").casefold()


def _family_forms(last: str) -> list[str]:
    """The other forms a family name takes for a woman or a man of the family, in the
    languages whose surnames change so (accents dropped, as `accentless` gives them):
    Polish "Kowalski"/"Kowalska", Czech and Slovak "Novak"/"Novakova", Lithuanian
    "Kazlauskas"/"Kazlauskiene"/"Kazlauskaite". "Mrs Kowalska" names the Kowalski family."""
    low = last.casefold()
    forms: list[str] = []
    for man, woman in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if low.endswith(man):
            forms.append(last[: -len(man)] + woman)
        elif low.endswith(woman):
            forms.append(last[: -len(woman)] + man)
    if low.endswith("ova") and len(low) > 6:
        forms += [last[:-3], last[:-3] + "a"]  # "Novakova" -> "Novak"; "Svobodova" -> "Svoboda"
    elif not low.endswith(("ski", "cki", "dzki", "ska", "cka", "dzka", "s")):
        forms.append((last[:-1] if low.endswith("a") else last) + "ova")  # "Novak" -> "Novakova"
    for man, women in (("as", ("iene", "aite")), ("is", ("iene", "yte")), ("ys", ("iene", "yte")), ("us", ("iene", "ute"))):
        if low.endswith(man) and len(low) > 5:
            forms += [last[:-2] + woman for woman in women]
    for woman, men in (("iene", ("as", "is", "ys", "us")), ("aite", ("as",)), ("yte", ("is", "ys")), ("ute", ("us",))):
        if low.endswith(woman) and len(low) > 6:
            forms += [last[: -len(woman)] + man for man in men]
    return forms


def _as_matched(name: str) -> str:
    """A known name as the name rules match it: without look-alikes or accents."""
    return accentless(matching_text(name).text).strip()


def _suggestion(person: KnownPerson) -> str:
    if person.relationship == "child":
        return person.first_name.strip() or "the child"
    if person.label and person.label.strip():
        return person.label.strip()
    return RELATIONSHIP_WORDS.get(person.relationship, person.relationship.replace("_", " "))


def _join(words: list[str]) -> str:
    unique = list(dict.fromkeys(words))
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " or " + unique[-1]


class _Piece(NamedTuple):  # a named tuple: quicker to make than a frozen dataclass, and a note makes hundreds
    start: int
    end: int
    kind: str
    suggestion: str
    rank: int  # breaks ties between equally long pieces: lower wins


_RANK = {"name": 0, "postcode": 1, "address": 2, "institution": 3, "place": 4, "person": 5}


def _opening(*names: str) -> str:
    """A look-ahead at the first character a name pattern's match can have: a title's ("Mr",
    "Dr") or one of `names`' (any case): a position that cannot start a match fails at once,
    as in the address patterns."""
    firsts = {"m", "d"} | {name[:1].casefold() for name in names if name}
    return "(?=[" + "".join(re.escape(c) for c in sorted(firsts)) + "])"


class _NameRules:
    """Patterns built once per `check` call from the known people."""

    def __init__(self, people: Sequence[KnownPerson]) -> None:
        # pattern, suggestion, common-word check, surname alone, and letters every match holds (in lower case)
        self.patterns: list[tuple[re.Pattern[str], str, bool, bool, str]] = []
        # Every name here is made of what `_NOT_IN_A_NAME` leaves out, so a match never runs through
        # such a character (`pieces`). A name holding one ("Smith (Jones)") is sought in the whole text.
        self.windowed = True
        by_surname: dict[str, list[KnownPerson]] = {}
        for person in people:
            first, last = _as_matched(person.first_name), _as_matched(person.last_name)
            if _NOT_IN_A_NAME.search(first) or _NOT_IN_A_NAME.search(last):
                self.windowed = False
            if not last:
                continue
            by_surname.setdefault(last.casefold(), []).append(person)  # one family however its accents are written
            last_re = _name_pattern(last)
            suggestion = _suggestion(person)
            if first:
                full = rf"(?<!\w){_TITLE}{_name_pattern(first)}\s+{last_re}(?=(?:e?s)?\b)"
                initial = rf"(?<!\w){_TITLE}(?-i:{re.escape(first[0].upper())})(?:\.\s*|\s+){last_re}(?=(?:e?s)?\b)"
                # "Darren W." and "Darren W said"; "I" and "A" only with their full stop
                stop = r"\." if last[0].upper() in "IA" else r"(?:\.|(?![\w'’\-]))"
                last_initial = rf"(?<!\w){_name_pattern(first)}\s+(?-i:{re.escape(last[0].upper())}){stop}(?!\w)"
                for regex, needle in ((full, _needle(last)), (initial, _needle(last)), (last_initial, _needle(first))):
                    self.patterns.append((re.compile(_opening(first) + regex, re.IGNORECASE), suggestion, False, False, needle))
            # one part of a surname of several, after the first name or a title: "Kayleigh Hughes" and
            # "Mrs O'Sullivan" for Kayleigh O'Sullivan-Hughes; not the part alone ("Hughes")
            parts = [part for part in re.split(rf"[{_HYPHENS}\s]+", last) if len(re.sub(r"\W", "", part)) >= 3]
            for part in parts if len(parts) > 1 else ():
                titled = r"(?:mr|mrs|ms|miss|mx|dr)\.?\s+" + (rf"(?:{_name_pattern(first)}\s+)?" if first else "")
                named = rf"{_name_pattern(first)}\s+" if first else titled
                regex = rf"(?<!\w)(?:{titled}|{named}){_name_pattern(part)}(?![{_HYPHENS}\w])"
                self.patterns.append((re.compile(_opening(first) + regex, re.IGNORECASE), suggestion, False, False, _needle(part)))
        for key, group in by_surname.items():
            suggestion = _join([_suggestion(p) for p in group])
            last = _as_matched(group[0].last_name)
            forms = [last, *_family_forms(last)]
            regex = rf"(?<!\w){_TITLE}(?:{'|'.join(_name_pattern(form) for form in forms)})(?=(?:e?s)?\b)"
            needle = os.path.commonprefix([_needle(form) for form in forms])  # "kowalsk" for Kowalski and Kowalska
            common_word = key in COMMON_WORD_SURNAMES or key in gazetteer.common_words()  # "Pick": "the minibus picks her up"
            self.patterns.append((re.compile(_opening(*forms) + regex, re.IGNORECASE), suggestion, common_word, True, needle))

    def pieces(self, text: str, *, windowed: bool = True) -> list[_Piece]:
        """Name pieces of `text`. With `windowed`, each pattern runs only through the stretches
        of text around its needle that no `_NOT_IN_A_NAME` character breaks (a match holds
        its needle, and never such a character), not through the whole note: the same matches,
        for a fraction of the time, since the known names' patterns were a third of a long
        note's check and grow with the network."""
        found: list[_Piece] = []
        folded = text.casefold()
        # Offsets in `folded` are offsets in `text` when folding kept its length ("ß" does not).
        bounds = [m.start() for m in _NOT_IN_A_NAME.finditer(text)] if windowed and self.windowed and len(folded) == len(text) else None
        for pattern, suggestion, common_word, alone, needle in self.patterns:
            if needle not in folded:
                continue  # a name absent from the text: no pass over it (most of a network's names, in most notes)
            if bounds is None or not needle:
                matches: Iterable[re.Match[str]] = pattern.finditer(text)
            else:
                matches = itertools.chain.from_iterable(pattern.finditer(text, lo, hi) for lo, hi in _stretches(folded, needle, bounds))
            for match in matches:
                if common_word and match.group()[:1].islower() and not _HAS_TITLE.match(match.group()):
                    continue  # "a green coat"; "Mr Green", "mr green" and "Green" count
                if alone and not _HAS_TITLE.match(match.group()) and _A_THING_AFTER.match(text, match.end()):
                    continue  # a surname that is also a word, before what it describes: "French toast", "Irish dancing"
                if alone and match.group()[:1].islower() and _A_THING_BEFORE.search(text, max(0, match.start() - 12), match.start()):
                    continue  # a thing, written small after an article: "he wants a hurley and helmet"
                found.append(_Piece(match.start(), match.end(), "name", suggestion, _RANK["name"]))
        return found


# What no known name's pattern consumes: anything but letters, digits, white space, full stops
# (titles, initials), apostrophes and hyphens. At such a character a lookahead ending a name sees
# what it would see at the end of the text, so a search may stop there (`_NameRules.pieces`).
_NOT_IN_A_NAME = re.compile(rf"[^{_HYPHENS}\w\s.{_APOSTROPHES}]")


def _stretches(folded: str, needle: str, bounds: list[int]) -> Iterator[tuple[int, int]]:
    """The stretches of text between two `bounds` (offsets of `_NOT_IN_A_NAME` characters)
    that hold `needle`, in order, each once."""
    at = folded.find(needle)
    while at != -1:
        k = bisect.bisect_right(bounds, at)
        lo, hi = bounds[k - 1] + 1 if k else 0, bounds[k] if k < len(bounds) else len(folded)
        yield lo, hi
        at = folded.find(needle, hi)


# --- places ----------------------------------------------------------------------------


def _address_suggestion(text: str, start: int, rules_people: Sequence[KnownPerson]) -> str:
    before = tail(text[max(0, start - _CUE_WINDOW) : start])  # this sentence only
    for pattern, word in _PLACE_CUES:
        if pattern.search(before):
            return word
    for person in rules_people:
        if person.relationship == "child":
            continue
        word = _suggestion(person)
        if re.search(rf"\b{re.escape(word)}['’]s\b", before, re.IGNORECASE):
            return f"{word}'s home"
    return ADDRESS_SUGGESTION


# A game's board or track names no one's street: "lost on Rainbow Road" in Mario Kart, "bought
# Mayfair and Park Lane" in Monopoly.
_GAMES = re.compile(r"\b(?:monopoly|mario\s+kart|board\s+game|raced?|level|game|match)\b", re.IGNORECASE)


# An event named after its street is no one's address: "the Belgrave Road lights", "the Leeds Road mela".
_STREET_EVENT = re.compile(r"\s+(?:lights|carnival|festival|parade|fireworks|mela|illuminations)\b", re.IGNORECASE)


# An event held there, not anyone's street: "the Balloon Fiesta at Ashton Court".
_EVENT_AT = re.compile(r"\b(?:fiesta|festival|carnival|fair|gala|parade|concert|fireworks)\s+(?:at|in|on)\s+(?:the\s+)?$", re.IGNORECASE)


# A sentence about a one-off outing names no one's street: "one-off trip with Mum to the Fringe and then
# Princes Street Gardens".
_WATCHED = re.compile(r"\b(?:watch|watched|watching|watches)\s+(?:the\s+)?$", re.IGNORECASE)
_OUTING = re.compile(r"\b(?:one[- ]off|day\s+(?:trip|out))\b", re.IGNORECASE)


def _an_outing(text: str, match: re.Match[str]) -> bool:
    before = tail(text[max(0, match.start() - 120) : match.start()])
    after = head(text[match.end() : match.end() + 60])
    if _WATCHED.search(before):
        return True  # a programme: "she used to watch Byker Grove at his age"
    return _OUTING.search(before) is not None or _OUTING.search(after) is not None or places.at_the_venue(text, match.start())


_A_GAME_AFTER = re.compile(r"\s+(?:Fighter|Fighters|Racer|Runner)\b")
_KART_TRACKS = frozenset(("rainbow road", "coconut mall", "moo moo meadows", "toad's turnpike", "bowser's castle"))


def _fiction(address: str) -> bool:
    """An address of a story: "62 West Wallaby Street", "4 Privet Drive"."""
    street = " ".join(re.sub(r"^[\d\s,a-zA-Z]{0,4}?\d+[a-zA-Z]?,?\s+", "", address).casefold().split())
    return street in places.FICTION


def _in_a_game(text: str, match: re.Match[str]) -> bool:
    name = " ".join(match.group().casefold().split())
    if name == "rainbow road" or _A_GAME_AFTER.match(text, match.end()):
        return True  # Mario Kart's best-known track, with or without the game's name; "Street Fighter"
    if name in places.MONOPOLY and "monopoly" in text.casefold():
        return True
    if name in _KART_TRACKS and "mario kart" in " ".join(text.casefold().split()):
        return True
    return _GAMES.search(tail(text[max(0, match.start() - 100) : match.start()])) is not None


def _place_pieces(text: str, people: Sequence[KnownPerson]) -> list[_Piece]:
    spans: list[tuple[int, int]] = []
    for pattern in (_HOUSE_STREET, _FLAT):
        spans.extend((m.start(), m.end()) for m in pattern.finditer(text) if not _fiction(m.group()))
    for match in _NAMED_STREET.finditer(text):
        if _fiction(match.group()):
            continue
        if (
            not _NOT_STREETS.search(match.group()) and not _GENERIC_STREETS.fullmatch(match.group()) and not _in_a_game(text, match)
            and not _STREET_EVENT.match(text, match.end()) and not places.at_a_ground(text, match.start(), match.end())
            and not _EVENT_AT.search(text, max(0, match.start() - 40), match.start()) and not _an_outing(text, match)
        ):
            spans.append((match.start(), match.end()))
    found = [_Piece(s, e, "address", _address_suggestion(text, s, people), _RANK["address"]) for s, e in spans]
    found.extend(
        _Piece(m.start(), m.end(), "postcode", POSTCODE_SUGGESTION, _RANK["postcode"]) for m in _POSTCODE.finditer(text)
    )
    return found


class _WithheldAddress:
    """Patterns for one withheld placement address, built once per `check` call."""

    _FLAT_PREFIX = re.compile(r"^(?i:flat|apartment|apt\.?)\s*\d{1,4}[a-zA-Z]?[\s,]+")
    _HOUSE_NUMBER = re.compile(rf"^{_NUMBER}\s+")

    def __init__(self, address: str) -> None:
        lines = [line.strip() for line in re.split(r"[,\n]", address) if line.strip()]
        wanted = {address.strip(), *lines[:1]}  # UK addresses lead with the house and street
        for piece in _merge(_place_pieces(address, ()), address):
            text = address[piece.start : piece.end].strip(" ,")
            house = self._FLAT_PREFIX.sub("", text)
            street = self._HOUSE_NUMBER.sub("", house)
            wanted.update((text, house))
            # "Elm Road" alone is a piece; "The Green" or "High Street" alone names nowhere.
            if _NAMED_STREET.fullmatch(street.title()) and not _GENERIC_STREETS.fullmatch(street):
                wanted.add(street)
        self.patterns: list[tuple[re.Pattern[str], str]] = []
        for text in sorted(wanted, key=len, reverse=True):
            words = re.findall(r"[A-Za-z0-9]+", text)
            if sum(len(w) for w in words) < 4 or all(w.isdigit() for w in words) or _FLAT.fullmatch(text):
                continue  # too little to name a place: "12", "Flat 3"
            kind = "postcode" if _POSTCODE.fullmatch(text) else "address"
            regex = r"(?<![A-Za-z0-9])" + r"[^A-Za-z0-9]{0,3}".join(map(re.escape, words)) + r"(?![A-Za-z0-9])"
            self.patterns.append((re.compile(regex, re.IGNORECASE), kind))

    def pieces(self, text: str) -> list[_Piece]:
        suggestion = {"address": ADDRESS_SUGGESTION, "postcode": POSTCODE_SUGGESTION}
        return [
            _Piece(m.start(), m.end(), kind, suggestion[kind], _RANK[kind])
            for pattern, kind in self.patterns
            for m in pattern.finditer(text)
        ]


# --- merging ---------------------------------------------------------------------------


def _merge(pieces: list[_Piece], text: str) -> list[_Piece]:
    """Overlapping pieces become one; address pieces with only commas and spaces between
    them ("Flat 3, 12 Mill Lane") too. The longest piece names the kind and suggestion."""
    pieces = sorted(pieces, key=lambda p: (p.start, -p.end))
    groups: list[list[_Piece]] = []
    end = -1
    for piece in pieces:
        if groups and (
            piece.start < end
            or (
                piece.kind == "address"
                and any(p.kind == "address" for p in groups[-1])
                and not text[end : piece.start].strip(" ,\t")
            )
        ):
            groups[-1].append(piece)
            end = max(end, piece.end)
        else:
            groups.append([piece])
            end = piece.end
    merged: list[_Piece] = []
    for group in groups:
        lead = min(group, key=lambda p: (-(p.end - p.start), p.rank, p.start))
        merged.append(_Piece(min(p.start for p in group), max(p.end for p in group), lead.kind, lead.suggestion, lead.rank))
    return merged


# "She's gone back to McAllister, her maiden name": a surname, not a town.
_A_NAME_AFTER = re.compile(r"[,\s]+(?:(?:her|his|my|their|the)\s+)?(?:maiden\s+|married\s+|old\s+|own\s+)?(?:sur)?name\b", re.IGNORECASE)


def _with_places(
    pieces: list[_Piece], text: str, first_names: set[str], children: set[str], places_too: bool, strangers_too: bool,
) -> list[_Piece]:
    """`pieces` and the place, institution and person pieces of `text` (places.py,
    strangers.py, as `places_too` and `strangers_too` say) that do not lose to an overlapping name, address or postcode piece: a known person's name wins
    over `person` and `place`, an address or postcode over `place`. An institution is
    merged like any piece ("Raleigh Street garage" is one).

    One exception: a known surname alone where someone
    lives is the town ("Dad has moved back to Lincoln", Dad being Shane Lincoln), so it is
    a place suggesting "where they live", not the name suggesting "dad"."""
    split = Words(text)
    extra = (places.pieces(split, first_names, children) if places_too else []) + (strangers.pieces(split) if strangers_too else [])
    # a later mention of an institution, named like a street, is the institution: "escorted leave from Mill
    # View ... Mill View have started her on a group"
    said = {_folded(text, start, end): say for start, end, kind, say in extra if kind == "institution"}
    extra = [(start, end, "institution", said[_folded(text, start, end)]) if kind == "address" and _folded(text, start, end) in said
             else (start, end, kind, say) for start, end, kind, say in extra]
    homes = {(start, end) for start, end, kind, say in extra if kind == "place" and say == places.HOME_AREA}
    pieces = [
        p for p in pieces
        if not (p.kind == "name" and (p.start, p.end) in homes and " " not in text[p.start : p.end] and not _A_NAME_AFTER.match(text, p.end))
    ]
    taken = sorted((p.start, p.end) for p in pieces if p.kind == "name")
    kept = _not_overlapping(taken, [piece for piece in extra if piece[2] == "person"])
    taken = sorted((p.start, p.end) for p in pieces)
    kept += _not_overlapping(taken, [piece for piece in extra if piece[2] == "place"])
    kept += [_Piece(start, end, kind, suggestion, _RANK[kind]) for start, end, kind, suggestion in extra if kind not in ("person", "place")]
    # a school or a workplace named like a street is the institution: "started at Saxon Way and his teacher is ...",
    # at every mention
    named = {(start, end) for start, end, kind, _ in extra if kind == "institution"}
    again = {(p.start, p.end) for p in pieces if p.kind == "address" and _folded(text, p.start, p.end) in said} - named
    kept += [_Piece(start, end, "institution", said[_folded(text, start, end)], _RANK["institution"]) for start, end in again]
    return [p for p in pieces if not (p.kind == "address" and ((p.start, p.end) in named or (p.start, p.end) in again))] + kept


def _folded(text: str, start: int, end: int) -> str:
    return " ".join(text[start:end].casefold().split())


def _not_overlapping(taken: list[tuple[int, int]], extra: list[tuple[int, int, str, str]]) -> list[_Piece]:
    """The `extra` pieces that overlap none of `taken` (sorted spans), by bisection."""
    starts = [start for start, _ in taken]
    reach = list(itertools.accumulate((end for _, end in taken), max))  # furthest end so far
    kept = []
    for start, end, kind, suggestion in extra:
        before = bisect.bisect_left(starts, end)  # pieces starting before this one ends
        if not before or reach[before - 1] <= start:
            kept.append(_Piece(start, end, kind, suggestion, _RANK[kind]))
    return kept


def check(
    fields: Mapping[str, str | None],
    people: Sequence[KnownPerson],
    *,
    withheld_address: str | None = None,
    address_patterns: bool = True,
    stranger_patterns: bool | None = None,
) -> list[Finding]:
    """Findings in every text field, ordered by field name then start. `address_patterns`
    switches the address, postcode, place and institution rules, `stranger_patterns` the
    stranger rule (by default as `address_patterns`)."""
    strangers_too = address_patterns if stranger_patterns is None else stranger_patterns
    names = _NameRules(people)
    first_names = {matching_text(p.first_name).text.strip().casefold() for p in people}
    children = {matching_text(p.first_name).text.strip().casefold() for p in people if p.relationship in ("child", "sibling")}
    withheld = _WithheldAddress(matching_text(withheld_address).text) if withheld_address and withheld_address.strip() else None
    findings: list[Finding] = []
    for field in sorted(fields):
        text = fields[field]
        if not text:
            continue
        # The rules read the text without look-alikes (normalise.py); spans go back to the original.
        matching = matching_text(text)
        original, text = text, matching.text
        pieces = names.pieces(accentless(text))  # one letter for one: the spans are the same
        if address_patterns:
            pieces += _place_pieces(text, people)
        if withheld is not None:
            pieces += withheld.pieces(text)
        if address_patterns or strangers_too:  # places, institutions, strangers (places.py, strangers.py)
            pieces = _with_places(pieces, text, first_names, children, address_patterns, strangers_too)
        for piece in _merge(pieces, text):
            start, end = matching.span(piece.start, piece.end)
            findings.append(Finding(field, start, end, original[start:end], piece.kind, piece.suggestion))
    return findings

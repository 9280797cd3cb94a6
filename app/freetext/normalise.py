"""The text the R-42 rules match (issue 17, point 7): owns the normalisation that takes
look-alike characters out of a note before its names, addresses and postcodes are sought,
and the map that leads every span found in it back to the text the worker wrote. Pure: no
database, no HTTP.

`matching_text(original)` applies, one character (with its combining marks) at a time:

1. **invisible characters dropped**: the default-ignorable code points (zero-width space,
   joiners, soft hyphen, word joiner, a BOM inside text, variation selectors, tag
   characters, bidirectional controls), so "Ok\\u200bafor" reads "Okafor";
2. **NFKC**: compatibility forms fold to plain ones (full-width "ＯＫＡＦＯＲ", ligatures,
   mathematical letters, the Kelvin sign), and a letter with combining marks composes;
3. **spaces**: every Unicode space (no-break, narrow no-break, thin, ideographic ...)
   becomes " ", and the line and paragraph separators "\\n", so "NG5\\u00a06AB" is a
   postcode;
4. **a confusables skeleton for Latin look-alikes**: a letter of another script (or an odd
   Latin one) that Unicode's confusables.txt (UTS #39) takes for one ASCII letter becomes
   that letter: Cyrillic "а" "е" "о" "р" "с" "у" "х" "і" "ј" "ѕ", Greek "ο" "α" "ν" "ρ",
   capitals such as "А" "В" "Н" "Р" "Т". The data comes from the `confusable_homoglyphs`
   package (Unicode's own file, as JSON); only letters mapping to a single ASCII letter
   are kept, and an upper-case look-alike of "I" maps to "I", not to the "l" that is
   UTS #39's prototype for both, so case-insensitive matching still finds it. Letters
   with diacritics ("Môn", "Zoë", "Siobhán") are their own: no ASCII letter is their twin.

Known names are matched once more without their accents (`accentless`): a tablet's keyboard
often drops them ("Zoe Bronte" for Zoë Brontë, "O Suilleabhain", "Wisniewski"), and a name
written without them names the same person. That view keeps the text's length, one letter
for one letter, so its spans are the matching text's spans.

Case is left as written: the rules match names case-insensitively and need capitals for
streets. Everything else (letters, digits, punctuation, emoji, line breaks, controls) is
kept as it is.

Each character of the matching text remembers the characters of the original it came from
(`Matching.span`), so a finding's start, end and text refer to the original note, and a
dropped character inside a name is part of the span ("Ok\\u200bafor"). ASCII text is its
own matching text, at no cost.
"""

from __future__ import annotations

import functools
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from confusable_homoglyphs.utils import load

__all__ = ["LATIN_TWINS", "Matching", "accentless", "matching_text"]

# Default_Ignorable_Code_Point (DerivedCoreProperties.txt) beyond the format characters (Cf),
# which are all dropped: the combining grapheme joiner, Hangul fillers, Khmer inherent vowels,
# Mongolian free variation selectors and the variation selectors.
_IGNORABLE_RANGES = (
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFFA0, 0xFFA0),
    (0xE0100, 0xE01EF),
)
_LINE_SEPARATORS = frozenset("\u2028\u2029")


def _ignorable(char: str) -> bool:
    if unicodedata.category(char) == "Cf":
        return True
    code = ord(char)
    return any(low <= code <= high for low, high in _IGNORABLE_RANGES)


def _latin_twins() -> Mapping[str, str]:
    """Letters that confusables.txt takes for exactly one ASCII letter, looked up after NFKC."""
    twins: dict[str, str] = {}
    # The package's own copy of confusables.txt, read once here and not kept (about 10 MB as
    # Python objects); the package's `confusables` module would hold it for the process.
    for char, homoglyphs in load("confusables.json").items():
        if len(char) != 1 or char.isascii() or not unicodedata.category(char).startswith("L"):
            continue
        if unicodedata.normalize("NFKC", char) != char:
            continue  # NFKC has already turned it into something else
        letters = {h["c"] for h in homoglyphs if h["c"] in string.ascii_letters}
        if len(letters) != 1:
            continue
        (letter,) = letters
        # UTS #39 maps "I", "l", "1" and "|" to one prototype, "l"; a capital stays a capital.
        twins[char] = "I" if letter == "l" and char.isupper() else letter
    return MappingProxyType(twins)


LATIN_TWINS: Mapping[str, str] = _latin_twins()


def _fold(chunk: str) -> str:
    """The matching form of one character and the combining marks that follow it."""
    out: list[str] = []
    for char in unicodedata.normalize("NFKC", "".join(c for c in chunk if not _ignorable(c))):
        if char in _LINE_SEPARATORS:
            out.append("\n")
        elif unicodedata.category(char) == "Zs":
            out.append(" ")
        else:
            out.append(LATIN_TWINS.get(char, char))
    return "".join(out)


@dataclass(frozen=True)
class Matching:
    """The text the rules read, and for each of its characters where it came from."""

    text: str
    # For character i of `text`: original[starts[i]:ends[i]] is what it came from. Empty
    # for ASCII, whose matching text is the original itself.
    starts: tuple[int, ...] = ()
    ends: tuple[int, ...] = ()

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of `text[start:end]` (end exclusive; start < end)."""
        if not self.starts:
            return start, end
        return self.starts[start], self.ends[end - 1]


def matching_text(original: str) -> Matching:
    """`original` as the R-42 rules read it; see the module docstring."""
    if original.isascii():
        return Matching(original)
    text: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    length = len(original)
    start = 0
    while start < length:
        end = start + 1
        while end < length and not original[end].isascii() and unicodedata.combining(original[end]):
            end += 1
        folded = original[start] if end == start + 1 and original[start].isascii() else _fold(original[start:end])
        text.append(folded)
        starts.extend([start] * len(folded))
        ends.extend([end] * len(folded))
        start = end
    return Matching("".join(text), tuple(starts), tuple(ends))


# Latin letters with a diacritic whose decomposition has no base letter of their own:
# "Michał" is written "Michal", "Søren" "Soren".
_NO_DECOMPOSITION = {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "ı": "i"}


@functools.cache
def _accentless_table() -> dict[int, str]:
    """Latin letters with diacritics (Latin-1, Extended-A and B, Extended Additional: Welsh
    "ŵ" "ẁ", Irish "á", Polish "ś", Lithuanian "ė", Vietnamese "ệ") to their ASCII base."""
    table = {ord(char): base for char, base in _NO_DECOMPOSITION.items()}
    for low, high in ((0x00C0, 0x024F), (0x1E00, 0x1EFF)):
        for code in range(low, high + 1):
            parts = unicodedata.normalize("NFD", chr(code))
            if len(parts) > 1 and parts[0].isascii() and parts[0].isalpha() and all(unicodedata.combining(c) for c in parts[1:]):
                table[code] = parts[0]
    return table


def accentless(text: str) -> str:
    """`text` with each Latin letter's diacritics dropped, one character for one ("Zoë
    Brontë" -> "Zoe Bronte"), so spans in it are spans in `text`. Apply it to a matching text
    (composed, NFKC), where a letter and its marks are one character."""
    return text if text.isascii() else text.translate(_accentless_table())

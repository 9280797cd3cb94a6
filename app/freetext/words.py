"""Words and the little vocabulary R-42's place, institution and stranger rules share
(`places.py`, `strangers.py`): a tokeniser that keeps offsets, and the capitalised words
that never start a name or a place (months, days, relationship words, sentence openers).
Pure and data-free.

A text's words are kept as parallel lists of offsets and strings, not one object per word,
so that a 20,000-character note makes no objects for the garbage collector to track (its
pauses were the slowest checks); `anonymise.check` splits a text once for both modules.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata

__all__ = ["COMMON_WORD_SURNAMES", "FAMILY_WORDS", "KIN_WORDS", "NOT_NAMES", "PARTICLES", "Words", "bare", "fold", "head", "tail"]

# Particles inside a person's name: "Mrs van Dijk", "Dylan ap Rhys", "Pádraig Ó Conchúir".
PARTICLES = frozenset("van von de der den da di du le la al el bin ibn ap ab ó ní nic mac".split())

# Letters, with apostrophes inside ("O'Brien", "King's"); digits and "_" split words.
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


# What ends a sentence for the rules: ".", "!", "?" and a line break.
_HEAD = re.compile(r"[^.!?\n]*")


def tail(window: str) -> str:
    """The part of `window` after its last sentence break: the sentence so far."""
    return window[max(window.rfind("."), window.rfind("!"), window.rfind("?"), window.rfind("\n")) + 1 :]


def head(window: str) -> str:
    """The part of `window` before its first sentence break: the rest of the sentence."""
    return _HEAD.match(window).group()  # the pattern matches every string


def fold(text: str) -> str:
    """`text` without its accents ("Môn" -> "Mon"), so that a name is found however a
    tablet's keyboard wrote it."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _key(low: str) -> str:
    """A lower-cased word in the gazetteer's normal form (`gazetteer.normal` of one word)."""
    return fold(low).replace("'", "").replace("’", "")


def bare(word: str) -> str:
    """A word without its possessive "'s": "nan's" -> "nan"."""
    return word[:-2] if word.endswith(("'s", "’s")) else word


class Words:
    """The words of one text: `start[i]`, `end[i]`, `text[i]`, `low[i]` (lower-cased) and
    `cap[i]` (written with a capital), `key[i]` (in the gazetteer's normal form: "King's" ->
    "kings", "Môn" -> "mon"), and whether each word is joined to the one before:
    `joins[i]` (by a space, a hyphen or the full stop of "St.") and `tight[i]` (not by a
    hyphen), both False for word 0; the hot loops of `places.py` read these lists directly."""

    __slots__ = ("source", "start", "end", "text", "low", "cap", "caps", "key", "joins", "tight")

    def __init__(self, source: str) -> None:
        self.source = source
        self.start: list[int] = []
        self.end: list[int] = []
        self.text: list[str] = []
        for match in _WORD.finditer(source):  # one match object at a time: thousands kept at once woke the garbage collector
            self.start.append(match.start())
            self.end.append(match.end())
            self.text.append(match.group())
        self.low = [word.casefold() for word in self.text]
        # The normal form is the lower case but for a word with an apostrophe or a letter beyond ASCII.
        if source.isascii():
            self.key = self.low.copy()
            for match in _APOSTROPHE.finditer(source):  # a few in a note: found by position, not word by word
                k = bisect.bisect_right(self.start, match.start()) - 1
                if k >= 0 and match.start() < self.end[k]:
                    self.key[k] = _key(self.low[k])
        else:
            self.key = [word if word.isascii() and "'" not in word else _key(word) for word in self.low]
        # "Arnold", "McDonald", "O'Brien", "HMP" are capitalised; "arnold", "ARNOLD" are not.
        # Inline, as is `_tight` for a plain space: a function call per word was a third of the time.
        self.cap = [word[:1].isupper() and (len(word) <= 4 or not word[1:].isupper()) for word in self.text]
        self.caps = list(itertools.compress(range(len(self.cap)), self.cap))  # the capitalised words, for `next_cap`
        gaps = [""] + [source[end:start] for end, start in zip(self.end, self.start[1:])] if self.text else []
        self.tight = [
            gap == " " or ((gap in _MARKED_GAPS or not gap.strip()) and _tight(gap, word)) for gap, word in zip(gaps, [""] + self.text)
        ]
        self.joins = [tight or gap in ("-", " - ") for tight, gap in zip(self.tight, gaps)]
        if self.tight:
            self.tight[0] = self.joins[0] = False

    def next_cap(self, i: int) -> int:
        """The first capitalised word from word i on, or the number of words: the rules'
        loops skip the lower-case words, most of a note, in one step."""
        at = bisect.bisect_left(self.caps, i)
        return self.caps[at] if at < len(self.caps) else len(self.text)

    def gap(self, i: int) -> str:
        """What stands between word i - 1 and word i."""
        return self.source[self.end[i - 1] : self.start[i]]

    def joined(self, i: int, hyphen: bool = True) -> bool:
        """Words i - 1 and i are one phrase: only a space (or a hyphen, or the full stop of
        "St.") between them."""
        if not 0 < i < len(self.start):
            return False
        return self.joins[i] if hyphen else self.tight[i]

    def before(self, i: int) -> str:
        """The word just before word i in the same phrase, lower-cased, or ""."""
        return self.low[i - 1] if self.joined(i, hyphen=False) else ""

    def around(self, i: int, end: int, before: int = 6, after: int = 4) -> tuple[list[str], list[str]]:
        """The lower-cased words of the same sentence just before word i and just after
        word end - 1, at most `before` and `after` of them."""
        sentence = tail(self.source[max(0, self.start[i] - 60) : self.start[i]])
        following = head(self.source[self.end[end - 1] : self.end[end - 1] + 50])
        return _WORD.findall(sentence.casefold())[-before:], _WORD.findall(following.casefold())[:after]


_APOSTROPHE = re.compile("['’]")
_MARKED_GAPS = frozenset((". ", "' ", "’ "))  # the gaps `_tight` allows besides a little white space


def _tight(gap: str, before: str) -> bool:
    if gap == " ":
        return True
    if gap == ". " and before in ("St", "Mt"):
        return True
    if gap in ("' ", "’ ") and before.endswith("s"):
        return True  # a plural possessive inside a name: "Heaton Girls' Academy"
    return 0 < len(gap) <= 3 and not gap.strip() and "\n" not in gap


_MONTHS = "january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec"
_DAYS = (
    "monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays saturdays "
    "sundays weekend weekends mon tue tues wed weds thu thur thurs fri sat sun"
)
_SEASONS = (
    "christmas xmas easter eid diwali hanukkah ramadan halloween bonfire year spring summer autumn winter santa claus nativity "
    "vaisakhi baisakhi holi navratri passover purim onam pongal kwanzaa lohri muharram hogmanay vesak wesak songkran "
    "nowruz navroz newroz nauroz samhain yule wigilia andrzejki mărțișor martisor harvest fasika meskel timkat genna enkutatash"
)
# The words for family in the languages many families here speak: "Babcia", "Tata", "Dadi", "Mamgu".
_KIN = (
    "tata tato mama mamo babcia babci dziadek dziadzia bunica bunicul bunic močiutė senelis baba abba abbu abu "
    "ammi ammu ami amma appa dadi dada nani nana bibi bapu chacha chachi khala khalu mamu phupho mamgu tadcu "
    "nain taid nonna nonno oma opa avó avô abuela abuelo yiayia papou teta ciocia wujek ba baa motiba bapuji "
    "por gung yeye nainai lolo lola bubbe bubby booba zaide zayde zeide savta tia tio tía tío tita tito dede nene "
    "teyze amca dayı anneanne babaanne ouma oupa ayeeyo awoowe hooyo aabo seanair seanmhair mamó mamo daideo daideó"
)
# The English words for a child's relatives, shared by the place and stranger rules ("her
# mum's in Hartcliffe", "Mum's partner Kyle Bennett").
_FAMILY = (
    "mum mummy mam mom mother dad daddy father nan nana nanna nanny grandma granny gran grandad grandpa grandmother "
    "grandfather aunt auntie aunty uncle brother sister cousin"
)
_PEOPLE = (
    f"{_FAMILY} sibling carer carers foster baby child son daughter "
    f"step stepdad stepmum partner boyfriend girlfriend husband wife friend friends teacher miss sir {_KIN}"
)
_OPENERS = (
    "the a an and or but so then when while after before during at in on to of by for from with without into "
    "onto near as if because though although once since until unless this that these those there here his her "
    "hers their theirs our ours my mine your yours its it he she they we i you him them us me who what which "
    "where why how all both each every some any no not one two three first next last other another later "
    "today tonight yesterday tomorrow yes ok okay please thank thanks hello hi bye well also just only still "
    "again very really overall session supervisor worker csw social staff venue room said asked told "
    "sw iro pep lac cla sgo tac cin ehcp senco dsl lado fc fcs stage level grade"
)
KIN_WORDS = frozenset(_KIN.split())  # "his Nani in Sylhet"
FAMILY_WORDS = frozenset(_FAMILY.split())
# Capitalised words that are neither a person's surname nor a place when they follow a
# first name or a preposition: "Easter Sunday", "in March", "to Mum", "at Christmas".
NOT_NAMES = frozenset(f"{_MONTHS} {_DAYS} {_SEASONS} {_PEOPLE} {_OPENERS}".split())

# Surnames that are also everyday words: alone, a known one counts only when capitalised
# (anonymise.py); after a title, anyone's is a surname ("Mrs Brown", strangers.py).
COMMON_WORD_SURNAMES = frozenset(
    """bell bird black brown bush butcher carpenter cook cross day fish fisher ford fox
    frost gardener gold green grey hall harper hill holly hope house king knight lamb lane
    little long mason may miller moon moss newman page park parker pool porter price read
    reed rich rose sharp shepherd short small snow spring stone street summer swan taylor
    turner wall ward waters west white wise wood woods young said best good love joy hunt hand mark sweet bright
    free friend cash bond game""".split()
)

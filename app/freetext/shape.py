"""How much a word is shaped like a British or Irish place name (R-42 places): "Seacroft",
"Sparkbrook", "Penygraig" and "Drumchapel" are, "Haribo", "Okafor" and "Fortnite" are not.

No list knows every district, estate and hamlet a family lives in; the names share their
parts, though ("-croft", "-grove", "pen-y-", "drum-", "-thorpe"). This is a naive Bayes
model of a word's letter sequences (two to five letters, with the word's start and end
marked), learned from the gazetteer's own lists: the one-word GB and IE place names
of GeoNames (about 7,900) against the given names, surnames and common English words of
Faker (about 24,000), leaving out the words that are both. Nothing is learned from the
service's notes, so it cannot have learned them by heart.

`placelike(word)` is the mean log-likelihood ratio per letter: above 0 the word is more
like a place than a name; `PLACELIKE` is the bar the place rules use, for a word that
already stands where a place would ("in Sparkbrook", "the houses at Ravenscraig"). Scored on a
fifth of the lists held back while learning from the rest, that bar passes about two
thirds of place names and under 3% of names and words.

`gazetteer.load` learns it with the word lists, in about 0.3 s (`bench/anonymise.py`
reports the time and the memory), and keeps it as `Gazetteer.shapes`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import chain

__all__ = ["PLACELIKE", "learn", "placelike"]

PLACELIKE = 3.0
_SHORTEST, _LONGEST = 2, 5  # letter sequences counted
_FAINT = 0.5  # a sequence whose ratio is nearer 0 than this is not kept: 55,000 kept of 128,000


def _grams(word: str) -> set[str]:
    marked = f"^{word}$"
    return {marked[i : i + n] for n in range(_SHORTEST, _LONGEST + 1) for i in range(len(marked) - n + 1)}


def _learnable(word: str) -> bool:
    return len(word) >= 4 and word.isalpha()


def learn(places: Iterable[str], others: Iterable[str]) -> dict[str, float]:
    """The log-likelihood ratio of each letter sequence of the words given (lower case): how
    much likelier it is in a place name than in a name or a word (add-a-half smoothing). Words
    in both lists teach nothing and are left out."""
    place_words, other_words = {w for w in places if _learnable(w)}, {w for w in others if _learnable(w)}
    both = place_words & other_words
    place_words, other_words = place_words - both, other_words - both
    in_places = Counter(chain.from_iterable(map(_grams, place_words)))
    in_others = Counter(chain.from_iterable(map(_grams, other_words)))
    n_places, n_others = len(place_words) + 1, len(other_words) + 1
    weights = (
        (gram, math.log((in_places[gram] + 0.5) / n_places) - math.log((in_others[gram] + 0.5) / n_others))
        for gram in in_places.keys() | in_others.keys()
    )
    return {gram: weight for gram, weight in weights if abs(weight) >= _FAINT}  # the faint ones cost memory, not judgement


def placelike(word: str, weights: Mapping[str, float]) -> float:
    """The mean log-likelihood ratio per letter of `word` (lower case, accents folded) being a
    place name rather than a name or a word, by the `weights` that `learn` gave; 0 for what
    cannot be weighed (under four letters, or not all letters)."""
    if not _learnable(word) or not weights:
        return 0.0
    return sum(weights.get(gram, 0.0) for gram in _grams(word)) / len(word)

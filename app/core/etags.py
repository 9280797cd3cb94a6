"""Versions as ETags, and the one reading of `If-Match` every versioned row uses (R-43,
R-70): a stale version is a 412 and writes nothing, never a lost update."""

from __future__ import annotations

import re

from app.core.errors import AppError, PreconditionFailed, invalid_field

_TAG = re.compile(r'^(?:W/)?"(\d{1,18})"$')
# What `parse_if_match` accepts, for the documents' `If-Match` parameters: an ETag this
# service issued, `*`, or nothing (empty is the same as absent). HTTP strips the spaces
# around a field value, so the pattern has none.
IF_MATCH_PATTERN = r'^((W/)?"[0-9]{1,18}"|\*)?$'


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(value: str | None) -> int | str | None:
    """The version an `If-Match` names, `"*"` for any, or None when none was sent. A value
    this service could not have issued is a 422 naming the header."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text == "*":
        return text
    found = _TAG.match(text)
    if found is None:
        raise invalid_field("If-Match", 'must be an ETag this service issued, such as "3"', location="header")
    return int(found.group(1))


def check_if_match(if_match: str | None, version: int | None, what: str, *, required: bool = False) -> None:
    """`version` None: the row does not exist yet, so only an absent `If-Match` matches."""
    wanted = parse_if_match(if_match)
    if wanted is None:
        if required and version is not None:
            raise AppError(428, "precondition-required", "Precondition required", "Send If-Match with the ETag you last read.")
        return
    if version is None:
        raise PreconditionFailed(f"If-Match was sent but there is no such {what} yet.")
    if wanted != "*" and wanted != version:
        raise PreconditionFailed(
            f"The {what} is at version {version}, not {wanted}: read it again before writing.",
            current_etag=etag(version),
        )

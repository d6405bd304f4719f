"""Keyset pagination: a page of rows and the opaque cursor of the next one, the same at any depth."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Generic, TypeVar

DEFAULT_LIMIT = 100  # rows of a page or an API answer when `limit` is not given
MAX_LIMIT = 200  # the most a caller may ask for: an answer stays well under 200 KB

T = TypeVar("T")


class BadCursor(ValueError):
    """A cursor this server did not give out (or gave for another list)."""


@dataclass(frozen=True)
class Page(Generic[T]):
    """Rows in list order, and the cursor of the next page (None on the last)."""

    items: list[T]
    next: str | None = None


def clamp(limit: int | None) -> int:
    """A requested page size within 1..MAX_LIMIT (DEFAULT_LIMIT when not given)."""
    return DEFAULT_LIMIT if limit is None else min(max(int(limit), 1), MAX_LIMIT)


def encode(key: tuple) -> str:
    """The cursor after a row whose sort key is `key`."""
    return base64.urlsafe_b64encode(json.dumps(list(key), separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str | None, *types: type) -> tuple | None:
    """The sort key a cursor holds, checked against the list's key types; None for the first page."""
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadCursor("the cursor is not one this server gave out: start again without it") from None
    if not isinstance(key, list) or len(key) != len(types) or not all(
            isinstance(v, t) and not isinstance(v, bool) for v, t in zip(key, types, strict=True)):
        raise BadCursor("the cursor belongs to another list: start again without it")
    return tuple(key)


def page_of(rows: list, limit: int, key_of) -> Page:
    """The first `limit` of `limit + 1` rows fetched, with the next cursor when there were more."""
    if len(rows) <= limit:
        return Page(rows)
    return Page(rows[:limit], encode(key_of(rows[limit - 1])))

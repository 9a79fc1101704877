"""Pages of list queries: Relay-style edges, total count and opaque keyset cursors.

Lists page by keyset (the sort key of the last row seen), not by offset, so a
page never repeats or skips rows when rows are added before it. The cursor is
that key, encoded as an opaque string together with the listing it belongs to:
a cursor from one listing or sort order is refused by another instead of
silently paging from a meaningless position.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_PAGE_SIZE = 100
"""The largest ``first`` a list query accepts (the API caps pages at the same size)."""

KeyValue = str | int | float
CursorKey = tuple[KeyValue, ...]


class InvalidPageRequest(ValueError):
    """A page size out of range, or a cursor that is malformed or from another listing."""


@dataclass(frozen=True)
class Edge(Generic[T]):
    cursor: str
    node: T


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing; ``total_count`` counts every row matching the filter.

    ``has_previous`` says the page was asked for after a cursor (rows came before
    it); a listing pages forward only, so it never reads back to check.
    """

    edges: tuple[Edge[T], ...]
    total_count: int
    has_next: bool
    has_previous: bool

    @property
    def items(self) -> list[T]:
        return [edge.node for edge in self.edges]

    @property
    def start_cursor(self) -> str | None:
        return self.edges[0].cursor if self.edges else None

    @property
    def end_cursor(self) -> str | None:
        return self.edges[-1].cursor if self.edges else None


def check_first(first: int) -> int:
    if isinstance(first, bool) or not isinstance(first, int) or not 0 <= first <= MAX_PAGE_SIZE:
        raise InvalidPageRequest(f"first must be between 0 and {MAX_PAGE_SIZE}")
    return first


def encode_cursor(listing: str, key: CursorKey) -> str:
    payload = json.dumps([listing, *key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_cursor(listing: str, cursor: str, kinds: Sequence[type]) -> CursorKey:
    """The key in ``cursor``, checked to belong to ``listing`` and to have ``kinds``."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeError):
        raise InvalidPageRequest("the cursor is malformed") from None
    if not isinstance(decoded, list) or not decoded or decoded[0] != listing:
        raise InvalidPageRequest("the cursor belongs to another listing or order")
    key = tuple(decoded[1:])
    if len(key) != len(kinds) or not all(_fits(v, k) for v, k in zip(key, kinds, strict=True)):
        raise InvalidPageRequest("the cursor is malformed")
    return key


def _fits(value: object, kind: type) -> bool:
    if isinstance(value, bool):
        return False
    if kind is float:
        return isinstance(value, int | float)
    return isinstance(value, kind)


def build_page(
    rows: Sequence[R],
    *,
    first: int,
    total_count: int,
    after: str | None,
    listing: str,
    key_of: Callable[[R], CursorKey],
    node_of: Callable[[R], T],
) -> Page[T]:
    """A page from up to ``first + 1`` rows fetched in order (the extra row means more)."""
    shown = rows[:first]
    return Page(
        edges=tuple(Edge(encode_cursor(listing, key_of(row)), node_of(row)) for row in shown),
        total_count=total_count,
        has_next=len(rows) > first,
        has_previous=after is not None,
    )

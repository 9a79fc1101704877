"""Cursors and page sizes of the list queries (pure functions, no store)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projections.store.pages import (
    MAX_PAGE_SIZE,
    InvalidPageRequest,
    build_page,
    check_first,
    decode_cursor,
    encode_cursor,
)

keys = st.tuples(
    st.one_of(st.integers(-(2**62), 2**62), st.floats(allow_nan=False, allow_infinity=False)),
    st.text(),
)


@given(keys)
def test_a_cursor_decodes_to_the_key_it_encodes(key: tuple[int | float, str]) -> None:
    cursor = encode_cursor("creators:SCORE", key)

    assert decode_cursor("creators:SCORE", cursor, (float, str)) == key
    assert "=" not in cursor


@pytest.mark.parametrize(
    ("listing", "cursor", "kinds"),
    [
        ("creators:PRICE", encode_cursor("creators:SCORE", (1.5, "x")), (int, str)),
        ("campaigns", encode_cursor("campaigns", ("2026", "x", "extra")), (str, str)),
        ("campaigns", encode_cursor("campaigns", (1, "x")), (str, str)),
        ("campaigns", encode_cursor("campaigns", (True, "x")), (int, str)),
        ("campaigns", "%%%", (str, str)),
        ("campaigns", "e30", (str, str)),
    ],
)
def test_foreign_or_malformed_cursors_are_refused(
    listing: str, cursor: str, kinds: tuple[type, ...]
) -> None:
    with pytest.raises(InvalidPageRequest):
        decode_cursor(listing, cursor, kinds)


@pytest.mark.parametrize("first", [-1, MAX_PAGE_SIZE + 1, True])
def test_page_sizes_outside_zero_to_the_maximum_are_refused(first: int) -> None:
    with pytest.raises(InvalidPageRequest):
        check_first(first)


def test_an_extra_row_means_there_is_a_next_page() -> None:
    rows = [(3, "c"), (2, "b"), (1, "a")]

    page = build_page(
        rows,
        first=2,
        total_count=7,
        after=None,
        listing="l",
        key_of=lambda row: row,
        node_of=lambda row: row[1],
    )

    assert (page.items, page.total_count, page.has_next, page.has_previous) == (
        ["c", "b"],
        7,
        True,
        False,
    )
    assert page.end_cursor == encode_cursor("l", (2, "b"))
    assert page.start_cursor == encode_cursor("l", (3, "c"))

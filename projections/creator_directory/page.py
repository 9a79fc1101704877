"""A page of the creator directory as the API serves it: the search's page and, when
the caller asks for them, the reputations of its creators, read in one snapshot.

One snapshot is one round trip to the read store for the whole page, whatever
its size, and one cache entry: kept by the positions of the creator directory
and, where they are read, of the reputation read model
(:func:`projections.store.query.cached_read`), so a repeated page is served
from memory until one of them moves, and never after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from projections.creator_directory.queries import DirectoryEntry
from projections.creator_directory.search import DirectorySearch, search_in
from projections.reputation.queries import CreatorReputation, read_creator_reputations
from projections.reputation.tables import NAME as REPUTATION
from projections.store.pages import Page
from projections.store.query import QueryTx, cached_read, remembered
from projections.store.readstore import ReadStore


@dataclass(frozen=True, eq=False)
class DirectoryPage:
    """The page, and the reputations of its creators by id (text) when they were asked
    for (None otherwise); a creator the reputation model has not seen has none.

    Compared by identity: one cached page is one object, which lets the API keep
    what it builds from it beside it.
    """

    page: Page[DirectoryEntry]
    reputations: Mapping[str, CreatorReputation] | None


def directory_page(
    store: ReadStore, search: DirectorySearch, *, with_reputations: bool
) -> DirectoryPage:
    """The page ``search`` asks for, with its creators' reputations if wanted."""
    return cached_read(
        store,
        _read_models(search, with_reputations),
        _key(search, with_reputations),
        lambda q: _read(q, search, with_reputations),
    )


def remembered_directory_page(
    store: ReadStore, search: DirectorySearch, *, with_reputations: bool
) -> DirectoryPage | None:
    """The page from memory, if it is known to be current; never reads the store."""
    found = remembered(
        store, _read_models(search, with_reputations), _key(search, with_reputations)
    )
    return found if isinstance(found, DirectoryPage) else None


def _read(q: QueryTx, search: DirectorySearch, with_reputations: bool) -> DirectoryPage:
    page = search_in(search, q)
    if not with_reputations:
        return DirectoryPage(page, None)
    ids = [str(entry.creator_id) for entry in page.items]
    return DirectoryPage(page, read_creator_reputations(q, ids))


def _read_models(search: DirectorySearch, with_reputations: bool) -> tuple[str, ...]:
    names = set(search.read_models)
    if with_reputations:
        names.add(REPUTATION)
    return tuple(sorted(names))


def _key(search: DirectorySearch, with_reputations: bool) -> tuple[object, ...]:
    return ("directory_page", search, with_reputations)

"""Query results cached by the positions of the read models they read: a repeated
search is answered from memory, and never once a batch has moved those positions."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from projections.creator_directory.projection import CreatorDirectory
from projections.creator_directory.search import DirectoryOrder, search_creators
from projections.reputation.projection import CreatorReputationProjection
from projections.store.readstore import ReadStore
from tests.counting_store import CountingReadStore
from tests.ledger_driver import LedgerDriver

IG = "INSTAGRAM"


@pytest.fixture
def world(open_driver: Callable[..., LedgerDriver]) -> LedgerDriver:
    return open_driver(CreatorDirectory(), CreatorReputationProjection())


def biggest_first(store: ReadStore) -> list[str]:
    page = search_creators(store, order_by=DirectoryOrder.FOLLOWERS, first=10)
    return [entry.handle for entry in page.items]


def test_a_repeated_search_is_answered_from_memory_until_the_read_models_move(
    world: LedgerDriver,
) -> None:
    world.creator("ayu", followers={IG: 5_000})
    budi = world.creator("budi", followers={IG: 3_000})
    world.catch_up()
    store = CountingReadStore(world.store)

    first = biggest_first(store)
    searched = store.statements
    store.reset()
    again = biggest_first(store)

    assert first == again == ["ayu", "budi"]
    assert searched > 1
    if store.change_count() is None:
        assert store.statements == 1, "only the snapshot's positions are read"
    else:
        assert store.statements == 0, "nobody committed since: no snapshot at all"

    world.record_followers(budi, IG, 9_000)
    assert biggest_first(store) == ["ayu", "budi"]  # not projected yet: the same snapshot
    world.catch_up()
    store.reset()

    assert biggest_first(store) == ["budi", "ayu"]
    assert store.statements == searched


def test_searches_differing_in_any_argument_are_cached_apart(world: LedgerDriver) -> None:
    world.creator("ayu", followers={IG: 5_000})
    world.creator("budi", followers={IG: 3_000})
    world.catch_up()

    descending = search_creators(world.store, order_by=DirectoryOrder.FOLLOWERS)
    ascending = search_creators(world.store, order_by=DirectoryOrder.FOLLOWERS, descending=False)
    one = search_creators(world.store, order_by=DirectoryOrder.FOLLOWERS, first=1)
    named = search_creators(world.store, order_by=DirectoryOrder.FOLLOWERS, text="bud")

    assert [e.handle for e in descending.items] == ["ayu", "budi"]
    assert [e.handle for e in ascending.items] == ["budi", "ayu"]
    assert [e.handle for e in one.items] == ["ayu"]
    assert [e.handle for e in named.items] == ["budi"]

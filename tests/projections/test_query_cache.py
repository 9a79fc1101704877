"""Query results cached by the positions of the read models they read: a repeated
search is answered from memory, and never once a batch has moved those positions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from domain.settings import Settings
from projections.creator_directory import CreatorDirectory
from projections.directory_search import DirectoryOrder, search_creators
from projections.query import result_cache
from projections.reputation import CreatorReputationProjection
from tests.projections.ledger_world import World
from tests.support import FakeClock

IG = "INSTAGRAM"


@pytest.fixture
def world(settings: Settings, clock: FakeClock) -> Iterator[World]:
    with World.open(settings, clock, CreatorDirectory(), CreatorReputationProjection()) as opened:
        yield opened


def biggest_first(world: World) -> list[str]:
    page = search_creators(world.store, order_by=DirectoryOrder.FOLLOWERS, first=10)
    return [entry.handle for entry in page.items]


def test_a_repeated_search_is_answered_from_memory_until_the_read_models_move(
    world: World,
) -> None:
    world.creator("ayu", followers={IG: 5_000})
    budi = world.creator("budi", followers={IG: 3_000})
    world.catch_up()
    cache = result_cache(world.store)

    first = biggest_first(world)
    misses = cache.misses
    again = biggest_first(world)

    assert first == again == ["ayu", "budi"]
    assert cache.misses == misses

    world.record_followers(budi, IG, 9_000)
    assert biggest_first(world) == ["ayu", "budi"]  # not projected yet: the same snapshot
    world.catch_up()

    assert biggest_first(world) == ["budi", "ayu"]
    assert cache.misses == misses + 1


def test_searches_differing_in_any_argument_are_cached_apart(world: World) -> None:
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

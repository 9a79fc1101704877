"""Directory pages served from memory: never a page the read models have moved past.

A page is read in one snapshot with its creators' reputations and kept by the
positions it was read at. It is answered again without touching the store only
while the store can tell, without a round trip, that nothing moved: on SQLite its
change counter (which any process's commit moves), on PostgreSQL the progress
hub while its listener follows every worker's commits.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from domain.infrastructure.settings import Settings
from projections.catalog import all_projections
from projections.creator_directory.page import DirectoryPage, directory_page
from projections.creator_directory.search import DirectoryOrder, directory_search, search_in
from projections.machinery.runtime import ReadSide
from projections.store.query import follow_progress, reading
from projections.store.readstore import ReadStore
from tests.counting_store import CountingReadStore
from tests.ledger_driver import LedgerDriver
from tests.support import FakeClock, postgres_only

IG = "INSTAGRAM"
BIGGEST_FIRST = directory_search(order_by=DirectoryOrder.FOLLOWERS, first=10)
BEST_FIRST = directory_search(first=10)


@pytest.fixture
def world(settings: Settings, clock: FakeClock) -> Iterator[LedgerDriver]:
    with LedgerDriver.open(settings, clock, *all_projections()) as opened:
        yield opened


def page_of(store: ReadStore, *, with_reputations: bool = True) -> DirectoryPage:
    return directory_page(store, BIGGEST_FIRST, with_reputations=with_reputations)


def handles(found: DirectoryPage) -> list[str]:
    return [entry.handle for entry in found.page.items]


def fresh(store: ReadStore) -> list[str]:
    """The same search read from a snapshot, past every cache."""
    with reading(store) as q:
        return [entry.handle for entry in search_in(BIGGEST_FIRST, q).items]


def test_a_page_after_a_profile_change_shows_the_change(world: LedgerDriver) -> None:
    world.creator("ayu", followers={IG: 5_000})
    budi = world.creator("budi", followers={IG: 3_000})
    world.catch_up()
    assert handles(page_of(world.store)) == ["ayu", "budi"]

    world.record_followers(budi, IG, 9_000)
    world.catch_up()

    assert handles(page_of(world.store)) == ["budi", "ayu"] == fresh(world.store)


def test_a_page_carries_the_reputations_of_its_creators_read_with_it(world: LedgerDriver) -> None:
    ayu = world.creator("ayu", followers={IG: 5_000})
    world.catch_up()

    with_them = page_of(world.store)
    without = page_of(world.store, with_reputations=False)

    assert without.reputations is None
    assert with_them.reputations is not None
    assert set(with_them.reputations) == {str(ayu)}
    assert with_them.reputations[str(ayu)].score is None


def test_a_page_and_its_reputations_are_one_snapshot(world: LedgerDriver) -> None:
    world.creator("ayu", followers={IG: 5_000})
    world.creator("budi", followers={IG: 3_000})
    world.catch_up()
    store = CountingReadStore(world.store)

    directory_page(store, BEST_FIRST, with_reputations=True)

    assert store.reads == 1


@pytest.mark.parametrize("backend", ["sqlite"])
def test_on_sqlite_a_repeated_page_reads_nothing_until_anyone_commits(
    world: LedgerDriver, settings: Settings, clock: FakeClock
) -> None:
    world.creator("ayu", followers={IG: 5_000})
    budi = world.creator("budi", followers={IG: 3_000})
    world.catch_up()
    store = CountingReadStore(world.store)
    first = page_of(store)
    store.reset()

    assert page_of(store) is first
    assert store.reads == 0

    world.record_followers(budi, IG, 9_000)
    with ReadSide(settings, world.ledger, all_projections(), clock=clock) as elsewhere:
        elsewhere.engine.catch_up()  # another store on the same file, as in another process

    assert handles(page_of(store)) == ["budi", "ayu"] == fresh(world.store)
    assert store.reads == 1


@postgres_only
def test_on_postgres_a_reader_following_progress_never_serves_a_page_moved_past(
    world: LedgerDriver, settings: Settings, clock: FakeClock
) -> None:
    world.creator("ayu", followers={IG: 5_000})
    budi = world.creator("budi", followers={IG: 3_000})
    world.catch_up()
    with ReadSide(settings, world.ledger, all_projections(), clock=clock) as reader:
        reader.start_listening()
        assert reader.wait_listening(30)
        store = CountingReadStore(reader.store)
        follow_progress(store, reader.hub)
        first = page_of(store)
        store.reset()

        assert page_of(store) is first
        assert store.reads == 0

        world.record_followers(budi, IG, 9_000)
        world.catch_up()  # the writer's engine: another process for the reader
        assert reader.wait_for(world.ledger.head_position(), timeout=30)

        assert handles(page_of(store)) == ["budi", "ayu"] == fresh(reader.store)
        assert store.reads == 1

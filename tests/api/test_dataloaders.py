"""Lists cost a fixed number of store queries, however many rows they show.

The read store is wrapped in a counter of read transactions and statements,
and the event store's ``select_events`` in a counter of aggregate reads; a
page of 10 and a page of 100 must cost the same.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from anyio import to_thread

from domain.application import Ledger
from domain.application.commands import (
    LinkPlatformAccount,
    PitchCampaign,
    PublishRateCard,
    RegisterBrand,
    RegisterCreator,
)
from domain.context import Actor
from domain.infrastructure.settings import Settings
from projections.brand_profiles.projection import BrandProfiles
from projections.store.query import result_cache
from tests.counting_store import CountingReadStore
from tests.domain.builders import terms
from tests.graphql_driver import LedgerApi, serve_ledger
from tests.support import FakeClock


@dataclass
class Counts:
    reads: int
    statements: int
    aggregate_reads: int


@dataclass
class Counted:
    api: LedgerApi
    store: CountingReadStore
    aggregate_reads: list[int]

    async def query(self, query: str, variables: dict[str, Any], who: Any = None) -> Counts:
        _, counts = await self.answer(query, variables, who)
        return counts

    async def answer(
        self, query: str, variables: dict[str, Any], who: Any = None
    ) -> tuple[dict[str, Any], Counts]:
        """The query's data and what it cost, with no result cached from earlier queries."""
        result_cache(self.store).clear()
        self.store.reset()
        self.aggregate_reads[0] = 0
        data = await self.api.graphql(query, variables, who=who)
        return data, Counts(self.store.reads, self.store.statements, self.aggregate_reads[0])


@pytest.fixture
async def counted(
    settings: Settings, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Counted]:
    async with serve_ledger(settings, clock) as api:
        store = CountingReadStore(api.read_side.store)
        monkeypatch.setattr(api.read_side, "store", store)
        recorder = api.ledger.recorder
        select_events = recorder.select_events
        aggregate_reads = [0]

        def counting_select_events(*args: Any, **kwargs: Any) -> Any:
            aggregate_reads[0] += 1
            return select_events(*args, **kwargs)

        monkeypatch.setattr(recorder, "select_events", counting_select_events)
        yield Counted(api, store, aggregate_reads)


def market(ledger: Ledger, *, creators: int, brands: int) -> None:
    """``creators`` creators with an account and a rate card, ``brands`` brands, and one
    campaign per creator pitched by brand ``i % brands``."""
    admin = ledger.context(Actor.admin())
    brand_ids = [
        ledger.execute(admin, RegisterBrand(name=f"Brand {i}", industry="beauty")).aggregate_id
        for i in range(brands)
    ]
    for i in range(creators):
        creator_id = ledger.execute(
            admin,
            RegisterCreator(
                handle=f"creator.{i}",
                display_name=f"Creator {i}",
                niches=["beauty"],
                origin="NATIVE",
            ),
        ).aggregate_id
        own = ledger.context(Actor.creator(creator_id))
        ledger.execute(
            own,
            LinkPlatformAccount(
                creator_id=creator_id, platform="INSTAGRAM", handle=f"c{i}", followers=1_000 + i
            ),
        )
        ledger.execute(
            own,
            PublishRateCard(
                creator_id=creator_id,
                lines=[{"platform": "INSTAGRAM", "format": "POST", "price": {"amount": "500000"}}],
            ),
        )
        brand_id = brand_ids[i % brands]
        ledger.execute(
            ledger.context(Actor.brand(brand_id)),
            PitchCampaign(
                brand_id=brand_id,
                creator_id=creator_id,
                terms=terms(),
                message="Would you like to try our serum?",
            ),
        )


async def given_market(counted: Counted, *, creators: int, brands: int) -> None:
    await to_thread.run_sync(lambda: market(counted.api.ledger, creators=creators, brands=brands))
    await counted.api.settle()


CREATORS = """
query($first: Int) {
  creators(first: $first, orderBy: {field: FOLLOWERS}) {
    totalCount
    edges { node {
      handle platforms { followers } rateCard { lines { price { amount } } }
      reputation { score tier ratings { average } posts { likes } completion { value } }
    } }
  }
}
"""

CAMPAIGNS = """
query($first: Int) {
  campaigns(first: $first) {
    totalCount
    edges { node {
      state
      creator { handle tier reputation { score completion { value } } }
      brand { name }
    } }
  }
}
"""


async def test_a_page_of_creators_with_reputations_costs_the_same_for_10_or_100(
    counted: Counted,
) -> None:
    await given_market(counted, creators=100, brands=1)

    ten = await counted.query(CREATORS, {"first": 10})
    hundred = await counted.query(CREATORS, {"first": 100})

    assert hundred == ten
    assert hundred.reads <= 2, "one search, one batch of reputations"
    assert hundred.aggregate_reads == 0


async def test_a_page_of_campaigns_with_creators_and_reputations_costs_the_same_for_10_or_100(
    counted: Counted,
) -> None:
    await given_market(counted, creators=100, brands=1)
    admin = ("admin", "ops-1")

    ten = await counted.query(CAMPAIGNS, {"first": 10}, who=admin)
    hundred = await counted.query(CAMPAIGNS, {"first": 100}, who=admin)

    assert (hundred.reads, hundred.statements) == (ten.reads, ten.statements)
    assert hundred.reads <= 4, "one list, one batch each of creators, reputations and brands"


async def test_brand_names_on_a_page_of_campaigns_cost_no_read_per_brand(
    counted: Counted,
) -> None:
    await given_market(counted, creators=100, brands=100)
    admin = ("admin", "ops-1")

    ten = await counted.query(CAMPAIGNS, {"first": 10}, who=admin)
    hundred = await counted.query(CAMPAIGNS, {"first": 100}, who=admin)

    assert (hundred.reads, hundred.statements) == (ten.reads, ten.statements)
    assert hundred.aggregate_reads == ten.aggregate_reads == 0


async def test_a_brand_shown_on_many_rows_is_never_read_from_the_event_store(
    counted: Counted,
) -> None:
    await given_market(counted, creators=100, brands=2)

    counts = await counted.query(CAMPAIGNS, {"first": 100}, who=("admin", "ops-1"))

    assert counts.aggregate_reads == 0


BRAND_FEEDBACK = """
query($first: Int) {
  campaigns(first: $first) {
    edges { node { brand { name feedback { ratingCount payments { due } campaignsByState {
      state count
    } } } } }
  }
}
"""


async def test_brand_feedback_on_a_page_of_campaigns_costs_the_same_for_10_or_100_brands(
    counted: Counted,
) -> None:
    await given_market(counted, creators=100, brands=100)
    admin = ("admin", "ops-1")

    ten = await counted.query(BRAND_FEEDBACK, {"first": 10}, who=admin)
    hundred = await counted.query(BRAND_FEEDBACK, {"first": 100}, who=admin)

    assert hundred == ten
    assert hundred.reads <= 3, "one list, one batch of brands, one of their feedback"
    assert hundred.aggregate_reads == 0


async def test_a_brand_the_read_model_has_not_seen_is_read_from_the_event_store(
    counted: Counted, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(BrandProfiles, "handle", lambda self, event, tx: None)
    await given_market(counted, creators=4, brands=2)

    data, counts = await counted.answer(CAMPAIGNS, {"first": 10}, who=("admin", "ops-1"))

    names = [edge["node"]["brand"]["name"] for edge in data["campaigns"]["edges"]]
    assert sorted(set(names)) == ["Brand 0", "Brand 1"]
    assert len(names) == 4
    assert counts.aggregate_reads == 2, "one event-store read per brand the read model lacks"

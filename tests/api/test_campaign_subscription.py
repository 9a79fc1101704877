"""``campaignEvents`` over graphql-transport-ws against a real uvicorn server:
every new event once and in order, through bursts and writes made elsewhere,
sealed like history, and refused to whoever may not read the campaign."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import pytest
import strawberry
from anyio import to_thread
from starlette.applications import Starlette
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from domain.application import Ledger
from domain.application.commands import RecordPostMetrics, ReportSalesUplift
from domain.infrastructure.settings import Settings
from graphql_api.campaigns.events import CampaignSubscription
from graphql_api.campaigns.mutations import CampaignMutation
from graphql_api.campaigns.queries import CampaignQuery
from graphql_api.http.app import create_app
from graphql_api.http.context import RequestContext
from graphql_api.http.limits import schema_extensions
from graphql_api.http.metrics import Metrics
from graphql_api.ledger_context import LedgerContext, Services
from tests.api.support import SECRET, FakeReadiness, bearer
from tests.domain.builders import Scenario, campaign_at
from tests.graphql_driver import (
    ANONYMOUS,
    LedgerApi,
    Who,
    brand_of,
    creator_of,
    ratings_input,
    serve_ledger,
    succeed,
)
from tests.support import FakeClock

PROTOCOL = Subprotocol("graphql-transport-ws")
SUBSCRIPTION = """
subscription($id: ID!) {
  campaignEvents(campaignId: $id) { type version actor { role } payload }
}"""
BURST = 200


@pytest.fixture
async def api(settings: Settings, clock: FakeClock) -> AsyncIterator[LedgerApi]:
    async with serve_ledger(settings, clock) as api:
        yield api


@pytest.fixture
def asgi_app(api: LedgerApi) -> Starlette:
    """The API over the same ledger, with the subscription, for ``live_server`` to serve."""
    services = Services(ledger=api.ledger, read_side=api.read_side, metrics=Metrics())

    async def context_getter(base: RequestContext) -> RequestContext:
        return LedgerContext(**base.base_fields(), services=services)

    schema = strawberry.Schema(
        query=CampaignQuery,
        mutation=CampaignMutation,
        subscription=CampaignSubscription,
        extensions=schema_extensions(),
    )
    return create_app(
        schema, secret=SECRET, readiness=FakeReadiness(), context_getter=context_getter
    )


@asynccontextmanager
async def subscribed(server: str, who: Who, campaign_id: UUID | str) -> AsyncIterator[Stream]:
    async with connect(f"ws://{server}/graphql", subprotocols=[PROTOCOL]) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": bearer(*who) if who else {}})
        )
        assert json.loads(await ws.recv()) == {"type": "connection_ack"}
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": SUBSCRIPTION, "variables": {"id": str(campaign_id)}},
                }
            )
        )
        yield Stream(ws)


class Stream:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    async def message(self, timeout: float = 10.0) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
        return message

    async def events(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        events = []
        for _ in range(count):
            message = await self.message(timeout)
            assert message["type"] == "next", message
            events.append(message["payload"]["data"]["campaignEvents"])
        return events

    async def live(self, write: Callable[[], None], head: Callable[[], int]) -> int:
        """Writes until the subscription delivers an event (it has started by then),
        then takes every event up to ``head()``; the version it is at."""
        for _ in range(50):
            await to_thread.run_sync(write)
            try:
                first = await self.message(timeout=0.2)
            except TimeoutError:
                continue
            assert first["type"] == "next", first
            version: int = first["payload"]["data"]["campaignEvents"]["version"]
            later = await self.events(await to_thread.run_sync(head) - version)
            return version + len(later)
        raise AssertionError("the subscription never delivered an event")


def _head(scenario: Scenario) -> Callable[[], int]:
    return lambda: scenario.campaign().version


def _metrics_writer(ledger: Ledger, scenario: Scenario) -> Callable[[], None]:
    def write() -> None:
        ledger.execute(
            scenario.creator(),
            RecordPostMetrics(
                campaign_id=scenario.campaign_id,
                deliverable_id="d1",
                observed_at=ledger.clock(),
                followers=4200,
                likes=100,
                comments=7,
            ),
        )

    return write


async def test_a_burst_of_events_arrives_whole_once_and_in_order(
    api: LedgerApi, live_server: str
) -> None:
    scenario = campaign_at(api.ledger, "DELIVERED")
    write = _metrics_writer(api.ledger, scenario)

    async with subscribed(live_server, brand_of(scenario.parties), scenario.campaign_id) as stream:
        start = await stream.live(write, _head(scenario))
        events, _ = await asyncio.gather(
            stream.events(BURST), to_thread.run_sync(lambda: [write() for _ in range(BURST)])
        )

    assert [e["version"] for e in events] == list(range(start + 1, start + 1 + BURST))
    assert {e["type"] for e in events} == {"PostMetricsRecorded"}
    assert {e["actor"]["role"] for e in events} == {"CREATOR"}


async def test_events_written_by_another_process_arrive_without_a_notification(
    api: LedgerApi, live_server: str, settings: Settings, clock: FakeClock
) -> None:
    scenario = campaign_at(api.ledger, "DELIVERED")
    elsewhere = Ledger(settings, clock=clock)
    try:
        async with subscribed(
            live_server, creator_of(scenario.parties), scenario.campaign_id
        ) as stream:
            start = await stream.live(_metrics_writer(elsewhere, scenario), _head(scenario))
            await to_thread.run_sync(
                lambda: elsewhere.execute(
                    scenario.brand(),
                    ReportSalesUplift(
                        campaign_id=scenario.campaign_id,
                        baseline=_idr("100000"),
                        during=_idr("160000"),
                    ),
                )
            )
            [event] = await stream.events(1, timeout=5.0)
    finally:
        elsewhere.close()

    assert (event["type"], event["version"], event["actor"]["role"]) == (
        "SalesUpliftReported",
        start + 1,
        "BRAND",
    )


def _idr(amount: str) -> Any:
    from domain.money import Money

    return Money.of(amount, "IDR")


async def test_the_other_sides_feedback_arrives_sealed_until_revealed(
    api: LedgerApi, live_server: str
) -> None:
    scenario = campaign_at(api.ledger, "DELIVERED")
    cid = str(scenario.campaign_id)
    creator = creator_of(scenario.parties)

    async with subscribed(live_server, creator, cid) as stream:
        await stream.live(_metrics_writer(api.ledger, scenario), _head(scenario))
        await succeed(
            api,
            "submitFeedback",
            {"campaignId": cid, "ratings": ratings_input("BRAND"), "wouldWorkAgain": True},
            who=brand_of(scenario.parties),
        )
        [sealed] = await stream.events(1)
        await succeed(
            api,
            "submitFeedback",
            {"campaignId": cid, "ratings": ratings_input("CREATOR"), "wouldWorkAgain": False},
            who=creator,
        )
        own, revealed, completed = await stream.events(3)

    assert sealed["type"] == "FeedbackSubmitted"
    assert sealed["payload"]["ratings"] == "sealed until feedback is revealed"
    assert (own["type"], own["payload"]["would_work_again"]) == ("FeedbackSubmitted", False)
    assert [revealed["type"], completed["type"]] == ["FeedbackRevealed", "CampaignCompleted"]


@pytest.mark.parametrize(
    ("viewer", "code"),
    [
        ("other brand", "NOT_FOUND"),
        ("unknown campaign", "NOT_FOUND"),
        ("anonymous", "UNAUTHENTICATED"),
    ],
)
async def test_a_caller_who_may_not_read_the_campaign_is_refused(
    api: LedgerApi, live_server: str, viewer: str, code: str
) -> None:
    scenario = campaign_at(api.ledger, "PITCHED")
    who: Who = {
        "other brand": ("brand", "0b7c1f0e-4c43-4c39-9a0e-3c1d2b6c9f10"),
        "unknown campaign": creator_of(scenario.parties),
        "anonymous": ANONYMOUS,
    }[viewer]
    campaign_id = (
        "5f0e8d4a-0000-4000-8000-000000000000"
        if viewer == "unknown campaign"
        else str(scenario.campaign_id)
    )

    async with subscribed(live_server, who, campaign_id) as stream:
        refusal = await stream.message()
        complete = await stream.message()

    assert refusal["type"] == "next"
    assert refusal["payload"]["data"] is None
    assert refusal["payload"]["errors"][0]["extensions"]["code"] == code
    assert complete == {"id": "1", "type": "complete"}

"""Concurrent clients that keep sending mutations through faults, as real portals do:
every mutation carries an idempotency key, and one that got no answer (the
connection dropped, the server said UNAVAILABLE) is retried with the same key
and input until it gets one. What each client was told is kept, so a test can
hold the store to it afterwards."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.graphql_driver import CAMPAIGN, CREATOR, Reply, Who, call, leaks, mutation, terms

RETRY_INTERVAL = 0.2
RETRYABLE = frozenset({"UNAVAILABLE"})


@dataclass
class Op:
    """One mutation a client meant to make, and what the server finally said."""

    client: int
    number: int
    name: str
    input: dict[str, Any]
    who: Who
    attempts: int = 0
    unanswered: int = 0
    retryable_errors: int = 0
    outcome: str | None = None
    aggregate_id: str | None = None
    version: int | None = None
    replies: list[Reply] = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.input["idempotencyKey"])

    @property
    def acknowledged(self) -> bool:
        return self.outcome == "OK"


@dataclass
class LoadStats:
    sent: int = 0
    in_flight: int = 0
    acknowledged: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    transport_errors: Counter[str] = field(default_factory=Counter)
    leaked: list[str] = field(default_factory=list)
    server_errors: int = 0
    slowest: float = 0.0
    acknowledged_event: asyncio.Event = field(default_factory=asyncio.Event)
    threshold: int = 0


class CreatorClient:
    """A creator's portal: pitches a brand, records its followers, withdraws its pitch."""

    def __init__(
        self, index: int, creator_id: str, brand_id: str, run: str, started: datetime
    ) -> None:
        self.index = index
        self.creator_id = creator_id
        self.brand_id = brand_id
        self.run = run
        self.started = started
        self.ops: list[Op] = []
        self._campaign: str | None = None

    def next_op(self, number: int) -> Op:
        key = f"{self.run}-c{self.index}-op{number}"
        who: Who = ("creator", self.creator_id)
        kind = number % 3
        if kind == 0 or self._campaign is None:
            return Op(
                self.index,
                number,
                "pitchCampaign",
                {
                    "brandId": self.brand_id,
                    "creatorId": self.creator_id,
                    "message": key,
                    "terms": terms(),
                    "idempotencyKey": key,
                },
                who,
            )
        if kind == 1:
            observed = self.started - timedelta(hours=1) + timedelta(seconds=number)
            return Op(
                self.index,
                number,
                "recordFollowers",
                {
                    "creatorId": self.creator_id,
                    "platform": "INSTAGRAM",
                    "followers": 4_000 + number,
                    "observedAt": observed.isoformat(),
                    "idempotencyKey": key,
                },
                who,
            )
        return Op(
            self.index,
            number,
            "withdrawPitch",
            {"campaignId": self._campaign, "idempotencyKey": key},
            who,
        )

    def settle(self, op: Op) -> None:
        result = op.replies[-1].result()
        if op.name == "pitchCampaign":
            self._campaign = result["campaign"]["id"]
        elif op.name == "withdrawPitch":
            self._campaign = None


SELECTIONS = {"pitchCampaign": CAMPAIGN, "withdrawPitch": CAMPAIGN, "recordFollowers": CREATOR}


async def send_until_answered(
    http: httpx.AsyncClient, op: Op, stats: LoadStats, *, deadline: float, timeout: float = 15.0
) -> None:
    """Sends ``op`` until it gets a final answer: retries after a dropped connection or
    a retryable error, with the same idempotency key and input, until ``deadline``."""
    query = mutation(op.name, SELECTIONS[op.name])
    while True:
        op.attempts += 1
        stats.sent += 1
        stats.in_flight += 1
        started = time.monotonic()
        try:
            reply = await call(
                http,
                query,
                {"input": op.input},
                who=op.who,
                request_id=f"{op.key}-a{op.attempts}",
                timeout=timeout,
            )
        except httpx.TransportError as error:
            op.unanswered += 1
            stats.transport_errors[type(error).__name__] += 1
            reply = None
        finally:
            stats.in_flight -= 1
            stats.slowest = max(stats.slowest, time.monotonic() - started)
        if reply is not None:
            op.replies.append(reply)
            stats.leaked.extend(leaks(reply.text))
            if reply.status >= 500:
                stats.server_errors += 1
            outcome = reply.outcome()
            stats.outcomes[outcome] += 1
            if outcome in RETRYABLE:
                op.retryable_errors += 1
            else:
                op.outcome = outcome
                if outcome == "OK":
                    payload = reply.result()
                    entity = payload.get("campaign") or payload.get("creator") or {}
                    op.aggregate_id = entity.get("id")
                    op.version = payload.get("version")
                    stats.acknowledged += 1
                    if stats.acknowledged >= stats.threshold:
                        stats.acknowledged_event.set()
                return
        if time.monotonic() > deadline:
            op.outcome = "GAVE_UP"
            return
        await asyncio.sleep(RETRY_INTERVAL)


async def run_clients(
    base_url: str,
    clients: list[CreatorClient],
    ops_per_client: int,
    stats: LoadStats,
    *,
    deadline: float,
    stop: Callable[[], bool] = lambda: False,
) -> None:
    limits = httpx.Limits(max_connections=len(clients) * 2, max_keepalive_connections=len(clients))
    async with httpx.AsyncClient(base_url=base_url, limits=limits) as http:

        async def drive(client: CreatorClient) -> None:
            for number in range(ops_per_client):
                if stop() or time.monotonic() > deadline:
                    return
                op = client.next_op(number)
                client.ops.append(op)
                await send_until_answered(http, op, stats, deadline=deadline)
                if op.acknowledged:
                    client.settle(op)
                else:
                    return

        await asyncio.gather(*(drive(client) for client in clients))


async def until_acknowledged(stats: LoadStats, load: asyncio.Task[None], timeout: float) -> None:
    """Waits until ``stats.threshold`` mutations were acknowledged. Fails at once, with
    what the clients were told, if the load ends first (a client stops at its first
    final answer that is not OK) or ``timeout`` passes."""
    reached = asyncio.create_task(stats.acknowledged_event.wait())
    await asyncio.wait({reached, load}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    reached.cancel()
    if not stats.acknowledged_event.is_set():
        raise AssertionError(
            f"{stats.acknowledged} of {stats.threshold} mutations acknowledged "
            f"({'the load ended' if load.done() else f'after {timeout:.0f} s'}): "
            f"outcomes={dict(stats.outcomes)}, transport_errors={dict(stats.transport_errors)}, "
            f"server_errors={stats.server_errors}, in_flight={stats.in_flight}, "
            f"slowest={stats.slowest:.1f} s"
        )


def new_run() -> str:
    return uuid.uuid4().hex[:8]


def now() -> datetime:
    return datetime.now(UTC)

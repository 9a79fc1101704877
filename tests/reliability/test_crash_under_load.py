"""The API server SIGKILLed in the middle of a load of mutations, then restarted.

32 creator portals keep pitching brands, recording followers and withdrawing
pitches, each mutation with an idempotency key; one that loses its connection
is retried with the same key until the restarted server answers. Afterwards
the store must hold every acknowledged mutation exactly as acknowledged, no
key may have taken effect twice or without its idempotency record, replaying
every key must write nothing, and ``campaign-ledger verify`` must pass.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from domain.infrastructure.settings import Settings
from tests.graphql_driver import leaks, register_brand, register_creator
from tests.reliability.figures import Figures
from tests.reliability.load import (
    CreatorClient,
    LoadStats,
    Op,
    new_run,
    now,
    run_clients,
    send_until_answered,
    until_acknowledged,
)
from tests.reliability.processes import Processes, run_cli
from tests.reliability.store_audit import audit, export_events
from tests.support import eventually

CLIENTS = 32
BRANDS = 4
OPS_PER_CLIENT = 12
KILL_AFTER_ACKNOWLEDGED = CLIENTS * OPS_PER_CLIENT // 3
LOAD_SECONDS = 150


@pytest.mark.slow
async def test_sigkill_under_load_loses_no_acknowledged_mutation_and_doubles_none(
    settings: Settings, env: dict[str, str], processes: Processes, figures: Figures
) -> None:
    if settings.backend == "postgres":
        # One process that serves and projects: the kill interrupts both at once.
        env["LEDGER_EMBEDDED_PROJECTIONS"] = "1"
    server = processes.server(env)
    run = new_run()
    async with httpx.AsyncClient(base_url=server.url) as http:
        brands = [await register_brand(http, f"Brand {run} {b}") for b in range(BRANDS)]
        creators = [await register_creator(http, f"c{run}.{i}") for i in range(CLIENTS)]
    clients = [
        CreatorClient(i, creator_id, brands[i % BRANDS], run, now())
        for i, creator_id in enumerate(creators)
    ]
    stats = LoadStats(threshold=KILL_AFTER_ACKNOWLEDGED)
    deadline = time.monotonic() + LOAD_SECONDS

    load = asyncio.create_task(
        run_clients(server.url, clients, OPS_PER_CLIENT, stats, deadline=deadline)
    )
    await until_acknowledged(stats, load, timeout=LOAD_SECONDS)
    in_flight_at_kill = stats.in_flight
    server.kill()
    await asyncio.to_thread(server.start)
    await load

    ops = [op for client in clients for op in client.ops]
    unanswered = [op for op in ops if op.unanswered]
    assert all(op.acknowledged for op in ops), [
        (op.key, op.outcome) for op in ops if not op.acknowledged
    ]
    assert len(ops) == CLIENTS * OPS_PER_CLIENT
    assert unanswered, "the kill interrupted no request; the test proved nothing"

    # Every key sent again, as a client that never saw its answer would: nothing new is written.
    head_before = len(export_events(env))
    replay_stats = LoadStats()
    async with httpx.AsyncClient(base_url=server.url) as http:
        replays = await asyncio.gather(*(_replay(http, op, replay_stats) for op in ops))
    assert all(replays), "a replayed key did not return its original result"
    events = export_events(env)
    assert len(events) == head_before, "replaying idempotency keys wrote events"

    eventually(server.caught_up, "the projections to catch up after the restart", timeout=90)
    verify = run_cli(env, "verify")
    found = audit(ops, events)

    figures.record(
        f"crash_under_load[{settings.backend}]",
        clients=CLIENTS,
        requests=stats.sent + replay_stats.sent,
        acknowledged=found.acknowledged,
        in_flight_at_kill=in_flight_at_kill,
        unanswered_then_retried=len(unanswered),
        committed_but_unanswered=found.committed_but_unanswered,
        kills=server.kills,
        restarts=server.starts - 1,
        events=found.events,
        lost=len(found.lost),
        duplicated=len(found.duplicated),
        half_applied=len(found.half_applied),
        verify_exit=verify.returncode,
    )
    assert verify.returncode == 0, verify.stderr
    assert found.clean, found
    assert stats.server_errors == 0
    assert not stats.leaked


async def _replay(http: httpx.AsyncClient, op: Op, stats: LoadStats) -> bool:
    original = (op.aggregate_id, op.version)
    again = Op(op.client, op.number, op.name, op.input, op.who)
    await send_until_answered(http, again, stats, deadline=time.monotonic() + 30)
    assert not leaks(again.replies[-1].text)
    return again.acknowledged and (again.aggregate_id, again.version) == original

"""A projection worker SIGKILLed mid-batch on PostgreSQL while writes continue: the
standby takes over from the tracked positions and the read models end equal to a
rebuild (``campaign-ledger verify``).

Two ``campaign-ledger project`` workers run beside a serving API process. The
first holds every projection's lock; it is frozen (SIGSTOP, as a long GC pause or
a stalled VM would) while creator portals build a backlog, then thawed, frozen
again the moment the database shows its batch transaction writing read-model
rows, and killed. That transaction's id is checked afterwards: it must have been
rolled back, which is what proves the kill landed mid-batch.
"""

from __future__ import annotations

import asyncio
import signal
import time

import httpx
import psycopg
import pytest

from domain.infrastructure.settings import Settings
from projections.catalog import all_projections
from tests.graphql_driver import register_brand, register_creator
from tests.projections.projection_testkit import lock_holders
from tests.reliability.figures import Figures
from tests.reliability.load import (
    CreatorClient,
    LoadStats,
    new_run,
    now,
    run_clients,
    until_acknowledged,
)
from tests.reliability.processes import LedgerProcess, Processes, run_cli
from tests.reliability.store_audit import audit, export_events
from tests.support import eventually, postgres_only

CLIENTS = 16
OPS_PER_CLIENT = 24
# Two events an op: a backlog of more than one full batch (500) when the worker thaws.
THAW_AFTER_ACKNOWLEDGED = CLIENTS * 16
LOAD_SECONDS = 150


OPEN_READ_MODEL_WRITE = """
SELECT backend_xid::text FROM pg_stat_activity
WHERE datname = current_database() AND backend_xid IS NOT NULL
  AND state IN ('active', 'idle in transaction')
  AND query ~* '^\\s*(insert\\s+into|update|delete\\s+from)\\s+"?rm_'
"""
"""Transactions whose latest statement wrote a read-model row (``rm_*``): a batch in
progress, whose tracking update and COMMIT are still to come."""


def _slots() -> list[tuple[str, int]]:
    return [(p.name, p.version) for p in all_projections()]


def _holders(settings: Settings) -> set[int]:
    scope = settings.postgres.schema or "public"
    return {
        pid for name, version in _slots() for pid in lock_holders(settings, scope, name, version)
    }


def _holds_everything(settings: Settings, worker: LedgerProcess) -> bool:
    scope = settings.postgres.schema or "public"
    return all(
        lock_holders(settings, scope, name, version) == [worker.pid] for name, version in _slots()
    )


def _open_batch_transactions(settings: Settings) -> list[str]:
    with psycopg.connect(settings.postgres.conninfo(), autocommit=True) as connection:
        return [str(xid) for (xid,) in connection.execute(OPEN_READ_MODEL_WRITE).fetchall()]


def _status_of(settings: Settings, xid: str) -> str:
    with psycopg.connect(settings.postgres.conninfo(), autocommit=True) as connection:
        row = connection.execute("SELECT pg_xact_status(%s::xid8)", (xid,)).fetchone()
    return str(row[0]) if row else "unknown"


def _lag(settings: Settings, server_url: str) -> int:
    body = httpx.post(
        f"{server_url}/graphql", json={"query": "{ projections { lag } }"}, timeout=10
    ).json()
    return max(int(p["lag"]) for p in body["data"]["projections"])


@postgres_only
@pytest.mark.slow
async def test_standby_worker_takes_over_a_worker_killed_mid_batch(
    settings: Settings, env: dict[str, str], processes: Processes, figures: Figures
) -> None:
    server = processes.server(env)
    holder = processes.worker(env, "worker-a")
    eventually(
        lambda: _holds_everything(settings, holder),
        "worker A to take every lock",
        alive=holder.alive,
    )
    standby = processes.worker(env, "worker-b")
    eventually(
        lambda: standby.pid not in _holders(settings) and _standby_waiting(settings, standby),
        "worker B to stand by",
        alive=standby.alive,
    )

    run = new_run()
    async with httpx.AsyncClient(base_url=server.url) as http:
        brands = [await register_brand(http, f"Brand {run} {b}") for b in range(4)]
        creators = [await register_creator(http, f"w{run}.{i}") for i in range(CLIENTS)]
    clients = [CreatorClient(i, c, brands[i % 4], run, now()) for i, c in enumerate(creators)]
    stats = LoadStats(threshold=THAW_AFTER_ACKNOWLEDGED)

    frozen = holder.process
    assert frozen is not None
    frozen.send_signal(signal.SIGSTOP)
    load = asyncio.create_task(
        run_clients(
            server.url, clients, OPS_PER_CLIENT, stats, deadline=time.monotonic() + LOAD_SECONDS
        )
    )
    await until_acknowledged(stats, load, timeout=LOAD_SECONDS)
    backlog = await asyncio.to_thread(_lag, settings, server.url)
    frozen.send_signal(signal.SIGCONT)

    seen: list[str] = []

    def frozen_mid_batch() -> bool:
        """Freezes worker A the moment a batch of its is seen writing read-model rows, and
        keeps it frozen if the batch is still at that point (so it has not sent COMMIT,
        and now cannot): the kill is then certain to land mid-batch."""
        writing = _open_batch_transactions(settings)
        if not writing:
            return False
        frozen.send_signal(signal.SIGSTOP)
        seen[:] = [xid for xid in _open_batch_transactions(settings) if xid in writing]
        if not seen:
            frozen.send_signal(signal.SIGCONT)
        return bool(seen)

    await asyncio.to_thread(
        eventually,
        frozen_mid_batch,
        "worker A to be caught mid-batch",
        interval=0.005,
        alive=holder.alive,
    )
    holder.kill()
    killed_at = time.monotonic()
    # The server notices the dead client at its next read of the socket: until then the
    # transaction is still "in progress".
    await asyncio.to_thread(
        eventually,
        lambda: all(_status_of(settings, xid) != "in progress" for xid in seen),
        "the killed worker's transaction to end",
        timeout=30,
    )
    outcome = {xid: _status_of(settings, xid) for xid in seen}

    await asyncio.to_thread(
        eventually,
        lambda: _holds_everything(settings, standby),
        "worker B to take over every lock",
        alive=standby.alive,
    )
    takeover_seconds = time.monotonic() - killed_at
    await load
    await asyncio.to_thread(
        eventually,
        lambda: _lag(settings, server.url) == 0,
        "worker B to catch up",
        timeout=120,
        alive=standby.alive,
    )

    verify = run_cli(env, "verify")
    ops = [op for client in clients for op in client.ops]
    found = audit(ops, export_events(env))
    figures.record(
        "worker_takeover[postgres]",
        clients=CLIENTS,
        requests=stats.sent,
        backlog_events_at_thaw=backlog,
        killed_batch_transactions=len(seen),
        rolled_back=sum(1 for status in outcome.values() if status == "aborted"),
        kills=holder.kills,
        takeover_seconds=round(takeover_seconds, 1),
        events=found.events,
        lost=len(found.lost),
        duplicated=len(found.duplicated),
        verify_exit=verify.returncode,
    )
    assert outcome, "no batch transaction was seen"
    assert set(outcome.values()) == {"aborted"}, outcome
    assert all(op.acknowledged for op in ops)
    assert found.clean, found
    assert verify.returncode == 0, verify.stderr
    standby.stop()
    assert standby.process is not None
    assert standby.process.returncode == 0


def _standby_waiting(settings: Settings, worker: LedgerProcess) -> bool:
    with psycopg.connect(settings.postgres.conninfo(), autocommit=True) as connection:
        row = connection.execute(
            "SELECT 1 FROM pg_stat_activity WHERE application_name = %s",
            (f"ledger-projection-worker:{worker.pid}",),
        ).fetchone()
    return row is not None

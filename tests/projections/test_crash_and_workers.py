"""Projection processes killed at the worst moment recover to exactly the rebuild."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

from domain.infrastructure.settings import Settings
from tests.projections.projection_testkit import (
    LedgerTestApp,
    OpenReadSide,
    lock_holders,
    session_query,
    start_process,
    totals,
    write_events,
)
from tests.support import eventually, postgres_only


def test_sigkill_mid_batch_loses_nothing_and_counts_nothing_twice(
    settings: Settings, event_app: LedgerTestApp, open_read_side: OpenReadSide, tmp_path: Path
) -> None:
    ledger, _ = write_events(event_app, counters=3, increments=10)
    marker = tmp_path / "in-batch"
    mode = "worker" if settings.backend == "postgres" else "catch-up"
    process = start_process(
        settings, tmp_path / "worker.log", mode=mode, batch_size=10, hang_at=15, marker=marker
    )
    try:
        eventually(marker.exists, "the worker to hang mid-batch", alive=process)
    finally:
        _kill(process)

    read_side = open_read_side(batch_size=10)
    (status,) = read_side.status()
    assert status.position == 10
    assert totals(read_side) == ledger.expected(10)

    read_side.engine.catch_up()

    assert totals(read_side) == ledger.expected()
    assert read_side.verify() == []


@postgres_only
def test_one_worker_processes_and_a_standby_takes_over_when_it_dies(
    settings: Settings, event_app: LedgerTestApp, open_read_side: OpenReadSide, tmp_path: Path
) -> None:
    ledger, head = write_events(event_app, counters=4, increments=10)
    read_side = open_read_side()
    scope = read_side.scope
    marker = tmp_path / "in-batch"
    holder = start_process(
        settings, tmp_path / "a.log", mode="worker", batch_size=5, hang_at=23, marker=marker
    )
    standby = None
    try:
        eventually(marker.exists, "the first worker to hang mid-batch", alive=holder)
        standby = start_process(settings, tmp_path / "b.log", mode="worker", batch_size=5)
        eventually(
            lambda: _tried_lock(settings, standby.pid), "the standby to try the lock", alive=standby
        )
        assert lock_holders(settings, scope, "counting", 1) == [holder.pid]
        (status,) = read_side.status()
        assert (status.position, status.processing) == (20, True)

        holder.send_signal(signal.SIGKILL)
        holder.wait(30)

        eventually(
            lambda: lock_holders(settings, scope, "counting", 1) == [standby.pid],
            "the standby to take the lock",
            alive=standby,
        )
        eventually(lambda: read_side.status()[0].lag == 0, "the standby to finish", alive=standby)
        assert totals(read_side) == ledger.expected()
        assert read_side.status()[0].position == head
        assert read_side.verify() == []
        standby.send_signal(signal.SIGTERM)
        assert standby.wait(30) == 0
    finally:
        _kill(holder, standby)


@postgres_only
def test_waiter_is_woken_by_a_worker_in_another_process(
    settings: Settings, event_app: LedgerTestApp, open_read_side: OpenReadSide, tmp_path: Path
) -> None:
    api = open_read_side()
    api.start_listening()
    assert api.wait_listening(30)
    ledger, head = write_events(event_app, counters=2, increments=5)
    assert api.wait_for(head, timeout=0) is False

    worker = start_process(settings, tmp_path / "worker.log", mode="worker", batch_size=3)
    try:
        assert api.wait_for(head, timeout=60)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(30) == 0
    finally:
        _kill(worker)
    assert totals(api) == ledger.expected()


def _tried_lock(settings: Settings, pid: int) -> bool:
    session = session_query(settings, pid)
    return session is not None and "pg_try_advisory_lock" in session[1]


def _kill(*processes: subprocess.Popen[bytes] | None) -> None:
    for process in processes:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait(30)

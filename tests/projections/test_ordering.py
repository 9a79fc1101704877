"""Events that commit out of position order are still projected, never skipped; and the
lock that makes this so never outlives the read that takes it."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg

from domain.infrastructure.settings import Settings
from projections.machinery.runtime import ReadSide
from tests.projections.projection_testkit import (
    LedgerTestApp,
    OpenReadSide,
    start_process,
    totals,
    write_events,
)
from tests.support import eventually, postgres_only


@postgres_only
def test_an_event_committing_after_a_later_position_is_not_skipped(
    settings: Settings, event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    write_events(event_app, counters=1, increments=1)
    read_side = open_read_side()
    read_side.engine.catch_up()
    recorder: Any = event_app.recorder
    copy_first_event = _copy_first_event(recorder)
    conninfo = settings.postgres.conninfo()
    with psycopg.connect(conninfo) as early, psycopg.connect(conninfo, autocommit=True) as late:
        early_row = early.execute(copy_first_event, (uuid4(),)).fetchone()
        late_row = late.execute(copy_first_event, (uuid4(),)).fetchone()
        assert early_row is not None
        assert late_row is not None
        assert late_row[0] > early_row[0]
        errors: list[BaseException] = []
        catching_up = threading.Thread(target=_run, args=(read_side, errors))
        catching_up.start()
        _wait_for_a_blocked_lock(late, recorder.events_table_name)
        early.commit()
        catching_up.join(60)

    assert errors == []
    assert len(totals(read_side)) == 3
    (status,) = read_side.status()
    assert (status.position, status.lag) == (late_row[0], 0)


@postgres_only
def test_a_worker_stopped_while_reading_the_head_holds_up_no_writer(
    settings: Settings, event_app: LedgerTestApp, open_read_side: OpenReadSide, tmp_path: Path
) -> None:
    """The head is read under a lock every insert waits for. A worker stopped while it
    reads the head (here: SIGSTOP while its read queues behind an insert in flight, as
    a long GC pause or a stalled VM would stop it) must not keep that lock: writers
    would wait for as long as it stays stopped."""
    write_events(event_app, counters=1, increments=1)
    read_side = open_read_side()
    recorder: Any = event_app.recorder
    copy_first_event = _copy_first_event(recorder)
    conninfo = settings.postgres.conninfo()
    worker = start_process(settings, tmp_path / "worker.log", mode="worker")
    try:
        eventually(lambda: read_side.status()[0].lag == 0, "the worker to catch up", alive=worker)
        with (
            psycopg.connect(conninfo) as early,
            psycopg.connect(conninfo, autocommit=True) as writer,
        ):
            early.execute(copy_first_event, (uuid4(),))
            # The worker reads the head again at its next wake-up, and queues behind it.
            _wait_for_a_blocked_lock(writer, recorder.events_table_name, "%IN SHARE MODE%")
            worker.send_signal(signal.SIGSTOP)
            early.commit()
            writer.execute("SET lock_timeout = '10s'")
            row = writer.execute(copy_first_event, (uuid4(),)).fetchone()
            worker.send_signal(signal.SIGCONT)
        assert row is not None
        eventually(lambda: read_side.status()[0].lag == 0, "the worker to finish", alive=worker)
        assert len(totals(read_side)) == 3
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(30) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(30)


def _copy_first_event(recorder: Any) -> str:
    """An INSERT of a new event (a copy of the first, under a new originator id)."""
    table = f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'
    return (
        f"INSERT INTO {table} (originator_id, originator_version, topic, state)"
        f" SELECT %s, 1, topic, state FROM {table} WHERE notification_id = 1"
        " RETURNING notification_id"
    )


def _run(read_side: ReadSide, errors: list[BaseException]) -> None:
    try:
        read_side.engine.catch_up()
    except BaseException as exc:
        errors.append(exc)


def _wait_for_a_blocked_lock(
    connection: psycopg.Connection[tuple[object, ...]], table: str, statement: str = "%"
) -> None:
    """Bounded wait until the catch-up is queued behind the in-flight insert (in a
    statement ``LIKE statement``)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        row = connection.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE c.relname = %s AND NOT l.granted AND a.query LIKE %s",
            (table, statement),
        ).fetchone()
        if row and row[0]:
            return
        time.sleep(0.02)
    raise AssertionError("the catch-up never waited for the in-flight insert")

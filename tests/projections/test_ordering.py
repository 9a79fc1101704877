"""Events that commit out of position order are still projected, never skipped."""

from __future__ import annotations

import threading
import time
from typing import Any
from uuid import uuid4

import psycopg
import pytest

from domain.settings import Settings
from projections.runtime import ReadSide
from tests.projections.projection_testkit import (
    LedgerTestApp,
    OpenReadSide,
    totals,
    write_events,
)


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_an_event_committing_after_a_later_position_is_not_skipped(
    settings: Settings, app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    write_events(app, counters=1, increments=1)
    read_side = open_read_side()
    read_side.engine.catch_up()
    recorder: Any = app.recorder
    table = f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'
    copy_first_event = (
        f"INSERT INTO {table} (originator_id, originator_version, topic, state)"
        f" SELECT %s, 1, topic, state FROM {table} WHERE notification_id = 1"
        " RETURNING notification_id"
    )
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


def _run(read_side: ReadSide, errors: list[BaseException]) -> None:
    try:
        read_side.engine.catch_up()
    except BaseException as exc:
        errors.append(exc)


def _wait_for_a_blocked_lock(
    connection: psycopg.Connection[tuple[object, ...]], table: str
) -> None:
    """Bounded wait until the catch-up is queued behind the in-flight insert."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        row = connection.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE c.relname = %s AND NOT l.granted",
            (table,),
        ).fetchone()
        if row and row[0]:
            return
        time.sleep(0.02)
    raise AssertionError("the catch-up never waited for the in-flight insert")

from __future__ import annotations

import threading
from typing import Any

import pytest
from eventsourcing.domain import DomainEventProtocol

from projections.machinery.base import ProjectionTx, TableSpec
from projections.machinery.decoding import ProjectionFailed
from projections.machinery.runtime import ReadSide
from tests.projections.projection_testkit import (
    CountingProjection,
    LedgerTestApp,
    OpenReadSide,
    totals,
    write_events,
)


def test_failing_batch_commits_neither_rows_nor_position(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    ledger, head = write_events(event_app, counters=3, increments=10)
    projection = CountingProjection(fail_at=15)
    read_side = open_read_side(projection, batch_size=10)

    with pytest.raises(ProjectionFailed) as failure:
        read_side.engine.catch_up()

    assert failure.value.notification_id == 15
    (status,) = read_side.status()
    assert status.position == 10
    assert "deliberate failure at 15" in (status.last_error or "")
    assert totals(read_side) == ledger.expected(10)

    projection.fail_at = None
    read_side.engine.catch_up()

    assert totals(read_side) == ledger.expected()
    (status,) = read_side.status()
    assert (status.position, status.lag, status.last_error) == (head, 0, None)
    assert read_side.verify() == []


def test_position_advances_over_events_the_projection_ignores(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    _, head = write_events(event_app, counters=1, increments=1, notes=7)
    read_side = open_read_side(batch_size=3)

    read_side.engine.catch_up()

    (status,) = read_side.status()
    assert status.position == head
    assert read_side.wait_for(head, timeout=0) is True


def test_catch_up_stops_at_the_requested_position(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    ledger, _ = write_events(event_app, counters=2, increments=5)
    read_side = open_read_side(batch_size=4)

    read_side.engine.catch_up(stop=7)

    assert totals(read_side) == ledger.expected(7)
    assert read_side.wait_for(7, timeout=0) is True
    assert read_side.wait_for(8, timeout=0) is False


def test_racing_processors_apply_each_event_exactly_once(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    ledger, _ = write_events(event_app, counters=4, increments=15)
    first = open_read_side(batch_size=5)
    second = open_read_side(batch_size=7)
    errors: list[BaseException] = []

    def run(read_side: ReadSide) -> None:
        try:
            read_side.engine.catch_up()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(rs,)) for rs in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert totals(first) == ledger.expected()
    assert first.verify() == []


def test_incremental_processing_equals_a_rebuild(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    ledger, head = write_events(event_app, counters=3, increments=4)
    read_side = open_read_side(batch_size=3)
    for stop in (1, 5, 6, 13, head):
        read_side.engine.catch_up(stop=stop)
    incremental = totals(read_side)
    progress: list[int] = []

    (result,) = read_side.rebuild("counting", progress=lambda step: progress.append(step.position))

    assert (result.name, result.version, result.position, result.active) == (
        "counting",
        1,
        head,
        True,
    )
    assert progress == sorted(progress)
    assert progress[-1] == head
    assert totals(read_side) == incremental == ledger.expected()


def test_status_reports_lag_against_the_event_store_head(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    read_side = open_read_side()
    _, head = write_events(event_app, counters=1, increments=2)

    (before,) = read_side.status()
    read_side.engine.catch_up()
    (after,) = read_side.status()

    assert (before.position, before.head_position, before.lag, before.active) == (
        0,
        head,
        head,
        True,
    )
    assert (after.position, after.lag) == (head, 0)


def test_a_projection_with_an_invalid_name_is_refused_at_definition() -> None:
    with pytest.raises(ValueError, match="projection name"):

        class Bad(CountingProjection):
            name = "Bad-Name"


def test_a_table_spec_refuses_unknown_types_and_missing_key_columns() -> None:
    with pytest.raises(ValueError, match="unsupported type"):
        TableSpec(columns={"a": "BLOB"}, primary_key=("a",))
    with pytest.raises(ValueError, match="unknown columns"):
        TableSpec(columns={"a": "TEXT"}, primary_key=("b",))


def test_table_specs_declare_portable_types_per_dialect() -> None:
    spec = TableSpec(
        columns={"id": "TEXT", "n": "INTEGER NOT NULL", "x": "REAL", "doc": "JSON"},
        primary_key=("id",),
        indexes=(("n", "x"),),
    )

    assert spec.create_statements("t", "postgres") == [
        "CREATE TABLE IF NOT EXISTS t (id TEXT NOT NULL, n BIGINT NOT NULL,"
        " x DOUBLE PRECISION, doc TEXT, PRIMARY KEY (id))",
        "CREATE INDEX IF NOT EXISTS t_ix1 ON t (n, x)",
    ]
    assert spec.create_statements("t", "sqlite")[0] == (
        "CREATE TABLE IF NOT EXISTS t (id TEXT NOT NULL, n INTEGER NOT NULL,"
        " x REAL, doc TEXT, PRIMARY KEY (id))"
    )


class DuplicatingProjection(CountingProjection):
    """Writes a row that is already there at ``fail_at``, the last event of its batch:
    the database refuses it, on PostgreSQL only when the batch is about to commit."""

    name = "duplicating"

    def handle(self, event: DomainEventProtocol[Any], tx: ProjectionTx) -> None:
        fail_at, self.fail_at = self.fail_at, None
        super().handle(event, tx)
        self.fail_at = fail_at
        if tx.position == fail_at:
            tx.write(
                f"INSERT INTO {tx.table('totals')} (counter_id, name, total, increments)"
                " VALUES (?, 'again', 0, 0)",
                (str(event.originator_id),),
            )


def test_a_write_the_database_refuses_stops_only_its_projection(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    ledger, head = write_events(event_app, counters=2, increments=10)
    read_side = open_read_side(
        CountingProjection(), DuplicatingProjection(fail_at=20), batch_size=10
    )

    result = read_side.engine.catch_up(raise_errors=False)

    assert list(result.failures) == [("duplicating", 1)]
    status = {s.name: s for s in read_side.status()}
    assert status["duplicating"].position == 10
    assert "duplicating v1 failed" in (status["duplicating"].last_error or "")
    assert (status["counting"].position, status["counting"].last_error) == (head, None)
    assert totals(read_side) == ledger.expected()

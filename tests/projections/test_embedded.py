from __future__ import annotations

from tests.projections.projection_testkit import (
    Counter,
    CountingProjection,
    LedgerTestApp,
    OpenReadSide,
    totals,
    write_events,
)


def test_embedded_runner_is_woken_by_a_save(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    read_side = open_read_side()
    read_side.start_embedded(safety_timeout=600)
    counter = Counter(name="woken")
    counter.increment(by=5)

    (_, recording) = event_app.save(counter)

    assert read_side.wait_for(recording.notification.id, timeout=30)
    assert totals(read_side) == {str(counter.id): ("woken", 5, 1)}

    counter.increment(by=2)
    (recording,) = event_app.save(counter)

    assert read_side.wait_for(recording.notification.id, timeout=30)
    assert totals(read_side) == {str(counter.id): ("woken", 7, 2)}
    (status,) = read_side.status()
    assert (status.lag, status.processing) == (0, True)


def test_embedded_runner_catches_up_on_start(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    ledger, head = write_events(event_app, counters=2, increments=3)
    read_side = open_read_side(batch_size=2)

    read_side.start_embedded(safety_timeout=600)

    assert read_side.wait_for(head, timeout=30)
    assert totals(read_side) == ledger.expected()


def test_failing_projection_does_not_stop_the_runner(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    projection = CountingProjection(fail_at=2)
    read_side = open_read_side(projection)
    read_side.start_embedded(safety_timeout=600)
    ledger, head = write_events(event_app, counters=1, increments=3)

    assert not read_side.wait_for(head, timeout=0.2)
    projection.fail_at = None

    assert read_side.wait_for(head, timeout=30)
    assert totals(read_side) == ledger.expected()


def test_wait_for_a_position_never_written_times_out(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    read_side = open_read_side()
    read_side.start_embedded(safety_timeout=600)
    _, head = write_events(event_app, counters=1, increments=1)

    assert read_side.wait_for(head, timeout=30)
    assert read_side.wait_for(head + 1, timeout=0.1) is False

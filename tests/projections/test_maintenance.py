from __future__ import annotations

import pytest

from projections.machinery.maintenance import SwitchRefused, drop_version
from projections.machinery.runtime import ReadSide
from tests.projections.projection_testkit import (
    CountingProjection,
    CountingProjectionV2,
    LedgerTestApp,
    OpenReadSide,
    totals,
    write_events,
)


def test_verify_finds_nothing_when_live_equals_rebuild(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    write_events(event_app, counters=3, increments=5)
    read_side = open_read_side(batch_size=4)
    read_side.engine.catch_up(stop=9)

    assert read_side.verify() == []
    (status,) = read_side.status()
    assert status.lag == 0


def test_verify_names_hand_edited_missing_and_extra_rows(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    ledger, _ = write_events(event_app, counters=3, increments=2)
    read_side = open_read_side()
    read_side.engine.catch_up()
    edited, deleted = sorted(ledger.names)[:2]
    with read_side.store.transaction() as tx:
        tx.execute("UPDATE rm_counting_v1_totals SET total = 999 WHERE counter_id = ?", (edited,))
        tx.execute("DELETE FROM rm_counting_v1_totals WHERE counter_id = ?", (deleted,))
        tx.execute(
            "INSERT INTO rm_counting_v1_totals (counter_id, name, total, increments)"
            " VALUES ('zzz-bogus', 'bogus', 1, 1)"
        )

    differences = {d.key["counter_id"]: d for d in read_side.verify()}

    assert set(differences) == {edited, deleted, "zzz-bogus"}
    changed = differences[edited]
    assert (changed.projection, changed.table, changed.physical_table) == (
        "counting",
        "totals",
        "rm_counting_v1_totals",
    )
    assert changed.live is not None
    assert changed.rebuilt is not None
    assert changed.live["total"] == 999
    assert changed.rebuilt["total"] == ledger.expected()[edited][1]
    assert edited in changed.describe()
    assert "999" in changed.describe()
    assert differences[deleted].live is None
    assert differences["zzz-bogus"].rebuilt is None


def test_verify_leaves_no_scratch_tables(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    write_events(event_app, counters=1, increments=1)
    read_side = open_read_side()

    read_side.verify()

    assert [t for t in _tables(read_side) if t.startswith("rmx_")] == []


def test_blue_green_rebuild_serves_the_old_version_until_switch(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    ledger, head = write_events(event_app, counters=2, increments=3)
    old = open_read_side(CountingProjection())
    old.engine.catch_up()

    new = open_read_side(CountingProjectionV2())
    (built,) = new.rebuild("counting")

    assert (built.version, built.position, built.active) == (2, head, False)
    with new.reading() as tx:
        assert tx.table("counting", "totals") == "rm_counting_v1_totals"
    assert totals(new, version=2) == ledger.expected()
    statuses = {(s.version, s.active, s.position) for s in new.status()}
    assert statuses == {(1, True, head), (2, False, head)}

    assert new.switch("counting", 2, drop_old=True) == 1

    with new.reading() as tx:
        assert tx.table("counting", "totals") == "rm_counting_v2_totals"
        means: dict[str, object] = dict(
            tx.fetchall("SELECT counter_id, mean FROM rm_counting_v2_totals")
        )
    assert totals(new) == ledger.expected()
    assert all(isinstance(mean, float) for mean in means.values())
    assert "rm_counting_v1_totals" not in _tables(new)
    assert [(s.version, s.active) for s in new.status()] == [(2, True)]
    assert new.wait_for(head, timeout=0)
    assert new.verify() == []


def test_switch_refuses_a_version_that_was_never_built(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    read_side = open_read_side()

    with pytest.raises(SwitchRefused):
        read_side.switch("counting", 3)


def test_switch_refuses_a_version_behind_the_active_one(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    write_events(event_app, counters=1, increments=3)
    old = open_read_side(CountingProjection())
    old.engine.catch_up()
    open_read_side(CountingProjectionV2())

    with pytest.raises(SwitchRefused, match="behind"):
        old.switch("counting", 2)

    with old.reading() as tx:
        assert tx.version("counting") == 1


def test_dropping_an_abandoned_version_keeps_the_active_one(
    event_app: LedgerTestApp, open_read_side: OpenReadSide
) -> None:
    old = open_read_side(CountingProjection())
    open_read_side(CountingProjectionV2())

    drop_version(old.engine, "counting", 2)

    assert "rm_counting_v2_totals" not in _tables(old)
    with pytest.raises(SwitchRefused):
        drop_version(old.engine, "counting", 1)


def _tables(read_side: ReadSide) -> set[str]:
    with read_side.store.read() as tx:
        if tx.dialect == "postgres":
            rows = tx.fetchall(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema()"
            )
        else:
            rows = tx.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {str(name) for (name,) in rows}

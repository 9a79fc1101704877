from __future__ import annotations

from collections.abc import Iterator

import pytest

from domain.infrastructure.settings import Settings
from projections.store.readstore import ReadStore, open_read_store, to_pyformat


def test_placeholders_become_pyformat_outside_quotes() -> None:
    sql = "SELECT '?', \"a?\", x FROM t WHERE a = ? AND b LIKE 'x%' AND c = ?"
    assert to_pyformat(sql) == (
        "SELECT '?', \"a?\", x FROM t WHERE a = %s AND b LIKE 'x%%' AND c = %s"
    )


def test_escaped_quotes_inside_literals_keep_the_literal_open() -> None:
    assert to_pyformat("SELECT 'it''s ?', ?") == "SELECT 'it''s ?', %s"


@pytest.fixture
def store(settings: Settings) -> Iterator[ReadStore]:
    read_store = open_read_store(settings)
    with read_store.transaction() as tx:
        tx.execute(
            "CREATE TABLE kv (k TEXT PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, j TEXT)"
            if tx.dialect == "postgres"
            else "CREATE TABLE kv (k TEXT PRIMARY KEY, i INTEGER, r REAL, j TEXT)"
        )
    yield read_store
    read_store.close()


def test_values_round_trip_identically_on_every_backend(store: ReadStore) -> None:
    rows = [("ü-ñ ✓", 2**62, 0.1 + 0.2, '{"a": [1, 2]}'), ("none", None, None, None)]
    with store.transaction() as tx:
        tx.executemany("INSERT INTO kv (k, i, r, j) VALUES (?, ?, ?, ?)", rows)
    with store.read() as tx:
        assert sorted(tx.fetchall("SELECT k, i, r, j FROM kv")) == sorted(rows)
        assert tx.fetchall_dicts("SELECT k, i FROM kv WHERE k = ?", ("none",)) == [
            {"k": "none", "i": None}
        ]


def test_upsert_with_excluded_is_portable(store: ReadStore) -> None:
    upsert = (
        "INSERT INTO kv (k, i) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET i = kv.i + excluded.i"
    )
    with store.transaction() as tx:
        tx.execute(upsert, ("a", 1))
        tx.execute(upsert, ("a", 2))
    with store.read() as tx:
        assert tx.scalar("SELECT i FROM kv WHERE k = ?", ("a",)) == 3


def test_aggregates_return_plain_numbers_on_every_backend(store: ReadStore) -> None:
    with store.transaction() as tx:
        tx.executemany("INSERT INTO kv (k, i) VALUES (?, ?)", [("a", 1), ("b", 2)])
    with store.read() as tx:
        total, mean = tx.fetchone("SELECT SUM(i), AVG(i) FROM kv") or (None, None)
    assert (total, type(total)) == (3, int)
    assert (mean, type(mean)) == (1.5, float)


def test_failed_transaction_changes_nothing(store: ReadStore) -> None:
    def insert_then_fail() -> None:
        with store.transaction() as tx:
            tx.execute("INSERT INTO kv (k, i) VALUES (?, ?)", ("a", 1))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        insert_then_fail()
    with store.read() as tx:
        assert tx.fetchall("SELECT k FROM kv") == []


def test_iterate_streams_rows_in_order(store: ReadStore) -> None:
    with store.transaction() as tx:
        tx.executemany("INSERT INTO kv (k, i) VALUES (?, ?)", [(f"k{n:03}", n) for n in range(250)])
    with store.read() as tx:
        assert [row[1] for row in tx.iterate("SELECT k, i FROM kv ORDER BY k", size=7)] == list(
            range(250)
        )

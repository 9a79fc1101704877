"""Reading read models: a snapshot plus the physical tables of active versions.

Query modules never hard-code a version: during a blue/green rebuild two
versions' tables exist side by side and the registry says which one readers
use. The registry is read in the same snapshot as the rows, so a switch is
seen atomically.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from projections import tracking
from projections.base import LIVE_PREFIX, check_identifier, physical_table
from projections.readstore import Params, ReadStore, Row, Tx

IN_LIST_SIZE = 500
"""Ids per ``IN (…)`` list, well under every backend's parameter limit."""


class ProjectionNotReady(LookupError):
    """No version of the projection is active yet (it was never installed)."""


class QueryTx:
    def __init__(self, tx: Tx, active: Mapping[str, int]) -> None:
        self._tx = tx
        self._active = dict(active)
        self.dialect = tx.dialect

    def version(self, projection: str) -> int:
        try:
            return self._active[projection]
        except KeyError:
            raise ProjectionNotReady(f"projection {projection!r} has no active version") from None

    def table(self, projection: str, logical: str) -> str:
        """The physical name of ``logical`` in the active version of ``projection``."""
        check_identifier("table name", logical)
        return physical_table(LIVE_PREFIX, projection, self.version(projection), logical)

    def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        return self._tx.fetchall(sql, params)

    def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        return self._tx.fetchone(sql, params)

    def fetchall_dicts(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        return self._tx.fetchall_dicts(sql, params)

    def scalar(self, sql: str, params: Params = ()) -> Any:
        return self._tx.scalar(sql, params)

    def iterate(self, sql: str, params: Params = (), *, size: int = 1000) -> Iterator[Row]:
        return self._tx.iterate(sql, params, size=size)


@contextmanager
def reading(store: ReadStore) -> Iterator[QueryTx]:
    """A consistent read of the read models, resolving active versions."""
    with store.read() as tx:
        yield QueryTx(tx, tracking.active_versions(tx))


def in_lists(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    """``ids`` in runs of at most :data:`IN_LIST_SIZE`, one ``IN (…)`` list each: a batch
    query costs one statement per table for any batch the API makes (pages hold ≤ 100)."""
    for start in range(0, len(ids), IN_LIST_SIZE):
        yield ids[start : start + IN_LIST_SIZE]

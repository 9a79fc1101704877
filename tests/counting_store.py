"""A read store that counts what queries cost: read transactions and statements."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager

from projections.store.readstore import Params, ReadStore, Row, Tx


class CountingTx(Tx):
    def __init__(self, inner: Tx, count: Callable[[], None]) -> None:
        self._inner = inner
        self._count = count
        self.dialect = inner.dialect

    def execute(self, sql: str, params: Params = ()) -> int:
        self._count()
        return self._inner.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        self._count()
        self._inner.executemany(sql, rows)

    def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        self._count()
        return self._inner.fetchall(sql, params)

    def iterate(self, sql: str, params: Params = (), *, size: int = 1000) -> Iterator[Row]:
        self._count()
        return self._inner.iterate(sql, params, size=size)

    def _described(self, sql: str, params: Params) -> tuple[list[str], list[Row]]:
        self._count()
        return self._inner._described(sql, params)


class CountingReadStore(ReadStore):
    """Counts the read transactions and statements queries make; writes pass through."""

    def __init__(self, inner: ReadStore) -> None:
        self._inner = inner
        self.dialect = inner.dialect
        self.reads = 0
        self.statements = 0

    def _statement(self) -> None:
        self.statements += 1

    def transaction(self) -> AbstractContextManager[Tx]:
        return self._inner.transaction()

    @contextmanager
    def read(self) -> Iterator[Tx]:
        self.reads += 1
        with self._inner.read() as tx:
            yield CountingTx(tx, self._statement)

    def change_count(self) -> int | None:
        return self._inner.change_count()

    def close(self) -> None:
        self._inner.close()

    def reset(self) -> None:
        self.reads = self.statements = 0

"""The read store on PostgreSQL, in the events' database and schema.

Connections come from a psycopg pool in autocommit mode so that every
transaction is explicit (``BEGIN`` … ``COMMIT``) and a connection never returns
to the pool mid-transaction. ``numeric`` results — which PostgreSQL produces for
``SUM`` and ``AVG`` over integers — load as ``int`` or ``float``, the types
SQLite returns for the same SQL, so shared SQL yields the same Python values.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.abc import Buffer
from psycopg.adapt import Loader
from psycopg_pool import ConnectionPool

from domain.errors import StoreUnavailable
from projections.store.readstore import (
    Dialect,
    Params,
    ReadStore,
    Row,
    Tx,
    next_cursor_name,
    to_pyformat,
)

Connection = psycopg.Connection[tuple[Any, ...]]

CONNECTION_WAIT_SECONDS = 5.0
"""How long a query waits for a pooled connection; while the database is down, this
bounds the wait before the caller is told UNAVAILABLE (psycopg's default is 30 s)."""


@contextmanager
def _unavailable_as_typed() -> Iterator[None]:
    """A lost or unobtainable connection is the typed, retryable StoreUnavailable."""
    try:
        yield
    except psycopg.OperationalError as error:
        raise StoreUnavailable(f"the read store is unavailable: {error}") from None


class _NumberLoader(Loader):
    """Load ``numeric`` as int when integral, else float, as SQLite would."""

    def load(self, data: Buffer) -> int | float:
        text = bytes(data).decode("ascii")
        if text.lstrip("-").isdigit():
            return int(text)
        return float(text)


def configure_connection(connection: Connection) -> None:
    connection.adapters.register_loader("numeric", _NumberLoader)


class PostgresTx(Tx):
    """Statements on one connection; in a write transaction, pipelined.

    Pipeline mode sends a statement without waiting for its result: :meth:`write`
    returns at once, while a read, :meth:`execute` (which reports a row count) or the
    commit waits for everything sent before it. Writes go through one reused cursor,
    which spares psycopg setting a cursor up per statement.
    """

    dialect: Dialect = "postgres"

    def __init__(self, connection: Connection, pipeline: psycopg.Pipeline | None = None) -> None:
        self._connection = connection
        self._pipeline = pipeline
        self._writer = connection.cursor()

    def execute(self, sql: str, params: Params = ()) -> int:
        self._writer.execute(to_pyformat(sql), tuple(params))
        self.wait()
        return self._writer.rowcount

    def wait(self) -> None:
        if self._pipeline is not None:
            self._pipeline.sync()

    def write(self, sql: str, params: Params = ()) -> None:
        self._writer.execute(to_pyformat(sql), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        self._writer.executemany(to_pyformat(sql), [tuple(row) for row in rows])

    def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        return self._connection.execute(to_pyformat(sql), tuple(params)).fetchall()

    def iterate(self, sql: str, params: Params = (), *, size: int = 1000) -> Iterator[Row]:
        with self._connection.cursor(name=next_cursor_name()) as cursor:
            cursor.itersize = size
            cursor.execute(to_pyformat(sql), tuple(params))
            yield from cursor

    def _described(self, sql: str, params: Params) -> tuple[list[str], list[Row]]:
        cursor = self._connection.execute(to_pyformat(sql), tuple(params))
        rows = cursor.fetchall()
        return [column.name for column in cursor.description or ()], rows


class PostgresReadStore(ReadStore):
    dialect: Dialect = "postgres"

    def __init__(self, conninfo: str, *, min_size: int = 1, max_size: int = 10) -> None:
        self._pool: ConnectionPool[Connection] = ConnectionPool(
            conninfo,
            min_size=min_size,
            max_size=max(min_size, max_size),
            kwargs={"autocommit": True},
            configure=configure_connection,
            check=ConnectionPool.check_connection,
            name="ledger-read-store",
            timeout=CONNECTION_WAIT_SECONDS,
            open=True,
        )

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with (
            _unavailable_as_typed(),
            self._pool.connection() as connection,
            connection.pipeline() as pipeline,
            connection.transaction(),
        ):
            yield PostgresTx(connection, pipeline)

    @contextmanager
    def read(self) -> Iterator[Tx]:
        with (
            _unavailable_as_typed(),
            self._pool.connection() as connection,
            connection.transaction(),
        ):
            connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield PostgresTx(connection)

    def in_one_message(self, sql: str) -> list[Row]:
        """The rows of the last of ``sql``'s statements (several, no parameters), sent as
        one message that the server runs and commits as one implicit transaction.

        Nothing the message takes outlives it, whatever becomes of this process: a lock
        taken in an explicit transaction is held until the client sends ``COMMIT``, so a
        process stopped in between (a long GC pause, a stalled VM, SIGSTOP) would hold
        it for as long as it stays stopped.
        """
        with _unavailable_as_typed(), self._pool.connection() as connection:
            cursor = connection.execute(sql, prepare=False)
            while cursor.nextset():
                pass
            return cursor.fetchall()

    def close(self) -> None:
        self._pool.close()

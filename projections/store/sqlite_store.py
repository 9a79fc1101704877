"""The read store on a SQLite file, for the embedded deployment.

WAL mode lets queries read a consistent snapshot while the projection thread
writes. SQLite allows one writer per file: write transactions take an
in-process lock (so threads queue instead of failing) and ``BEGIN IMMEDIATE``
with a busy timeout (so another process, such as a CLI rebuild, waits its turn).
``synchronous=NORMAL`` may lose the last commits on power loss, but rows and
their tracking position are lost together, so a read model never disagrees with
its position and simply catches up again. ``PRAGMA data_version`` on a connection
of its own tells whether anyone (any thread, any process) has committed since it
was last asked, which lets repeated queries be answered from memory without a
snapshot (docs/architecture.md, "Read your writes").
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from projections.store.readstore import Dialect, Params, ReadStore, Row, Tx


class SqliteTx(Tx):
    dialect: Dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def execute(self, sql: str, params: Params = ()) -> int:
        return self._connection.execute(sql, tuple(params)).rowcount

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        self._connection.executemany(sql, [tuple(row) for row in rows])

    def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        return self._connection.execute(sql, tuple(params)).fetchall()

    def iterate(self, sql: str, params: Params = (), *, size: int = 1000) -> Iterator[Row]:
        cursor = self._connection.execute(sql, tuple(params))
        try:
            while chunk := cursor.fetchmany(size):
                yield from chunk
        finally:
            cursor.close()

    def _described(self, sql: str, params: Params) -> tuple[list[str], list[Row]]:
        cursor = self._connection.execute(sql, tuple(params))
        rows = cursor.fetchall()
        return [column[0] for column in cursor.description or ()], rows


class SqliteReadStore(ReadStore):
    dialect: Dialect = "sqlite"

    def __init__(self, path: Path, *, max_idle: int = 10, busy_timeout: float = 30.0) -> None:
        self._path = path
        self._max_idle = max_idle
        self._busy_timeout = busy_timeout
        self._idle: list[sqlite3.Connection] = []
        self._pool_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._writing = threading.local()
        self._closed = False
        self._watch: sqlite3.Connection | None = None
        self._watch_lock = threading.Lock()
        with self._connection() as connection:
            connection.execute("PRAGMA journal_mode=WAL")

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self._path,
            timeout=self._busy_timeout,
            isolation_level=None,
            check_same_thread=False,
        )
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        with self._pool_lock:
            if self._closed:
                raise RuntimeError("the read store is closed")
            connection = self._idle.pop() if self._idle else None
        if connection is None:
            connection = self._connect()
        try:
            yield connection
        finally:
            if connection.in_transaction:
                connection.close()
            else:
                self._release(connection)

    def _release(self, connection: sqlite3.Connection) -> None:
        with self._pool_lock:
            if not self._closed and len(self._idle) < self._max_idle:
                self._idle.append(connection)
                return
        connection.close()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        if getattr(self._writing, "active", False):
            raise RuntimeError("nested read-store write transactions would deadlock")
        with self._write_lock, self._connection() as connection:
            self._writing.active = True
            try:
                yield from _in_transaction(connection, "BEGIN IMMEDIATE")
            finally:
                self._writing.active = False

    @contextmanager
    def read(self) -> Iterator[Tx]:
        with self._connection() as connection:
            yield from _in_transaction(connection, "BEGIN")

    def change_count(self) -> int | None:
        with self._watch_lock:
            if self._closed:
                return None
            if self._watch is None:
                self._watch = self._connect()
            return int(self._watch.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        with self._pool_lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None


def _in_transaction(connection: sqlite3.Connection, begin: str) -> Iterator[Tx]:
    connection.execute(begin)
    try:
        yield SqliteTx(connection)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")

"""The read-model database, one interface over SQLite and PostgreSQL.

Projection and query SQL is written once, with ``?`` placeholders and portable
statements (``INSERT … ON CONFLICT (…) DO UPDATE SET … = excluded.…`` works on
both); :func:`to_pyformat` translates it for psycopg. Values are limited to what
both dialects store identically — text, 64-bit integers, doubles and NULL, with
JSON kept as text — so a row read back is the same Python value on either
backend, which is what lets ``verify`` compare rows exactly.

SQLite keeps read models in their own file, apart from the event store, so a
rebuild never contends with event writes; PostgreSQL keeps them in the same
database and schema as the events.
"""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from domain.infrastructure.settings import Settings

Dialect = Literal["sqlite", "postgres"]
Value = str | int | float | None
Params = Sequence[Value]
Row = tuple[Any, ...]

_cursor_names = itertools.count(1)

IN_LIST_SIZE = 500
"""Values per ``IN (…)`` list, well under every backend's parameter limit."""

T = TypeVar("T")


def in_lists(values: Sequence[T]) -> Iterator[Sequence[T]]:
    """``values`` in runs of at most :data:`IN_LIST_SIZE`, one ``IN (…)`` list each: a
    batch query costs one statement per table for any batch the API makes (pages hold ≤ 100)."""
    for start in range(0, len(values), IN_LIST_SIZE):
        yield values[start : start + IN_LIST_SIZE]


@lru_cache(maxsize=2048)
def to_pyformat(sql: str) -> str:
    """Rewrite ``?`` placeholders as ``%s`` and escape ``%`` for psycopg.

    Quoted literals and identifiers are copied untouched apart from ``%``
    escaping, so ``'?'`` in a string stays a question mark.
    """
    out: list[str] = []
    quote: str | None = None
    for char in sql:
        if char == "%":
            out.append("%%")
        elif quote is not None:
            out.append(char)
            if char == quote:
                quote = None
        elif char in ("'", '"'):
            quote = char
            out.append(char)
        elif char == "?":
            out.append("%s")
        else:
            out.append(char)
    return "".join(out)


class Tx(ABC):
    """One open read-store transaction; statements use ``?`` placeholders."""

    dialect: Dialect

    @abstractmethod
    def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement and return the number of rows it changed (waiting for it)."""

    def write(self, sql: str, params: Params = ()) -> None:
        """Run one statement whose row count nobody needs.

        PostgreSQL sends it without waiting for the server (pipeline mode), so an
        error in it is raised by a later statement of the transaction or the commit.
        """
        self.execute(sql, params)

    def wait(self) -> None:
        """Wait for every statement sent so far, raising the error of one that failed.

        Here every statement already waited for itself, so nothing is pending.
        """
        return

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        """Run one statement once per parameter row."""

    @abstractmethod
    def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        """All result rows as tuples."""

    @abstractmethod
    def iterate(self, sql: str, params: Params = (), *, size: int = 1000) -> Iterator[Row]:
        """Result rows streamed in chunks, for results too big to hold at once."""

    def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        """The first result row, or None."""
        rows = self.fetchall(sql, params)
        return rows[0] if rows else None

    def fetchall_dicts(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        """All result rows keyed by column name."""
        names, rows = self._described(sql, params)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None when there is no row."""
        row = self.fetchone(sql, params)
        return None if row is None else row[0]

    @abstractmethod
    def _described(self, sql: str, params: Params) -> tuple[list[str], list[Row]]:
        """Column names and rows of a query."""


class ReadStore(ABC):
    """A thread-safe handle on the read-model database.

    ``transaction()`` is the only way to write: everything done in it commits
    together or not at all, which is what makes projection batches exactly-once.
    ``read()`` gives a consistent snapshot for queries that span statements.
    """

    dialect: Dialect

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Tx]:
        """A read-write transaction, committed on normal exit, rolled back on error."""

    @abstractmethod
    def read(self) -> AbstractContextManager[Tx]:
        """A read-only transaction that sees one snapshot of the database."""

    @abstractmethod
    def close(self) -> None:
        """Release every connection; the store cannot be used afterwards."""

    def change_count(self) -> int | None:
        """A number that is different after any commit to the store, by any connection of
        any process, since it was last read; None where the store cannot tell cheaply.

        Read before a snapshot, it lets a later caller know without a snapshot that
        nothing has moved since (:func:`projections.store.query.remembered`).
        """
        return None


def open_read_store(settings: Settings, *, pool_size: int = 10) -> ReadStore:
    """The read store the settings select: SQLite file or PostgreSQL schema."""
    if settings.backend == "postgres":
        from projections.store.postgres_store import PostgresReadStore

        return PostgresReadStore(settings.postgres.conninfo(), max_size=pool_size)
    from projections.store.sqlite_store import SqliteReadStore

    settings.read_models_path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteReadStore(settings.read_models_path, max_idle=pool_size)


def next_cursor_name() -> str:
    """A process-unique name for a server-side cursor."""
    return f"ledger_cursor_{next(_cursor_names)}"

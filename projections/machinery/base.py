"""What a projection is: its tables, the events it wants, and how it handles them.

A projection never names its physical tables. It declares logical tables and
writes through :meth:`ProjectionTx.table`, so the same handler code fills the
live tables of version 1, the new tables of version 2 during a blue/green
rebuild, or the scratch tables ``verify`` builds to compare against — which is
what makes "identical to a rebuild" checkable at all.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar, cast

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.utils import get_topic

from domain.base import LedgerAggregate
from projections.store.readstore import Dialect, Params, Row, Tx, Value, in_lists

LIVE_PREFIX = "rm"
SCRATCH_PREFIX_LENGTH = 10
MAX_IDENTIFIER = 63
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
_TYPES: Mapping[str, Mapping[Dialect, str]] = {
    "TEXT": {"sqlite": "TEXT", "postgres": "TEXT"},
    "INTEGER": {"sqlite": "INTEGER", "postgres": "BIGINT"},
    "REAL": {"sqlite": "REAL", "postgres": "DOUBLE PRECISION"},
    "JSON": {"sqlite": "TEXT", "postgres": "TEXT"},
}


def check_identifier(kind: str, value: str) -> str:
    """Refuse names that would need quoting or could not be table names."""
    if not _IDENTIFIER.match(value) or len(value) > MAX_IDENTIFIER:
        raise ValueError(f"{kind} {value!r} must match {_IDENTIFIER.pattern}, ≤ 63 characters")
    return value


@dataclass(frozen=True)
class TableSpec:
    """A read-model table: columns with portable types, primary key, indexes.

    Column types are ``TEXT``, ``INTEGER`` (64-bit), ``REAL`` (double) or
    ``JSON`` (stored as text), optionally followed by ``NOT NULL``; primary-key
    columns are always NOT NULL. Each index is a tuple of column names.
    """

    columns: Mapping[str, str]
    primary_key: tuple[str, ...]
    indexes: tuple[tuple[str, ...], ...] = ()
    _parsed: dict[str, tuple[str, bool]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parsed: dict[str, tuple[str, bool]] = {}
        for column, declared in self.columns.items():
            check_identifier("column", column)
            base, _, rest = declared.strip().upper().partition(" ")
            if base not in _TYPES or rest.strip() not in ("", "NOT NULL"):
                raise ValueError(f"column {column!r}: unsupported type {declared!r}")
            parsed[column] = (base, bool(rest.strip()) or column in self.primary_key)
        object.__setattr__(self, "_parsed", parsed)
        if not self.primary_key:
            raise ValueError("a read-model table needs a primary key")
        for columns in (self.primary_key, *self.indexes):
            missing = set(columns) - set(parsed)
            if missing or not columns:
                raise ValueError(f"unknown columns {sorted(missing)} in key or index")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(self.columns)

    def column_type(self, column: str) -> str:
        return self._parsed[column][0]

    def create_statements(self, physical: str, dialect: Dialect) -> list[str]:
        """DDL for this table under a physical name, idempotent."""
        columns = [
            f"{name} {_TYPES[base][dialect]}{' NOT NULL' if not_null else ''}"
            for name, (base, not_null) in self._parsed.items()
        ]
        columns.append(f"PRIMARY KEY ({', '.join(self.primary_key)})")
        statements = [f"CREATE TABLE IF NOT EXISTS {physical} ({', '.join(columns)})"]
        statements.extend(
            f"CREATE INDEX IF NOT EXISTS {physical}_ix{number} ON {physical} ({', '.join(cols)})"
            for number, cols in enumerate(self.indexes, start=1)
        )
        return statements


class BatchState(Protocol):
    """What a projection keeps over one batch of events: facts it read once, work it
    put off to the end of the batch, which :meth:`flush` writes."""

    def flush(self, tx: ProjectionTx) -> None: ...


S = TypeVar("S", bound=BatchState)


class ProjectionTx:
    """The transaction a handler writes through, with its physical table names.

    ``position`` is the event-store notification id of the event being handled,
    for projections that record where a row came from.

    A batch of events shares one ProjectionTx, so a handler can keep
    :meth:`batch_state`: put off work that only the batch's end state needs — t_ref,
    figures derived from other rows — to do it once per batch instead of once per
    event, or remember facts that never change. The result must not depend on how
    events are split into batches: deferred work may write only what no handler reads.
    """

    def __init__(self, tx: Tx, tables: Mapping[str, str]) -> None:
        self._tx = tx
        self.tables = tables
        self.dialect: Dialect = tx.dialect
        self.position = 0
        self._states: dict[str, BatchState] = {}

    def batch_state(self, key: str, start: Callable[[], S]) -> S:
        """The batch's state under ``key``, begun with ``start()`` on first use."""
        state = self._states.get(key)
        if state is None:
            state = self._states[key] = start()
        return cast(S, state)

    def flush(self) -> None:
        """Flush each batch state, in the order they were begun, and wait for every
        write sent; the engine calls this after the batch's last event, before the commit."""
        while self._states:
            key = next(iter(self._states))
            self._states.pop(key).flush(self)
        self._tx.wait()

    def table(self, logical: str) -> str:
        try:
            return self.tables[logical]
        except KeyError:
            raise KeyError(f"projection has no table {logical!r}") from None

    def execute(self, sql: str, params: Params = ()) -> int:
        return self._tx.execute(sql, params)

    def write(self, sql: str, params: Params = ()) -> None:
        """Like :meth:`execute` without the row count, which lets PostgreSQL pipeline it."""
        self._tx.write(sql, params)

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        self._tx.executemany(sql, rows)

    def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        return self._tx.fetchone(sql, params)

    def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        return self._tx.fetchall(sql, params)

    def scalar(self, sql: str, params: Params = ()) -> Any:
        return self._tx.scalar(sql, params)

    def fetchall_in(self, sql: str, values: Sequence[Value]) -> list[Row]:
        """The rows of ``sql`` whose ``IN ({})`` lists ``values``, for deferred work that
        reads the rows of many keys at once (one query per
        :data:`~projections.store.readstore.IN_LIST_SIZE` values)."""
        rows: list[Row] = []
        for chunk in in_lists(values):
            rows.extend(self._tx.fetchall(sql.format(", ".join("?" * len(chunk))), chunk))
        return rows


class Projection(ABC):
    """A read model built from events, one version of it.

    Subclasses set ``name`` (an identifier), ``version`` (bump it when tables or
    meaning change: the new version is built beside the old one), ``tables``
    and optionally ``topics`` — the event topics to handle; every other event
    still advances the position but is never decoded.
    """

    name: str
    version: int = 1
    tables: Mapping[str, TableSpec]
    topics: frozenset[str] | None = None

    @abstractmethod
    def handle(self, event: DomainEventProtocol[Any], tx: ProjectionTx) -> None:
        """Apply one event; must be deterministic in the events alone."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" not in vars(cls) or getattr(cls.handle, "__isabstractmethod__", False):
            return
        check_identifier("projection name", cls.name)
        if cls.version < 1:
            raise ValueError(f"projection {cls.name}: version must be ≥ 1")
        for logical in cls.tables:
            check_identifier("table name", logical)
            live = physical_table(LIVE_PREFIX, cls.name, cls.version, logical)
            scratch_index = len(live) - len(LIVE_PREFIX) + SCRATCH_PREFIX_LENGTH + len("_ix99")
            if scratch_index > MAX_IDENTIFIER:
                raise ValueError(f"projection {cls.name}: table name {logical!r} is too long")

    @property
    def key(self) -> tuple[str, int]:
        return (self.name, self.version)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} v{self.version}>"


def topics_of(*event_classes: type) -> frozenset[str]:
    """The topics of event classes, for :attr:`Projection.topics`."""
    return frozenset(get_topic(cls) for cls in event_classes)


def events_of(*aggregates: type[LedgerAggregate]) -> tuple[type, ...]:
    """The event classes nested in each aggregate (not the generic bases)."""
    found: list[type] = []
    for aggregate in aggregates:
        generic = {aggregate.Event, aggregate.Created}
        found.extend(
            kind
            for kind in vars(aggregate).values()
            if isinstance(kind, type) and issubclass(kind, LedgerAggregate.Event)
            if kind not in generic
        )
    return tuple(found)


def physical_table(prefix: str, name: str, version: int, logical: str) -> str:
    return f"{prefix}_{name}_v{version}_{logical}"


@dataclass(frozen=True)
class Slot:
    """Where one projection version's rows live: live tables or a scratch copy."""

    projection: Projection
    prefix: str = LIVE_PREFIX

    @property
    def key(self) -> tuple[str, int]:
        return self.projection.key

    @property
    def live(self) -> bool:
        return self.prefix == LIVE_PREFIX

    def tables(self) -> dict[str, str]:
        p = self.projection
        return {t: physical_table(self.prefix, p.name, p.version, t) for t in p.tables}

    def create(self, tx: Tx, *, existing: Collection[str] = ()) -> None:
        """Create the tables not in ``existing``, with their indexes.

        Existing tables are skipped rather than re-declared: on PostgreSQL even
        ``CREATE INDEX IF NOT EXISTS`` waits for a lock that a batch in
        progress holds, and a table's indexes are created with it anyway.
        """
        for logical, physical in self.tables().items():
            if physical in existing:
                continue
            for statement in self.projection.tables[logical].create_statements(
                physical, tx.dialect
            ):
                tx.execute(statement)

    def drop(self, tx: Tx) -> None:
        drop_tables(tx, self.tables().values())


def drop_tables(tx: Tx, physical_names: Iterable[str]) -> None:
    for physical in physical_names:
        tx.execute(f"DROP TABLE IF EXISTS {check_identifier('table', physical)}")


def existing_tables(tx: Tx) -> set[str]:
    """Names of the tables in the read store (the current schema on PostgreSQL)."""
    if tx.dialect == "postgres":
        sql = (
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    return {str(name) for (name,) in tx.fetchall(sql)}

"""Reading read models: a snapshot plus the physical tables of active versions.

Query modules never hard-code a version: during a blue/green rebuild two
versions' tables exist side by side and the registry says which one readers
use. The registry is read in the same snapshot as the rows, so a switch is
seen atomically.

The same read gives each active version's tracked position. A projection's
tables are a function of the events up to its position alone (handlers are
deterministic, and the position commits with the rows), so a query result
keyed by the positions of the projections it reads stays exact for as long as
they have not moved: :meth:`QueryTx.cached` answers repeated queries — the
directory's first page, say — from memory until the next batch commits.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar
from uuid import UUID

from domain.infrastructure.lru import Lru, PerOwner
from projections.machinery import tracking
from projections.machinery.base import LIVE_PREFIX, check_identifier, physical_table
from projections.store.pages import Page, build_page, check_first, decode_cursor
from projections.store.readstore import Params, ReadStore, Row, Tx, Value, in_lists

CACHE_ENTRIES = 256
"""Query results kept per read store (least recently used dropped first)."""

T = TypeVar("T")


class ProjectionNotReady(LookupError):
    """No version of the projection is active yet (it was never installed)."""


ResultCache = Lru[Hashable, Any]
"""Query results of one read store, keyed by query and the positions they were read at."""

_CACHES: PerOwner[ResultCache] = PerOwner(lambda: Lru(CACHE_ENTRIES))


def result_cache(store: ReadStore) -> ResultCache:
    """The process's result cache for ``store``."""
    return _CACHES.of(store)


class QueryTx:
    def __init__(
        self,
        tx: Tx,
        active: Mapping[str, int],
        positions: Mapping[str, int] | None = None,
        cache: ResultCache | None = None,
    ) -> None:
        self._tx = tx
        self._active = dict(active)
        self._positions = dict(positions or {})
        self._cache = cache
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

    def cached(self, projections: Iterable[str], key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or its result from an earlier call with the same ``key`` made
        while the named projections stood at the same versions and positions.

        ``compute`` must read only those projections' tables, in this snapshot, and
        return a value (not None) nobody changes afterwards.
        """
        if self._cache is None:
            return compute()
        stand = tuple(
            (name, self.version(name), self._positions.get(name)) for name in sorted(projections)
        )
        if any(position is None for _, _, position in stand):
            return compute()
        full_key = (key, stand)
        value = self._cache.get(full_key)
        if value is None:
            value = compute()
            self._cache.put(full_key, value)
        return value

    def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        return self._tx.fetchall(sql, params)

    def fetchall_dicts(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        return self._tx.fetchall_dicts(sql, params)

    def scalar(self, sql: str, params: Params = ()) -> Any:
        return self._tx.scalar(sql, params)

    def iterate(self, sql: str, params: Params = (), *, size: int = 1000) -> Iterator[Row]:
        return self._tx.iterate(sql, params, size=size)


@contextmanager
def reading(store: ReadStore) -> Iterator[QueryTx]:
    """A consistent read of the read models, resolving active versions and their positions."""
    with store.read() as tx:
        active: dict[str, int] = {}
        positions: dict[str, int] = {}
        for name, version, position in tx.fetchall(
            f"SELECT r.name, r.active_version, t.position FROM {tracking.REGISTRY} r"
            f" LEFT JOIN {tracking.TRACKING} t"
            " ON t.name = r.name AND t.version = r.active_version"
        ):
            active[str(name)] = int(version)
            if position is not None:
                positions[str(name)] = int(position)
        yield QueryTx(tx, active, positions, result_cache(store))


def newest_first(
    store: ReadStore,
    projection: str,
    *,
    select: Callable[[QueryTx], tuple[str, str]],
    where: Sequence[str],
    params: Sequence[Value],
    moment: str,
    key: str,
    listing: str,
    first: int,
    after: str | None,
    node_of: Callable[[dict[str, Any]], T],
) -> Page[T]:
    """A page of a listing ordered by ``(moment, key)`` descending, keyset-paginated,
    every condition of ``where`` holding, and cached by the projection's position.

    ``select(q)`` gives the row query's ``SELECT … FROM …`` and the ``FROM …`` that
    the total count uses; ``moment`` and ``key`` are column expressions of that query.
    """
    check_first(first)
    keyset = None if after is None else decode_cursor(listing, after, (str, str))
    with reading(store) as q:

        def page() -> Page[T]:
            rows_from, count_from = select(q)
            total = q.scalar(f"SELECT COUNT(*) {count_from} WHERE {' AND '.join(where)}", params)
            conditions, values = list(where), list(params)
            if keyset is not None:
                conditions.append(f"({moment}, {key}) < (?, ?)")
                values.extend(keyset)
            rows = q.fetchall_dicts(
                f"{rows_from} WHERE {' AND '.join(conditions)}"
                f" ORDER BY {moment} DESC, {key} DESC LIMIT ?",
                [*values, first + 1],
            )
            names = (moment.rpartition(".")[2], key.rpartition(".")[2])
            return build_page(
                rows,
                first=first,
                total_count=int(total),
                after=after,
                listing=listing,
                key_of=lambda row: (row[names[0]], row[names[1]]),
                node_of=node_of,
            )

        query = (listing, tuple(where), tuple(params), keyset, first)
        return q.cached((projection,), query, page)


def by_id(
    store: ReadStore,
    ids: Iterable[UUID],
    *,
    select: Callable[[QueryTx], str],
    id_column: str,
    node_of: Callable[[Mapping[str, Any]], T],
) -> dict[UUID, T]:
    """Nodes by id, for batch loading; unknown ids are left out. ``select`` is the
    query without its WHERE clause, narrowed here to ``id_column`` in the ids, one
    statement per :func:`~projections.store.readstore.in_lists` run."""
    wanted = sorted({str(i) for i in ids})
    key = id_column.rpartition(".")[2]
    found: dict[UUID, T] = {}
    if not wanted:
        return found
    with reading(store) as q:
        sql = select(q)
        for chunk in in_lists(wanted):
            marks = ", ".join("?" * len(chunk))
            for row in q.fetchall_dicts(f"{sql} WHERE {id_column} IN ({marks})", chunk):
                found[UUID(row[key])] = node_of(row)
    return found

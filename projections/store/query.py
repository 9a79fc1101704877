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

:func:`remembered` goes one step further and answers without opening a
snapshot at all, when it can tell where the projections stand now without a
round trip: on SQLite, from the positions of the last snapshot while the file's
change counter says nobody has committed since (any process); on PostgreSQL,
from the process's progress hub while its listener follows every commit. A
stored answer is keyed by the positions it was read at, so a hit is always
exactly what a snapshot would read (docs/architecture.md, "Read your writes").
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from threading import Lock
from typing import Any, TypeVar
from uuid import UUID
from weakref import WeakKeyDictionary

from domain.infrastructure.lru import Lru, PerOwner
from projections.machinery import tracking
from projections.machinery.base import LIVE_PREFIX, check_identifier, physical_table
from projections.machinery.progress import ProgressHub
from projections.store.pages import Page, build_page, check_first, decode_cursor
from projections.store.read_tracking import saw_projection
from projections.store.readstore import Params, ReadStore, Row, Tx, Value, in_lists

CACHE_ENTRIES = 256
"""Query results kept per read store (least recently used dropped first)."""

T = TypeVar("T")


class ProjectionNotReady(LookupError):
    """No version of the projection is active yet (it was never installed)."""


ResultCache = Lru[Hashable, Any]
"""Query results of one read store, keyed by query and the positions they were read at."""

Stand = tuple[tuple[str, int, int], ...]
"""``(name, active version, position)`` of projections, sorted by name: what a
result read from them is a function of."""

_CACHES: PerOwner[ResultCache] = PerOwner(lambda: Lru(CACHE_ENTRIES))


def result_cache(store: ReadStore) -> ResultCache:
    """The process's result cache for ``store``."""
    return _CACHES.of(store)


class _LastSnapshot:
    """Active versions and positions of the newest snapshot read, with the store's
    change count read just before it: while the count stays, they are the store's."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._count: int | None = None
        self._active: dict[str, int] = {}
        self._positions: dict[str, int] = {}

    def record(self, count: int, active: dict[str, int], positions: dict[str, int]) -> None:
        with self._lock:
            self._count, self._active, self._positions = count, active, positions

    def stand(self, count: int, names: Iterable[str]) -> Stand | None:
        with self._lock:
            if count != self._count:
                return None
            found = []
            for name in sorted(names):
                version = self._active.get(name)
                position = self._positions.get(name)
                if version is None or position is None:
                    return None
                found.append((name, version, position))
            return tuple(found)


_LAST: PerOwner[_LastSnapshot] = PerOwner(_LastSnapshot)
_HUBS: WeakKeyDictionary[ReadStore, ProgressHub] = WeakKeyDictionary()


def follow_progress(store: ReadStore, hub: ProgressHub) -> None:
    """Let :func:`remembered` ask ``hub`` where the projections of ``store`` stand,
    whenever the hub says it follows every commit."""
    _HUBS[store] = hub


def current_stand(store: ReadStore, projections: Iterable[str]) -> Stand | None:
    """Where the named projections stand now, if that is known without a round trip."""
    names = tuple(projections)
    hub = _HUBS.get(store)
    if hub is not None:
        stand = hub.stand(names)
        if stand is not None:
            return stand
    count = store.change_count()
    return None if count is None else _LAST.of(store).stand(count, names)


def remembered(store: ReadStore, projections: Iterable[str], key: Hashable) -> Any | None:
    """The result :meth:`QueryTx.cached` keeps for ``key`` at the positions the named
    projections stand at now, or None; never opens a snapshot, so it may run anywhere."""
    stand = current_stand(store, projections)
    return None if stand is None else result_cache(store).get((key, stand))


def cached_read(
    store: ReadStore, projections: Iterable[str], key: Hashable, compute: Callable[[QueryTx], T]
) -> T:
    """``compute(q)`` in a snapshot, kept by :meth:`QueryTx.cached`; answered by
    :func:`remembered` without a snapshot where it can."""
    names = tuple(projections)
    found: T | None = remembered(store, names, key)
    if found is not None:
        return found
    with reading(store) as q:
        return q.cached(names, key, lambda: compute(q))


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
        """The active version of ``projection``; every read of its tables asks this first,
        so this is where an execution's reads are recorded (:mod:`read_tracking`)."""
        try:
            version = self._active[projection]
        except KeyError:
            raise ProjectionNotReady(f"projection {projection!r} has no active version") from None
        saw_projection(projection, version, self._positions.get(projection))
        return version

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
    count = store.change_count()
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
        if count is not None:
            # The snapshot began at its first read, after the count: it holds every
            # commit the count stands for (and maybe later ones, which moved the count).
            _LAST.of(store).record(count, dict(active), dict(positions))
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

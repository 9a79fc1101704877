"""``verify``: are the live read models exactly what a rebuild would produce?

Each projection is rebuilt from zero into scratch tables, by the same handler
code, and compared row by row with its live tables, ordered by primary key.
The comparison must be at one event position: the live projection is first
caught up, the scratch copy is built up to the live position, and the two are
compared inside one read snapshot in which the live position is checked again
— if a concurrent runner moved it meanwhile, the scratch copy catches up to the
new position and the comparison is retried.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from projections.machinery import tracking
from projections.machinery.base import Slot, TableSpec
from projections.machinery.engine import ProgressCallback, ProjectionEngine
from projections.store.readstore import Dialect, Row, Tx


@dataclass(frozen=True)
class Difference:
    """One row where the live read model and its rebuild disagree."""

    projection: str
    version: int
    table: str
    physical_table: str
    key: dict[str, Any]
    live: dict[str, Any] | None
    rebuilt: dict[str, Any] | None

    def describe(self) -> str:
        key = ", ".join(f"{column}={value!r}" for column, value in self.key.items())
        where = f"{self.physical_table} ({key})"
        if self.live is None:
            return f"{where}: missing from the live table; rebuild has {self.rebuilt}"
        if self.rebuilt is None:
            return f"{where}: live row {self.live} is not in the rebuild"
        changed = {c: (v, self.rebuilt[c]) for c, v in self.live.items() if v != self.rebuilt[c]}
        detail = "; ".join(f"{c}: live {a!r} ≠ rebuilt {b!r}" for c, (a, b) in changed.items())
        return f"{where}: {detail}"


def verify(
    engine: ProjectionEngine,
    name: str | None = None,
    *,
    progress: ProgressCallback | None = None,
    max_differences: int = 1000,
) -> list[Difference]:
    """Differences between every live projection (or ``name``) and a fresh rebuild.

    An empty list means the read models are correct; callers exit non-zero
    otherwise. At most ``max_differences`` are reported per projection.
    """
    engine.install()
    differences: list[Difference] = []
    for slot in engine.live_slots(name):
        engine.catch_up([slot], progress=progress)
        differences.extend(_verify(engine, slot, progress, max_differences))
    return differences


def _verify(
    engine: ProjectionEngine,
    live: Slot,
    progress: ProgressCallback | None,
    limit: int,
) -> list[Difference]:
    scratch = Slot(live.projection, prefix=f"rmx_{secrets.token_hex(3)}")
    with engine.store.transaction() as tx:
        scratch.create(tx)
    try:
        built = 0
        while True:
            with engine.store.read() as tx:
                target = tracking.position(tx, live.key)
                if target is None:
                    raise LookupError(f"{live.key[0]} v{live.key[1]} is not tracked")
                if target == built:
                    return _compare(tx, live, scratch, limit)
            if target < built:
                raise RuntimeError(f"{live.key[0]} was reset while being verified; run it again")
            built = engine.build_untracked(scratch, after=built, stop=target, progress=progress)
    finally:
        with engine.store.transaction() as tx:
            scratch.drop(tx)


def _compare(tx: Tx, live: Slot, scratch: Slot, limit: int) -> list[Difference]:
    found: list[Difference] = []
    live_tables, scratch_tables = live.tables(), scratch.tables()
    for logical, spec in live.projection.tables.items():
        columns = spec.column_names
        key_of = _key_function(columns, spec.primary_key)
        select = f"SELECT {', '.join(columns)} FROM {{}} ORDER BY {_order(spec, tx.dialect)}"
        pairs = _merge(
            tx.iterate(select.format(live_tables[logical])),
            tx.iterate(select.format(scratch_tables[logical])),
            key_of,
        )
        for key, mine, theirs in pairs:
            if mine is not None and theirs is not None and _same(mine, theirs):
                continue
            found.append(
                Difference(
                    projection=live.key[0],
                    version=live.key[1],
                    table=logical,
                    physical_table=live_tables[logical],
                    key=dict(zip(spec.primary_key, key, strict=True)),
                    live=None if mine is None else dict(zip(columns, mine, strict=True)),
                    rebuilt=None if theirs is None else dict(zip(columns, theirs, strict=True)),
                )
            )
            if len(found) >= limit:
                return found
    return found


def _order(spec: TableSpec, dialect: Dialect) -> str:
    """Order by primary key in code-point order, which is how Python compares keys."""
    terms = []
    for column in spec.primary_key:
        textual = spec.column_type(column) in ("TEXT", "JSON")
        terms.append(f'{column} COLLATE "C"' if textual and dialect == "postgres" else column)
    return ", ".join(terms)


def _key_function(columns: Sequence[str], key: Sequence[str]) -> Callable[[Row], Row]:
    positions = [columns.index(column) for column in key]
    return lambda row: tuple(row[i] for i in positions)


def _merge(
    left: Iterator[Row], right: Iterator[Row], key_of: Callable[[Row], Row]
) -> Iterator[tuple[Row, Row | None, Row | None]]:
    """Full outer join of two key-ordered row streams."""
    mine, theirs = next(left, None), next(right, None)
    while mine is not None or theirs is not None:
        if theirs is None or (mine is not None and key_of(mine) < key_of(theirs)):
            assert mine is not None
            yield key_of(mine), mine, None
            mine = next(left, None)
        elif mine is None or key_of(theirs) < key_of(mine):
            yield key_of(theirs), None, theirs
            theirs = next(right, None)
        else:
            yield key_of(mine), mine, theirs
            mine, theirs = next(left, None), next(right, None)


def _same(mine: Row, theirs: Row) -> bool:
    return all(
        a == b
        or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))
        for a, b in zip(mine, theirs, strict=True)
    )

"""Where each projection version stands, and which version queries read.

``projection_tracking`` holds one row per (projection, version): the last
event-store position folded into its tables. The row is updated in the same
transaction as the tables, and only if it still holds the position the batch
started from — so a batch is applied exactly once even if two processors race
(the loser's transaction rolls back with :class:`PositionConflict`).

``projection_registry`` names the active version of each projection: blue/green
rebuilds fill a new version's tables while queries keep reading the old one,
until :func:`set_active` flips it in one committed row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from projections.machinery.base import Slot, TableSpec
from projections.store.readstore import Tx

TRACKING = "projection_tracking"
REGISTRY = "projection_registry"
_INSTALL_LOCK_KEY = 0x4C45444745520001

_TRACKING_SPEC = TableSpec(
    columns={
        "name": "TEXT",
        "version": "INTEGER",
        "position": "INTEGER NOT NULL",
        "tables": "JSON NOT NULL",
        "updated_at": "TEXT NOT NULL",
        "last_error": "TEXT",
    },
    primary_key=("name", "version"),
)
_REGISTRY_SPEC = TableSpec(
    columns={"name": "TEXT", "active_version": "INTEGER NOT NULL", "updated_at": "TEXT NOT NULL"},
    primary_key=("name",),
)

Key = tuple[str, int]


class PositionConflict(Exception):
    """Another processor moved the position since this batch read it."""


@dataclass(frozen=True)
class TrackingRow:
    name: str
    version: int
    position: int
    tables: tuple[str, ...]
    updated_at: datetime
    last_error: str | None


def install(tx: Tx) -> None:
    """Create the bookkeeping tables; concurrent installers queue on PostgreSQL."""
    if tx.dialect == "postgres":
        tx.execute("SELECT pg_advisory_xact_lock(?)", (_INSTALL_LOCK_KEY,))
    for statement in _TRACKING_SPEC.create_statements(TRACKING, tx.dialect):
        tx.execute(statement)
    for statement in _REGISTRY_SPEC.create_statements(REGISTRY, tx.dialect):
        tx.execute(statement)


def ensure(tx: Tx, slot: Slot, now: datetime) -> bool:
    """Start tracking a projection version at position 0; False if already tracked."""
    name, version = slot.key
    return bool(
        tx.execute(
            f"INSERT INTO {TRACKING} (name, version, position, tables, updated_at)"
            " VALUES (?, ?, 0, ?, ?) ON CONFLICT (name, version) DO NOTHING",
            (name, version, json.dumps(sorted(slot.tables().values())), now.isoformat()),
        )
    )


def reset(tx: Tx, slot: Slot, now: datetime) -> None:
    """Put a projection version back to position 0 (its tables are rebuilt)."""
    name, version = slot.key
    tx.execute(
        f"INSERT INTO {TRACKING} (name, version, position, tables, updated_at)"
        " VALUES (?, ?, 0, ?, ?) ON CONFLICT (name, version) DO UPDATE SET"
        " position = 0, tables = excluded.tables, updated_at = excluded.updated_at,"
        " last_error = NULL",
        (name, version, json.dumps(sorted(slot.tables().values())), now.isoformat()),
    )


def position(tx: Tx, key: Key) -> int | None:
    value = tx.scalar(f"SELECT position FROM {TRACKING} WHERE name = ? AND version = ?", key)
    return None if value is None else int(value)


def advance(tx: Tx, key: Key, expected: int, new: int, now: datetime) -> None:
    """Move the position, first in the batch so concurrent batches serialize here."""
    changed = tx.execute(
        f"UPDATE {TRACKING} SET position = ?, updated_at = ?, last_error = NULL"
        " WHERE name = ? AND version = ? AND position = ?",
        (new, now.isoformat(), key[0], key[1], expected),
    )
    if changed != 1:
        raise PositionConflict(f"{key[0]} v{key[1]} is no longer at position {expected}")


def record_error(tx: Tx, key: Key, error: str, now: datetime) -> None:
    tx.execute(
        f"UPDATE {TRACKING} SET last_error = ?, updated_at = ? WHERE name = ? AND version = ?",
        (error[:2000], now.isoformat(), *key),
    )


def rows(tx: Tx) -> list[TrackingRow]:
    return [
        TrackingRow(
            name=str(name),
            version=int(version),
            position=int(pos),
            tables=tuple(json.loads(tables)),
            updated_at=datetime.fromisoformat(updated_at),
            last_error=last_error,
        )
        for name, version, pos, tables, updated_at, last_error in tx.fetchall(
            f"SELECT name, version, position, tables, updated_at, last_error FROM {TRACKING}"
            " ORDER BY name, version"
        )
    ]


def forget(tx: Tx, key: Key) -> tuple[str, ...]:
    """Stop tracking a version; returns the tables it recorded, for dropping."""
    tables = tx.scalar(f"SELECT tables FROM {TRACKING} WHERE name = ? AND version = ?", key)
    tx.execute(f"DELETE FROM {TRACKING} WHERE name = ? AND version = ?", key)
    return tuple(json.loads(tables)) if tables else ()


def active_versions(tx: Tx) -> dict[str, int]:
    return {
        str(name): int(version)
        for name, version in tx.fetchall(f"SELECT name, active_version FROM {REGISTRY}")
    }


def set_active(tx: Tx, name: str, version: int, now: datetime) -> None:
    tx.execute(
        f"INSERT INTO {REGISTRY} (name, active_version, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (name) DO UPDATE SET active_version = excluded.active_version,"
        " updated_at = excluded.updated_at",
        (name, version, now.isoformat()),
    )

"""Where the per-creator data keys live, apart from the events they unlock.

SQLite: ``keys.sqlite`` beside the event store, with ``secure_delete`` so a
forgotten key's bytes are overwritten, not left in a free page. PostgreSQL: the
``creator_keys`` table in the event store's schema, vacuumed and then rewritten
(``VACUUM FULL``) after a deletion: a plain ``VACUUM`` only marks the dead
row's space free, leaving its bytes in the table file. (A transaction in the
same database that is still open from before the deletion keeps the dead row
until a later vacuum.) Neither reaches copies made before the deletion —
backups, PostgreSQL's WAL until it is recycled — so keep this table's backups
short-lived.
Like the event store's recorders, this is the application's persistence
adapter; the domain model itself never sees it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import UTC, datetime
from uuid import UUID

import psycopg

from domain.infrastructure.settings import Settings

KEY_BYTES = 32


class SQLiteKeyVault:
    def __init__(self, settings: Settings) -> None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self._path = settings.data_dir / "keys.sqlite"
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(self._path, check_same_thread=False, timeout=10)
        self._connection.execute("PRAGMA secure_delete = ON")
        with self._connection:
            self._connection.execute(
                "CREATE TABLE IF NOT EXISTS creator_keys "
                "(creator_id TEXT PRIMARY KEY, key BLOB NOT NULL, created_at TEXT NOT NULL)"
            )

    def key_for(self, creator_id: UUID, *, create: bool) -> bytes | None:
        with self._lock, self._connection:
            row = self._connection.execute(
                "SELECT key FROM creator_keys WHERE creator_id = ?", (str(creator_id),)
            ).fetchone()
            if row is not None or not create:
                return bytes(row[0]) if row is not None else None
            key = os.urandom(KEY_BYTES)
            self._connection.execute(
                "INSERT INTO creator_keys VALUES (?, ?, ?)",
                (str(creator_id), key, datetime.now(UTC).isoformat()),
            )
            return key

    def forget(self, creator_id: UUID) -> bool:
        with self._lock:
            with self._connection:
                deleted = self._connection.execute(
                    "DELETE FROM creator_keys WHERE creator_id = ?", (str(creator_id),)
                ).rowcount
            self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return bool(deleted)

    def close(self) -> None:
        self._connection.close()


class PostgresKeyVault:
    def __init__(self, settings: Settings) -> None:
        self._conninfo = settings.postgres.conninfo()
        with psycopg.connect(self._conninfo, autocommit=True) as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS creator_keys "
                "(creator_id UUID PRIMARY KEY, key BYTEA NOT NULL, "
                "created_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )

    def key_for(self, creator_id: UUID, *, create: bool) -> bytes | None:
        with psycopg.connect(self._conninfo) as connection:
            if create:
                connection.execute(
                    "INSERT INTO creator_keys (creator_id, key) VALUES (%s, %s) "
                    "ON CONFLICT (creator_id) DO NOTHING",
                    (creator_id, os.urandom(KEY_BYTES)),
                )
            row = connection.execute(
                "SELECT key FROM creator_keys WHERE creator_id = %s", (creator_id,)
            ).fetchone()
        return bytes(row[0]) if row is not None else None

    def forget(self, creator_id: UUID) -> bool:
        with psycopg.connect(self._conninfo, autocommit=True) as connection:
            deleted = connection.execute(
                "DELETE FROM creator_keys WHERE creator_id = %s", (creator_id,)
            ).rowcount
            # VACUUM prunes the dead row (a rewrite alone would copy it while any
            # older snapshot exists, its own included); the rewrite then copies
            # only live rows into a new file and removes the old one.
            connection.execute("VACUUM creator_keys")
            connection.execute("VACUUM FULL creator_keys")
        return bool(deleted)

    def close(self) -> None:
        """Connections are opened per call; nothing stays open."""


def open_key_vault(settings: Settings) -> SQLiteKeyVault | PostgresKeyVault:
    if settings.backend == "postgres":
        return PostgresKeyVault(settings)
    return SQLiteKeyVault(settings)

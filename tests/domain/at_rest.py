"""What a store holds at rest, as raw as a test can read it, to search for secrets.

SQLite: the bytes of every file under the data dir (databases, WAL files, the
key file). PostgreSQL: every row of every table in the test's schema as text,
where a ``bytea`` column (the events' state) shows as hex, so a needle is
searched for both as text and as hex; and, for the key table, the bytes of
its file on disk, which still hold rows that were deleted but not yet purged.
"""

from __future__ import annotations

from collections.abc import Iterable

import psycopg
from psycopg import sql

from domain.infrastructure.settings import Settings


def store_contents(settings: Settings) -> dict[str, bytes]:
    """Every file (SQLite) or table (PostgreSQL) of the store, by name."""
    if settings.backend == "sqlite":
        return {
            path.name: path.read_bytes()
            for path in sorted(settings.data_dir.iterdir())
            if path.is_file()
        }
    return _table_texts(settings)


def places_holding(contents: dict[str, bytes], needle: str | bytes) -> list[str]:
    """Names of the files or tables holding ``needle``, raw or hex-encoded."""
    raw = needle.encode("utf-8") if isinstance(needle, str) else needle
    forms = (raw, raw.hex().encode("ascii"))
    return sorted(name for name, data in contents.items() if any(f in data for f in forms))


def schema_of(settings: Settings) -> str:
    schema = settings.postgres.schema
    assert schema is not None, "the test store has a schema of its own"
    return schema


def _table_texts(settings: Settings) -> dict[str, bytes]:
    schema = schema_of(settings)
    with psycopg.connect(settings.postgres.conninfo(), autocommit=True) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (schema,),
            )
        ]
        assert tables, f"no tables in schema {schema}"
        return {
            table: _joined(
                row[0]
                for row in connection.execute(
                    sql.SQL("SELECT t::text FROM {} t").format(sql.Identifier(schema, table))
                )
            )
            for table in tables
        }


def _joined(rows: Iterable[str]) -> bytes:
    return "\n".join(rows).encode("utf-8")


def relation_file_bytes(settings: Settings, table: str) -> bytes:
    """The table's heap file as PostgreSQL wrote it to disk (needs a superuser, as the
    test server's ``postgres`` is): dead rows stay there until the table is rewritten."""
    with psycopg.connect(settings.postgres.conninfo(), autocommit=True) as connection:
        connection.execute("CHECKPOINT")
        row = connection.execute(
            "SELECT pg_relation_filepath(%s::regclass)", (f"{schema_of(settings)}.{table}",)
        ).fetchone()
        assert row is not None
        assert row[0] is not None, f"{table} has no file"
        data = connection.execute("SELECT pg_read_binary_file(%s)", (row[0],)).fetchone()
    assert data is not None
    return bytes(data[0])

"""The backend fixtures hand every test its own empty store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from domain.infrastructure.settings import Settings
from tests.support import FakeClock


def _tables_in(settings: Settings) -> list[str]:
    target = settings.postgres
    with psycopg.connect(target.conninfo()) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (target.schema,),
        ).fetchall()
    return [name for (name,) in rows]


def _schema_exists(settings: Settings) -> bool:
    target = settings.postgres
    with psycopg.connect(target.conninfo()) as conn:
        row = conn.execute(
            "SELECT current_schema() = %s AND EXISTS "
            "(SELECT 1 FROM pg_namespace WHERE nspname = %s)",
            (target.schema, target.schema),
        ).fetchone()
    return bool(row and row[0])


def test_settings_point_at_an_empty_store_of_the_backend(
    backend: str, settings: Settings, tmp_path: Path
) -> None:
    assert settings.backend == backend
    if backend == "sqlite":
        assert settings.data_dir.is_relative_to(tmp_path)
        assert settings.eventsourcing_env()["SQLITE_DBNAME"] == str(settings.events_path)
        assert not settings.events_path.exists()
    else:
        assert _schema_exists(settings)
        assert _tables_in(settings) == []


def test_fresh_schemas_are_separate(fresh_schema_url: Callable[[], str]) -> None:
    first = Settings(database_url=fresh_schema_url())
    second = Settings(database_url=fresh_schema_url())
    assert first.postgres.dbname == second.postgres.dbname
    assert first.postgres.schema != second.postgres.schema

    with psycopg.connect(first.postgres.conninfo()) as conn:
        conn.execute("CREATE TABLE marker (id int)")
    assert _tables_in(first) == ["marker"]
    assert _tables_in(second) == []


def test_fake_clock_moves_only_when_advanced(clock: FakeClock) -> None:
    start = clock()
    assert start == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert clock() == start
    assert clock.advance(days=1, minutes=30) == datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
    assert clock() == datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
    assert clock().tzinfo is UTC

"""Fixtures every test folder shares.

One scenario, every backend: a test that asks for ``settings`` runs once on
SQLite and once on PostgreSQL. PostgreSQL tests use a database created for this
session (``ledger_test_<hex>``, dropped at the end) and a fresh schema per test,
so tests never see each other's events. Without a reachable server they are
skipped, unless ``LEDGER_REQUIRE_POSTGRES`` is set, as in CI, where they fail.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from domain.infrastructure.settings import Settings
from tests.support import FakeClock, skip_or_fail

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_USER = "postgres"

_POSTGRES_FIXTURES = {"pg_database_url", "fresh_schema_url"}


def _connect(dbname: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(
        host=PG_HOST,
        port=PG_PORT,
        user=PG_USER,
        dbname=dbname,
        connect_timeout=3,
        autocommit=True,
    )


def _unreachable_reason() -> str | None:
    try:
        _connect("postgres").close()
    except psycopg.OperationalError as error:
        return f"PostgreSQL unreachable at {PG_USER}@{PG_HOST}:{PG_PORT}: {error}".strip()
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests that use PostgreSQL directly, so ``-m "not postgres"`` leaves them out."""
    for item in items:
        if _POSTGRES_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """URL of a database created for this test session (no schema selected)."""
    reason = _unreachable_reason()
    if reason is not None:
        skip_or_fail(reason)
    dbname = f"ledger_test_{secrets.token_hex(6)}"
    with _connect("postgres") as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    try:
        yield f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{dbname}"
    finally:
        with _connect("postgres") as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname))
            )


@pytest.fixture
def fresh_schema_url(pg_database_url: str) -> Iterator[Callable[[], str]]:
    """Factory: each call creates an empty schema and returns a URL selecting it."""
    dbname = pg_database_url.rsplit("/", 1)[1]
    created: list[str] = []

    def make() -> str:
        schema = f"t_{secrets.token_hex(6)}"
        with _connect(dbname) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        created.append(schema)
        return f"{pg_database_url}?schema={schema}"

    yield make
    if created:
        with _connect(dbname) as conn:
            # A test that leaks an open transaction should fail here, not hang.
            conn.execute("SET lock_timeout = '30s'")
            for schema in created:
                conn.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
                )


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres, id="postgres")]
)
def backend(request: pytest.FixtureRequest) -> str:
    """Name of the store a test runs on: ``"sqlite"`` or ``"postgres"``."""
    return str(request.param)


@pytest.fixture
def settings(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """Settings for an empty store on ``backend``.

    PostgreSQL gets a data dir under tmp_path too, so nothing lands in ./var.
    """
    data_dir = tmp_path / "var"
    if backend == "sqlite":
        return Settings(data_dir=data_dir)
    make_schema_url: Callable[[], str] = request.getfixturevalue("fresh_schema_url")
    return Settings(data_dir=data_dir, database_url=make_schema_url())


@pytest.fixture
def clock() -> FakeClock:
    """A clock at 2026-03-02T09:00:00Z that moves only by ``clock.advance(...)``."""
    return FakeClock()

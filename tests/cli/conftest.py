"""Fixtures for the CLI tests: ``campaign-ledger`` on an empty store of each
backend (from the shared ``settings`` fixture), and on a small seeded market.

Seeding and starting a process take seconds, so the tests that only read share
one seeded market per backend for the whole session (``market``, with its
export read once); a test that edits a store seeds its own.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from domain.infrastructure.settings import Settings
from tests.cli.support import SMALL_MARKET, Cli


@pytest.fixture
def cli(settings: Settings) -> Cli:
    """``campaign-ledger`` on an empty store of the test's backend."""
    return Cli.on(settings)


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres, id="postgres")],
)
def market(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cli]:
    """``campaign-ledger`` on a small seeded market that tests only read."""
    data_dir = tmp_path_factory.mktemp("market") / "var"
    if request.param == "sqlite":
        cli = Cli.on(Settings(data_dir=data_dir))
        cli.ok("seed-demo", *SMALL_MARKET)
        yield cli
        return
    database_url: str = request.getfixturevalue("pg_database_url")
    schema = f"market_{secrets.token_hex(6)}"
    with _admin(database_url) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        cli = Cli.on(Settings(data_dir=data_dir, database_url=f"{database_url}?schema={schema}"))
        cli.ok("seed-demo", *SMALL_MARKET)
        yield cli
    finally:
        with _admin(database_url) as admin:
            admin.execute("SET lock_timeout = '30s'")
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(scope="session")
def market_export(market: Cli) -> str:
    """The market's ``export`` output, read once."""
    return market.ok("export").stdout


@pytest.fixture(scope="session")
def market_events(market: Cli, market_export: str) -> list[dict[str, Any]]:
    return Cli.records(market_export)


@pytest.fixture
def new_store(market: Cli, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[], Cli]:
    """Factory: ``campaign-ledger`` on another empty store of the market's backend."""
    count = itertools.count(1)

    def make() -> Cli:
        data_dir = tmp_path / f"store-{next(count)}"
        if market.settings.backend == "sqlite":
            return Cli.on(Settings(data_dir=data_dir))
        make_schema_url: Callable[[], str] = request.getfixturevalue("fresh_schema_url")
        return Cli.on(Settings(data_dir=data_dir, database_url=make_schema_url()))

    return make


@pytest.fixture
def offline(tmp_path: Path) -> Cli:
    """``campaign-ledger`` for refusals that happen before any store is opened."""
    return Cli.on(Settings(data_dir=tmp_path / "var"))


def _admin(database_url: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(database_url, autocommit=True, connect_timeout=3)

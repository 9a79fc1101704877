"""The PostgreSQL database a bench run measures: the one named, created if missing,
or by default a fresh one created for the run and dropped after it."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse, urlunparse

import psycopg
from psycopg import sql

from domain.infrastructure.settings import Settings, parse_postgres_url

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def _admin_conninfo(url: str) -> str:
    target = parse_postgres_url(url)
    return target.conninfo().replace(f"dbname='{target.dbname}'", "dbname='postgres'")


def ensure_database(settings: Settings) -> str | None:
    """Create the PostgreSQL database if missing; the server's version."""
    if settings.backend != "postgres" or settings.database_url is None:
        return None
    target = settings.postgres
    with psycopg.connect(_admin_conninfo(settings.database_url), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (target.dbname,)
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.dbname)))
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else None


@contextmanager
def fresh_database(server: str = SERVER) -> Iterator[str]:
    """The URL of a new, empty database on ``server``'s PostgreSQL, dropped on exit."""
    name = f"ledger_bench_{secrets.token_hex(4)}"
    url = urlunparse(urlparse(server)._replace(path=f"/{name}", query=""))
    admin = _admin_conninfo(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

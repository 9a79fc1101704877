"""Where the ledger keeps its data, read from the environment.

``LEDGER_DATABASE_URL=postgresql://user:pass@host:port/db[?schema=name]`` selects
PostgreSQL for events and read models; without it everything lives in SQLite
files under ``LEDGER_DATA_DIR`` (default ``./var``). ``LEDGER_RESPONSE_CACHE=0``
turns the API's response cache off (docs/operations.md, "Response cache").
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from domain.errors import StoreUnavailable, ValidationError


@dataclass(frozen=True)
class PostgresTarget:
    host: str
    port: int
    user: str
    password: str
    dbname: str
    schema: str | None = None

    def conninfo(self) -> str:
        parts = {
            "host": self.host,
            "port": str(self.port),
            "user": self.user,
            "password": self.password,
            "dbname": self.dbname,
        }
        text = " ".join(f"{k}='{_escape(v)}'" for k, v in parts.items() if v)
        if self.schema:
            text += f" options='-csearch_path={self.schema}'"
        return text


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def parse_postgres_url(url: str) -> PostgresTarget:
    parsed = urlparse(url)
    if parsed.scheme not in {"postgresql", "postgres"}:
        raise ValidationError(f"unsupported database URL scheme {parsed.scheme!r}")
    query = parse_qs(parsed.query)
    schema = query.get("schema", [None])[0]
    return PostgresTarget(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=unquote(parsed.username or "postgres"),
        password=unquote(parsed.password or ""),
        dbname=(parsed.path or "/").lstrip("/") or "postgres",
        schema=schema,
    )


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _flag(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    text = (env.get(name) or "").strip().lower()
    if not text:
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(f"{name} must be 1 or 0 (true/false, yes/no, on/off), not {text!r}")


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("var")
    database_url: str | None = None
    jwt_secret: str | None = None
    response_cache: bool = True
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            data_dir=Path(env.get("LEDGER_DATA_DIR") or "var"),
            database_url=env.get("LEDGER_DATABASE_URL") or None,
            jwt_secret=env.get("LEDGER_JWT_SECRET") or None,
            response_cache=_flag(env, "LEDGER_RESPONSE_CACHE", default=True),
        )

    @property
    def backend(self) -> str:
        return "postgres" if self.database_url else "sqlite"

    @property
    def postgres(self) -> PostgresTarget:
        if not self.database_url:
            raise ValidationError("no PostgreSQL database configured")
        return parse_postgres_url(self.database_url)

    @property
    def events_path(self) -> Path:
        return self.data_dir / "events.sqlite"

    @property
    def read_models_path(self) -> Path:
        return self.data_dir / "read_models.sqlite"

    def eventsourcing_env(self) -> dict[str, str]:
        """The ``eventsourcing`` library's environment for the event store."""
        if self.database_url:
            pg = self.postgres
            env = {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_HOST": pg.host,
                "POSTGRES_PORT": str(pg.port),
                "POSTGRES_USER": pg.user,
                "POSTGRES_PASSWORD": pg.password,
                "POSTGRES_DBNAME": pg.dbname,
                # How long to wait for a pooled connection. The library retries each
                # statement 10 times on a connection error, so while the database is down
                # this bounds a request's wait (about 12 s) before it is told UNAVAILABLE.
                "POSTGRES_CONNECT_TIMEOUT": "1",
                "POSTGRES_POOL_SIZE": "10",
                "POSTGRES_MAX_OVERFLOW": "10",
                "POSTGRES_ENABLE_DB_FUNCTIONS": "y",
            }
            if pg.schema:
                env["POSTGRES_SCHEMA"] = pg.schema
        else:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            if not os.access(self.data_dir, os.W_OK):
                # SQLite would only say "unable to open database file".
                raise StoreUnavailable(
                    f"the data directory {self.data_dir} is not writable "
                    "(read-only file system or permissions)"
                )
            env = {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.events_path),
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        env["IS_SNAPSHOTTING_ENABLED"] = "y"
        env["AGGREGATE_CACHE_MAXSIZE"] = "2000"
        env.update(self.extra)
        return env

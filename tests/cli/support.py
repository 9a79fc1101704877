"""Running ``campaign-ledger`` as an operator does — a fresh process with its
settings in the environment — and editing a store by hand, as an intruder or a
careless DBA would, to see the checks notice."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import psycopg

from domain.application import Ledger
from domain.infrastructure.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SECRET = "cli-tests-signing-key-" + "k" * 32
SMALL_MARKET = ("--creators", "12", "--brands", "4", "--campaigns", "25")
ERROR_LINE = re.compile(r"campaign-ledger: error: \S.*\n")
EXPORT_FIELDS = [
    "position",
    "aggregate_type",
    "aggregate_id",
    "version",
    "type",
    "timestamp",
    "actor",
    "correlation_id",
    "causation_id",
    "chain",
    "payload",
]


@dataclass(frozen=True)
class Cli:
    """``campaign-ledger`` bound to one store."""

    settings: Settings

    @classmethod
    def on(cls, settings: Settings) -> Cli:
        return cls(replace(settings, jwt_secret=settings.jwt_secret or SECRET))

    @property
    def env(self) -> dict[str, str]:
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("LEDGER_") and key != "PYTHONPATH"
        }
        environment["LEDGER_DATA_DIR"] = str(self.settings.data_dir)
        environment["LEDGER_JWT_SECRET"] = str(self.settings.jwt_secret)
        if self.settings.database_url:
            environment["LEDGER_DATABASE_URL"] = self.settings.database_url
        return environment

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "graphql_api.cli", *args]

    def __call__(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def ok(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = self(*args)
        assert result.returncode == 0, f"{args} exited {result.returncode}:\n{result.stderr}"
        assert "Traceback" not in result.stderr
        return result

    def export(self, *args: str) -> list[dict[str, Any]]:
        return self.records(self.ok("export", *args).stdout)

    @staticmethod
    def records(json_lines: str) -> list[dict[str, Any]]:
        return [json.loads(line) for line in json_lines.splitlines()]


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The failure contract: non-zero, one ``campaign-ledger: error:`` line, no traceback."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    assert ERROR_LINE.fullmatch(result.stderr), repr(result.stderr)
    return result.stderr.removeprefix("campaign-ledger: error: ").strip()


# --- hand edits ----------------------------------------------------------------


@contextmanager
def _connection(settings: Settings, sqlite_file: Path) -> Iterator[tuple[Any, str]]:
    """A DB-API connection to the store and its parameter marker; commits on success."""
    if settings.backend == "postgres":
        with psycopg.connect(settings.postgres.conninfo()) as connection:
            yield connection, "%s"
        return
    connection = sqlite3.connect(sqlite_file)
    try:
        with connection:
            yield connection, "?"
    finally:
        connection.close()


def edit_stored_event(settings: Settings, position: int, edit: Any) -> None:
    """Rewrites the stored JSON of the event at ``position`` with ``edit(state)``."""
    table = "stored_events" if settings.backend == "sqlite" else f"{Ledger.name.lower()}_events"
    with Ledger(settings) as ledger:
        [notification] = ledger.recorder.select_notifications(position, 1)
    originator = (
        notification.originator_id.hex
        if settings.backend == "sqlite"
        else notification.originator_id
    )
    with _connection(settings, settings.events_path) as (connection, mark):
        where = f"originator_id = {mark} AND originator_version = {mark}"
        (stored,) = connection.execute(
            f"SELECT state FROM {table} WHERE {where}",
            (originator, notification.originator_version),
        ).fetchone()
        state = json.loads(bytes(stored))
        edit(state)
        edited = json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode()
        connection.execute(
            f"UPDATE {table} SET state = {mark} WHERE {where}",
            (edited, originator, notification.originator_version),
        )


def read_model_table(settings: Settings, projection: str, suffix: str) -> str:
    """The physical name of ``projection``'s serving table that ends with ``suffix``."""
    with _connection(settings, settings.read_models_path) as (connection, mark):
        rows = connection.execute(
            "SELECT t.tables FROM projection_tracking t JOIN projection_registry r "
            f"ON r.name = t.name AND r.active_version = t.version WHERE t.name = {mark}",
            (projection,),
        ).fetchall()
    tables = rows[0][0]
    names = json.loads(tables) if isinstance(tables, str) else tables
    [table] = [name for name in names if name.endswith(suffix)]
    return str(table)


def execute_on_read_models(settings: Settings, statement: str, *params: object) -> int:
    """Runs ``statement`` (``?`` marks parameters) on the read store; returns rows changed."""
    with _connection(settings, settings.read_models_path) as (connection, mark):
        cursor = connection.execute(statement.replace("?", mark), params)
        return int(cursor.rowcount)

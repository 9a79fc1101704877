"""Operating the read side: ``rebuild``, ``verify``, ``switch`` and ``project``."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from domain.application import Ledger
from domain.application.commands import RegisterBrand
from domain.context import Actor
from domain.infrastructure.settings import Settings
from projections.catalog import all_projections
from tests.cli.support import (
    ROOT,
    Cli,
    assert_one_line_error,
    execute_on_read_models,
    read_model_table,
)

PLAIN_PROGRESS = re.compile(r"[\w -]+: \d+/\d+( \(\d+%\))?")
CATCH_UP_TIMEOUT = 60.0


def test_rebuild_reports_every_projection_at_the_head_with_plain_progress_lines(
    market: Cli, market_events: list[dict[str, Any]]
) -> None:
    result = market.ok("rebuild")

    names = sorted(p.name for p in all_projections())
    reports = result.stdout.splitlines()
    assert sorted(line.split(" v")[0] for line in reports) == names
    head = len(market_events)
    done = re.compile(rf"[a-z_]+ v\d+: position {head}, active; \d+\.\d s in its batches")
    assert all(done.fullmatch(line) for line in reports), reports
    progress = result.stderr.splitlines()
    assert all(PLAIN_PROGRESS.fullmatch(line) for line in progress), progress
    assert {line.split(" v")[0] for line in progress if line.endswith("(100%)")} == set(names)
    assert "\x1b" not in result.stderr


def test_verify_passes_on_a_seeded_store(market: Cli) -> None:
    result = market.ok("verify")

    assert result.stdout == "event store consistent; projections equal a fresh rebuild\n"


def test_verify_names_a_read_model_row_edited_by_hand(cli: Cli) -> None:
    cli.ok("seed-demo", "--creators", "4", "--brands", "2", "--campaigns", "4")
    cli.ok("rebuild", "campaign_summaries")
    table = read_model_table(cli.settings, "campaign_summaries", "_campaigns")
    campaign_id = next(r["aggregate_id"] for r in cli.export() if r["type"] == "Pitched")
    changed = execute_on_read_models(
        cli.settings, f"UPDATE {table} SET state = 'CANCELLED' WHERE campaign_id = ?", campaign_id
    )
    assert changed == 1

    result = cli("verify", "campaign_summaries")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    problems = [line for line in result.stderr.splitlines() if not PLAIN_PROGRESS.fullmatch(line)]
    assert problems[-1] == "0 store problem(s), 1 differing row(s)"
    [row] = problems[:-1]
    assert row.startswith(f"{table} (campaign_id='{campaign_id}'): state: live 'CANCELLED'")


def test_switch_to_a_version_never_built_is_refused(cli: Cli) -> None:
    message = assert_one_line_error(cli("switch", "campaign_summaries", "7"))

    assert message == "campaign_summaries v7 has not been built"


@pytest.mark.parametrize("command", ["rebuild", "verify", "switch"])
def test_an_unknown_projection_is_refused_before_any_work(offline: Cli, command: str) -> None:
    args = [command, "no_such_projection"] + (["2"] if command == "switch" else [])

    message = assert_one_line_error(offline(*args))

    assert message.startswith("no projection named 'no_such_projection'; known: ")
    assert "campaign_summaries" in message


def test_project_refuses_on_the_embedded_store(offline: Cli) -> None:
    message = assert_one_line_error(offline("project"))

    assert message.startswith("'project' workers need PostgreSQL")


def test_project_worker_catches_up_follows_new_events_and_stops_on_sigterm(
    fresh_schema_url: Callable[[], str], tmp_path: Path
) -> None:
    cli = Cli.on(Settings(data_dir=tmp_path / "var", database_url=fresh_schema_url()))
    cli.ok("seed-demo", "--creators", "6", "--brands", "2", "--campaigns", "8")
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            cli.command("project"),
            cwd=ROOT,
            env=cli.env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_caught_up(cli.settings, worker)
        with Ledger(cli.settings) as ledger:
            ledger.execute(
                ledger.context(Actor.admin("ops")),
                RegisterBrand(
                    name="Kopi Senja",
                    industry="food & beverage",
                    website="https://kopisenja.example",
                ),
            )
        _wait_until_caught_up(cli.settings, worker)
    finally:
        worker.send_signal(signal.SIGTERM)
        returncode = worker.wait(timeout=30)

    assert returncode == 0, log.read_text()
    assert "Traceback" not in log.read_text()


def _wait_until_caught_up(settings: Settings, worker: subprocess.Popen[bytes]) -> None:
    """Polls the read store until every projection's position is the store head."""
    names = {p.name for p in all_projections()}
    with Ledger(settings) as ledger:
        head = ledger.head_position()
    deadline = time.monotonic() + CATCH_UP_TIMEOUT
    positions: dict[str, int] = {}
    while time.monotonic() < deadline:
        assert worker.poll() is None, "the worker exited early"
        try:
            with psycopg.connect(settings.postgres.conninfo()) as connection:
                rows = connection.execute(
                    "SELECT t.name, t.position FROM projection_tracking t "
                    "JOIN projection_registry r "
                    "ON r.name = t.name AND r.active_version = t.version"
                ).fetchall()
        except psycopg.errors.UndefinedTable:
            rows = []  # the worker has not installed its tables yet
        positions = {str(name): int(position) for name, position in rows}
        if set(positions) >= names and all(positions[n] == head for n in names):
            return
        time.sleep(0.2)
    pytest.fail(f"projections did not reach {head} in {CATCH_UP_TIMEOUT:.0f} s: {positions}")

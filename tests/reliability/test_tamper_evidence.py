"""The store proves it has not been altered, end to end: an event edited (or removed)
by hand in the database file or table makes the ``campaign-ledger verify``
command fail and name the event, on both backends."""

from __future__ import annotations

import sqlite3
from uuid import UUID

import psycopg
import pytest
from psycopg import sql

from domain.application import Ledger
from domain.infrastructure.settings import Settings
from tests.domain.builders import campaign_at
from tests.reliability.figures import Figures
from tests.reliability.processes import run_cli
from tests.support import FakeClock

ORIGINAL = "Would you like to try our serum?"
FORGED = "Would you like to try our soaps?"

EDITS = {
    # A forger's careful edit: still valid JSON, still a BLOB/bytea, only the words changed.
    "payload edited": {
        "sqlite": "UPDATE stored_events"
        " SET state = CAST(replace(CAST(state AS TEXT), ?, ?) AS BLOB)"
        " WHERE originator_id = ? AND originator_version = 1",
        "postgres": "UPDATE {} SET state = convert_to(replace(convert_from(state, 'UTF8'), %s, %s),"
        " 'UTF8') WHERE originator_id = %s AND originator_version = 1",
    },
    # A clumsy one: the bytes no longer decode at all.
    "event corrupted": {
        "sqlite": "UPDATE stored_events SET state = CAST(substr(CAST(state AS TEXT), 1, 40) || ?"
        " || ? AS BLOB) WHERE originator_id = ? AND originator_version = 1",
        "postgres": "UPDATE {} SET state = convert_to(left(convert_from(state, 'UTF8'), 40) || %s"
        " || %s, 'UTF8') WHERE originator_id = %s AND originator_version = 1",
    },
    "event deleted": {
        "sqlite": "DELETE FROM stored_events WHERE originator_id = ? AND originator_version = 2",
        "postgres": "DELETE FROM {} WHERE originator_id = %s AND originator_version = 2",
    },
}
BLAMED = {
    "payload edited": "v1: hash chain broken",
    "event corrupted": "v1: does not decode",
    "event deleted": "v3: follows version 1",
}


def _campaign(settings: Settings) -> UUID:
    with Ledger(settings, clock=FakeClock()) as ledger:
        return campaign_at(ledger, "CONCLUDED").campaign_id


def _edit_by_hand(settings: Settings, tampering: str, campaign_id: UUID) -> int:
    """Changes the stored rows with the database's own tools, bypassing the application."""
    statement = EDITS[tampering][settings.backend]
    words = () if tampering == "event deleted" else (ORIGINAL, FORGED)
    if settings.backend == "sqlite":
        with sqlite3.connect(settings.events_path) as database:
            changed = database.execute(statement, (*words, campaign_id.hex)).rowcount
        database.close()
        return changed
    target = settings.postgres
    table = sql.Identifier(target.schema or "public", "campaignledger_events")
    with psycopg.connect(target.conninfo(), autocommit=True) as connection:
        query = sql.SQL(statement).format(table)
        return connection.execute(query, (*words, campaign_id)).rowcount


@pytest.mark.parametrize("tampering", list(EDITS))
def test_verify_command_names_an_event_altered_in_the_database(
    settings: Settings, env: dict[str, str], figures: Figures, tampering: str
) -> None:
    campaign_id = _campaign(settings)
    assert run_cli(env, "verify").returncode == 0
    changed = _edit_by_hand(settings, tampering, campaign_id)
    blamed = f"{campaign_id} {BLAMED[tampering]}"
    assert changed == 1

    verify = run_cli(env, "verify")

    figures.record(
        f"tamper_evidence[{settings.backend}-{tampering.replace(' ', '_')}]",
        tampered_events=changed,
        verify_exit=verify.returncode,
        named=blamed in verify.stderr,
    )
    assert verify.returncode == 1
    assert blamed in verify.stderr, verify.stderr
    assert "store problem" in verify.stderr

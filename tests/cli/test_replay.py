"""``replay``: an auditor's view of one campaign, as of now, a version or a moment."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.support import Cli, assert_one_line_error


def _state_line(output: str) -> str:
    """The summary under the table: ``state S at version V (time); offers …``."""
    [line] = [line for line in output.splitlines() if line.startswith("state ")]
    return line


@pytest.fixture(scope="session")
def history(market_events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events of the seeded campaign with the longest history."""
    campaigns: dict[str, list[dict[str, Any]]] = {}
    for record in market_events:
        if record["aggregate_type"] == "Campaign":
            campaigns.setdefault(record["aggregate_id"], []).append(record)
    return max(campaigns.values(), key=len)


def test_replay_lists_every_event_and_ends_with_the_current_state(
    market: Cli, history: list[dict[str, Any]]
) -> None:
    output = market.ok("replay", history[0]["aggregate_id"]).stdout

    for event_type in {record["type"] for record in history}:
        assert event_type in output
    assert f"at version {len(history)} (" in _state_line(output)


def test_replay_up_to_a_version_leaves_out_later_events(
    market: Cli, history: list[dict[str, Any]]
) -> None:
    output = market.ok("replay", history[0]["aggregate_id"], "--version", "3").stdout

    assert " at version 3 (" in _state_line(output)
    assert history[2]["type"] in output
    later = {record["type"] for record in history[3:]} - {r["type"] for r in history[:3]}
    assert later
    assert not any(event_type in output for event_type in later)


def test_replay_at_a_moment_shows_the_last_event_at_or_before_it(
    market: Cli, history: list[dict[str, Any]]
) -> None:
    moment = history[1]["timestamp"]

    output = market.ok("replay", history[0]["aggregate_id"], "--at", moment).stdout

    assert " at version 2 (" in _state_line(output)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["not-a-campaign"], "campaign not-a-campaign not found"),
        (["00000000-0000-4000-8000-000000000000"], "not found"),
        (["{id}", "--at", "2000-01-01T00:00:00Z"], "not found"),
    ],
    ids=["malformed-id", "unknown-id", "before-the-pitch"],
)
def test_replay_of_what_is_not_there_fails_with_one_line(
    market: Cli, history: list[dict[str, Any]], arguments: list[str], expected: str
) -> None:
    args = [a.format(id=history[0]["aggregate_id"]) for a in arguments]

    message = assert_one_line_error(market("replay", *args))

    assert expected in message


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--at", "yesterday"], "--at 'yesterday' is not an ISO 8601 date-time"),
        (["--at", "2025-03-01T10:00:00"], "--at needs a timezone, e.g. 2026-03-02T09:00:00Z"),
        (["--version", "2", "--at", "2025-03-01T10:00:00Z"], "give --version or --at, not both"),
    ],
    ids=["bad-moment", "naive-moment", "both"],
)
def test_replay_refuses_malformed_options_with_one_line(
    offline: Cli, arguments: list[str], expected: str
) -> None:
    message = assert_one_line_error(
        offline("replay", "00000000-0000-4000-8000-000000000000", *arguments)
    )

    assert message == expected

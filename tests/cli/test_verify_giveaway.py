"""``verify-giveaway``: anyone can recompute a draw from the recorded commitment,
seed and entries — and an edited record is caught."""

from __future__ import annotations

from typing import Any

from tests.cli.support import SMALL_MARKET, Cli, assert_one_line_error, edit_stored_event


def _draws(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r["type"] == "GiveawayWinnersDrawn"]


def test_a_generated_giveaway_draw_verifies(
    market: Cli, market_events: list[dict[str, Any]]
) -> None:
    draw = _draws(market_events)[0]

    result = market.ok("verify-giveaway", draw["aggregate_id"])

    winners = ", ".join(draw["payload"]["winners"])
    assert result.stdout.startswith(f"{draw['payload']['giveaway_id']}: verified — ")
    assert result.stdout.endswith(f" entries, winners {winners}\n")
    assert result.stderr == ""


def test_a_winner_swapped_in_the_stored_event_is_named_as_a_mismatch(cli: Cli) -> None:
    cli.ok("seed-demo", *SMALL_MARKET)
    records = cli.export()
    draw = _draws(records)[0]
    campaign_id, giveaway_id = draw["aggregate_id"], draw["payload"]["giveaway_id"]
    winners = draw["payload"]["winners"]
    entrants = {
        handle
        for record in records
        if record["aggregate_id"] == campaign_id and record["type"] == "GiveawayEntriesRecorded"
        for handle in record["payload"]["entries"]
    }
    impostor = min(entrants - set(winners))

    def swap_first_winner(state: dict[str, Any]) -> None:
        state["winners"][0] = impostor

    edit_stored_event(cli.settings, draw["position"], swap_first_winner)
    result = cli("verify-giveaway", campaign_id)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr == (
        f"{giveaway_id}: MISMATCH: recorded winners {[impostor, *winners[1:]]}, "
        f"recomputed {winners}\n"
    )


def test_a_campaign_without_a_giveaway_has_nothing_to_verify(
    market: Cli, market_events: list[dict[str, Any]]
) -> None:
    records = market_events
    with_giveaway = {r["aggregate_id"] for r in records if r["type"] == "GiveawayAnnounced"}
    plain = next(
        r["aggregate_id"]
        for r in records
        if r["type"] == "Pitched" and r["aggregate_id"] not in with_giveaway
    )

    message = assert_one_line_error(market("verify-giveaway", plain))

    assert message == f"giveaway in campaign {plain} not found"


def test_verify_giveaway_of_an_unknown_campaign_fails_with_one_line(market: Cli) -> None:
    message = assert_one_line_error(
        market("verify-giveaway", "00000000-0000-4000-8000-000000000000")
    )

    assert message == "campaign 00000000-0000-4000-8000-000000000000 not found"

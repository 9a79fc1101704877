"""``seed-demo`` and ``export``: a demo market is a pure function of its seed,
and the export is a stable, filterable JSON Lines stream of the store."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tests.cli.support import EXPORT_FIELDS, SMALL_MARKET, Cli, assert_one_line_error


def test_the_seed_alone_determines_the_exported_events(
    market_export: str, new_store: Callable[[], Cli]
) -> None:
    twin, other = new_store(), new_store()

    seeded = twin.ok("seed-demo", *SMALL_MARKET)
    other.ok("seed-demo", *SMALL_MARKET, "--seed", "8")

    assert "seeded 4 brands, 12 creators, 25 campaigns" in seeded.stdout
    assert twin.ok("export").stdout == market_export
    assert other.ok("export").stdout != market_export


def test_export_writes_one_json_object_per_event_with_fields_in_a_fixed_order(
    market_export: str,
) -> None:
    records = [json.loads(line) for line in market_export.splitlines()]

    assert len(records) > 500
    assert [list(record) for record in records] == [EXPORT_FIELDS] * len(records)
    assert [record["position"] for record in records] == list(range(1, len(records) + 1))
    assert all(datetime.fromisoformat(record["timestamp"]).tzinfo for record in records)
    assert {record["aggregate_type"] for record in records} >= {"Brand", "Creator", "Campaign"}


def test_export_since_a_position_continues_where_an_earlier_export_stopped(
    market: Cli, market_export: str
) -> None:
    everything = market_export.splitlines(keepends=True)

    tail = market.ok("export", "--since", "100").stdout.splitlines(keepends=True)
    beyond = market.ok("export", "--since", str(len(everything))).stdout

    assert tail == everything[100:]
    assert beyond == ""


def test_export_of_one_campaign_is_its_whole_history_in_version_order(
    market: Cli, market_events: list[dict[str, Any]]
) -> None:
    campaign_id = next(r["aggregate_id"] for r in market_events if r["type"] == "Pitched")
    expected = [r for r in market_events if r["aggregate_id"] == campaign_id]

    records = market.export("--campaign", campaign_id)

    assert records == expected
    assert [r["version"] for r in records] == list(range(1, len(records) + 1))
    assert records[0]["type"] == "Pitched"


def test_export_of_something_that_is_not_a_campaign_fails_with_one_line(
    market: Cli, market_events: list[dict[str, Any]]
) -> None:
    brand_id = next(r["aggregate_id"] for r in market_events if r["aggregate_type"] == "Brand")

    message = assert_one_line_error(market("export", "--campaign", brand_id))

    assert message == f"campaign {brand_id} not found"

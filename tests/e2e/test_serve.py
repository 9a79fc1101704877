"""``campaign-ledger serve`` as a newcomer starts it: an empty store gets a demo
market, and tokens printed by the CLI are accepted."""

from __future__ import annotations

from graphql_api.demo import MarketSize
from tests.e2e.conftest import Server


def test_a_first_start_on_an_empty_store_serves_a_demo_market(server: Server) -> None:
    body = server.graphql("{ creators(first: 1) { totalCount } rateBenchmarks { tier } }")

    assert "errors" not in body
    assert body["data"]["creators"]["totalCount"] == MarketSize().creators
    assert body["data"]["rateBenchmarks"]


def test_a_token_printed_by_the_cli_is_accepted_by_the_running_server(server: Server) -> None:
    token = server.cli.ok("token", "--role", "auditor", "--sub", "audit-9").stdout.strip()

    body = server.graphql("{ me { role id } }", token=token)

    assert body == {"data": {"me": {"role": "AUDITOR", "id": "audit-9"}}}

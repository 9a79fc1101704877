"""The bench's in-memory baselines answer exactly what the API answered, and its
options refuse bad values before anything runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graphql_api.cli.bench.baseline import bare_query, bare_schema

CAMPAIGNS = """{ campaigns(filter: {brandId: "b1"}, first: 2) { totalCount edges { cursor node {
  id fee { amount currency } metricTotals { likes reach } creator { id handle } } } } }"""


def _answer(query: str, response: dict[str, object]) -> object:
    schema = bare_schema({"query": query, "response": json.dumps(response)})
    result = schema.execute_sync(bare_query(query))
    assert result.errors is None
    return result.data


def test_bare_strawberry_answers_the_recorded_response_field_for_field() -> None:
    response = {
        "data": {
            "campaigns": {
                "totalCount": 7,
                "edges": [
                    {
                        "cursor": "c1",
                        "node": {
                            "id": "1",
                            "fee": {"amount": "750000", "currency": "IDR"},
                            "metricTotals": {"likes": 12, "reach": None},
                            "creator": {"id": "k1", "handle": "ana"},
                        },
                    }
                ],
            }
        }
    }

    assert _answer(CAMPAIGNS, response) == response["data"]


def test_bare_strawberry_answers_objects_that_are_null_in_every_recorded_value() -> None:
    nodes = [
        {"id": str(n), "fee": None, "metricTotals": None, "creator": {"id": "k", "handle": "a"}}
        for n in range(2)
    ]
    response = {
        "data": {
            "campaigns": {
                "totalCount": 2,
                "edges": [{"cursor": f"c{n}", "node": node} for n, node in enumerate(nodes)],
            }
        }
    }

    assert _answer(CAMPAIGNS, response) == response["data"]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--repeats", "21"], "--repeats must be 1 to 20"),
        (["--duration", "0"], "--duration must be more than 0"),
    ],
)
def test_bench_refuses_out_of_range_options_before_running(
    tmp_path: Path, option: list[str], message: str
) -> None:
    data_dir = tmp_path / "bench-data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")}
    command = [sys.executable, "-c", "from graphql_api.cli import main; raise SystemExit(main())"]
    done = subprocess.run(
        [*command, "bench", "--backend", "sqlite", "--data-dir", str(data_dir), *option],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode != 0
    assert message in done.stderr
    assert not data_dir.exists()

"""Request ids, JSON logs and Prometheus metrics."""

from __future__ import annotations

import logging
import re

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from graphql_api.http.metrics import Metrics
from tests.api.support import JsonLog, bearer

QUERY = {"query": "query WhoAmI { whoami }"}


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_valid_request_id_is_echoed(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json=QUERY, headers={"X-Request-ID": "gw-1.a_b-C"})

    assert response.headers["X-Request-ID"] == "gw-1.a_b-C"


@pytest.mark.parametrize(
    "unsafe", ["has space", "semi;colon", "x" * 129, "", "new\\nline"], ids=repr
)
async def test_unsafe_request_id_is_replaced_by_a_new_one(
    client: httpx.AsyncClient, unsafe: str
) -> None:
    response = await client.post("/graphql", json=QUERY, headers={"X-Request-ID": unsafe})

    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


async def test_request_id_is_generated_and_unique_per_request(client: httpx.AsyncClient) -> None:
    first = await client.post("/graphql", json=QUERY)
    second = await client.post("/graphql", json=QUERY)

    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics", "/nowhere"])
async def test_every_response_carries_a_request_id(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)

    assert response.headers["X-Request-ID"]


async def test_refused_requests_carry_the_request_id_too(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json=QUERY,
        headers={"X-Request-ID": "refused-1", "Authorization": "Bearer nonsense"},
    )

    assert response.status_code == 401
    assert response.headers["X-Request-ID"] == "refused-1"


async def test_each_request_is_logged_as_one_json_line_with_its_id(
    client: httpx.AsyncClient, json_log: JsonLog
) -> None:
    await client.post("/graphql", json=QUERY, headers={"X-Request-ID": "log-me"})

    [access] = [r for r in json_log.records() if r["logger"] == "graphql_api.access"]
    assert access["request_id"] == "log-me"
    assert access["level"] == "INFO"
    assert access["method"] == "POST"
    assert access["path"] == "/graphql"
    assert access["status"] == 200
    assert isinstance(access["duration_ms"], float)
    assert access["time"].endswith("+00:00")


def test_log_lines_carry_extras_and_no_request_id_outside_requests(json_log: JsonLog) -> None:
    logging.getLogger("ledger.test").warning(
        "projection %s stalled", "reputation", extra={"lag": 7}
    )

    [record] = json_log.records()
    assert record["message"] == "projection reputation stalled"
    assert record["level"] == "WARNING"
    assert record["lag"] == 7
    assert record["request_id"] is None


async def test_metrics_count_requests_by_operation_and_outcome(
    client: httpx.AsyncClient,
) -> None:
    await client.post("/graphql", json=QUERY, headers=bearer("brand", "b-1"))
    await client.post("/graphql", json={"query": "query Broken { broken }"})
    await client.post("/graphql", json={"query": '{ creatorName(creatorId: "x") }'})
    await client.post("/graphql", json=QUERY, headers={"Authorization": "Bearer junk"})

    samples = _samples((await client.get("/metrics")).text)

    count = "ledger_graphql_requests_total"
    assert samples[(count, (("operation", "WhoAmI"), ("outcome", "ok")))] == 1
    assert samples[(count, (("operation", "Broken"), ("outcome", "internal")))] == 1
    assert samples[(count, (("operation", "anonymous"), ("outcome", "error")))] == 1
    assert samples[(count, (("operation", "anonymous"), ("outcome", "rejected")))] == 1
    latency = "ledger_graphql_request_duration_seconds_count"
    assert samples[(latency, (("operation", "WhoAmI"), ("outcome", "ok")))] == 1


async def test_metrics_report_projection_lag_and_events_written(
    client: httpx.AsyncClient, metrics: Metrics
) -> None:
    metrics.record_events_written(3)
    metrics.record_events_written(2)

    response = await client.get("/metrics")

    assert response.headers["content-type"].startswith("text/plain")
    samples = _samples(response.text)
    assert samples[("ledger_events_written_total", ())] == 5
    assert samples[("ledger_projection_lag", (("projection", "creator_reputation"),))] == 2
    assert samples[("ledger_projection_lag", (("projection", "brand_feedback"),))] == 0


async def test_operation_labels_stay_bounded_whatever_clients_send(
    client: httpx.AsyncClient,
) -> None:
    for index in range(8):
        await client.post("/graphql", json={"query": f"query Op{index} {{ whoami }}"})

    samples = _samples((await client.get("/metrics")).text)
    operations = {
        dict(labels)["operation"]
        for name, labels in samples
        if name == "ledger_graphql_requests_total"
    }
    assert operations == {"Op0", "Op1", "Op2", "Op3", "Op4", "other"}


def test_a_failing_lag_callback_does_not_break_the_scrape() -> None:
    metrics = Metrics()

    def broken() -> dict[str, int]:
        raise ConnectionError("store down")

    metrics.watch_projection_lag(broken)

    assert b"ledger_events_written_total" in metrics.render()


def test_two_apps_in_one_process_have_separate_metrics() -> None:
    first, second = Metrics(), Metrics()
    first.record_events_written(4)

    assert _samples(second.render().decode())[("ledger_events_written_total", ())] == 0


async def test_request_id_is_the_correlation_id_of_the_callers_commands(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ correlationId }"},
        headers={"X-Request-ID": "corr-7", **bearer("admin", "root")},
    )

    assert response.json() == {"data": {"correlationId": "corr-7"}}


async def test_commands_from_anonymous_callers_are_unauthenticated(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/graphql", json={"query": "{ correlationId }"})

    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert response.status_code == 200

"""Liveness and readiness probes."""

from __future__ import annotations

import httpx

from graphql_api.http.health import ProjectionReadiness, ReadinessReport
from tests.api.support import FakeReadiness


async def test_healthz_answers_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_reports_store_and_projections(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "store": {"reachable": True},
        "projections": [
            {
                "name": "creator_reputation",
                "running": True,
                "position": "40",
                "headPosition": "42",
                "lag": 2,
            }
        ],
        "maxProjectionLag": 100,
        "detail": None,
    }


async def test_readyz_is_503_when_the_store_is_unreachable(
    client: httpx.AsyncClient, readiness: FakeReadiness
) -> None:
    readiness.report = ReadinessReport(store_reachable=False, detail="connection refused")

    response = await client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["detail"] == "connection refused"


async def test_readyz_is_503_when_a_projection_is_stopped(
    client: httpx.AsyncClient, readiness: FakeReadiness
) -> None:
    readiness.report = ReadinessReport(
        store_reachable=True,
        projections=(ProjectionReadiness("brand_feedback", False, 10, 10, 0),),
    )

    response = await client.get("/readyz")

    assert response.status_code == 503


async def test_readyz_is_503_when_a_projection_lags_beyond_the_limit(
    client: httpx.AsyncClient, readiness: FakeReadiness
) -> None:
    readiness.report = ReadinessReport(
        store_reachable=True,
        projections=(ProjectionReadiness("brand_feedback", True, 2, 2_000_000_000_000, 101),),
    )

    response = await client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["projections"][0]["headPosition"] == "2000000000000"


async def test_readyz_is_503_when_the_check_fails(
    client: httpx.AsyncClient, readiness: FakeReadiness
) -> None:
    readiness.failure = OSError("disk on fire")

    response = await client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["detail"] == "readiness check failed"
    assert "disk" not in response.text


async def test_readyz_is_503_when_the_check_hangs(
    client: httpx.AsyncClient, readiness: FakeReadiness
) -> None:
    readiness.delay_seconds = 5

    response = await client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["detail"] == "readiness check timed out"

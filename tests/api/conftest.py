"""Fixtures for the API tests: the toy ASGI app, an HTTP client on it, a live server,
captured logs."""

from __future__ import annotations

import io
import logging
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from graphql_api.http.app import create_app
from graphql_api.http.json_logging import configure_logging
from graphql_api.http.metrics import Metrics
from tests.api.support import SECRET, FakeReadiness, JsonLog, build_schema


@pytest.fixture
def readiness() -> FakeReadiness:
    return FakeReadiness()


@pytest.fixture
def metrics() -> Metrics:
    return Metrics(max_operation_labels=5)


@pytest.fixture
def asgi_app(readiness: FakeReadiness, metrics: Metrics) -> Starlette:
    return create_app(
        build_schema(),
        secret=SECRET,
        readiness=readiness,
        lag_callback=lambda: {"creator_reputation": 2, "brand_feedback": 0},
        metrics=metrics,
        max_projection_lag=100,
        readiness_timeout_seconds=0.2,
    )


@pytest.fixture
async def client(asgi_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=asgi_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ledger.test") as client:
        yield client


@pytest.fixture
def json_log() -> Iterator[JsonLog]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    try:
        yield JsonLog(stream)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


@pytest.fixture
def live_server(asgi_app: Starlette) -> Iterator[str]:
    """The ASGI app served by a real uvicorn on a free local port, for websocket tests."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(asgi_app, log_config=None, lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()

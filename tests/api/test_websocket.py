"""Subscriptions over graphql-transport-ws against a real uvicorn server."""

from __future__ import annotations

import json
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from tests.api.support import bearer

PROTOCOL = Subprotocol("graphql-transport-ws")


async def _send(ws: ClientConnection, message: dict[str, Any]) -> None:
    await ws.send(json.dumps(message))


async def _receive(ws: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await ws.recv())
    return message


async def _subscribe(ws: ClientConnection, query: str) -> list[dict[str, Any]]:
    """Subscribe as operation "1" and collect every message until ``complete``."""
    await _send(ws, {"id": "1", "type": "subscribe", "payload": {"query": query}})
    messages = []
    while True:
        message = await _receive(ws)
        messages.append(message)
        if message["type"] in ("complete", "error"):
            return messages


async def test_subscription_streams_three_events_to_an_authenticated_client(
    live_server: str,
) -> None:
    async with connect(f"ws://{live_server}/graphql", subprotocols=[PROTOCOL]) as ws:
        await _send(ws, {"type": "connection_init", "payload": bearer("creator", "c-1")})
        assert await _receive(ws) == {"type": "connection_ack"}

        messages = await _subscribe(ws, "subscription { ticks }")

    assert messages == [
        {"id": "1", "type": "next", "payload": {"data": {"ticks": f"creator:c-1:{tick}"}}}
        for tick in range(3)
    ] + [{"id": "1", "type": "complete"}]


async def test_handshake_header_authenticates_when_the_payload_has_no_token(
    live_server: str,
) -> None:
    async with connect(
        f"ws://{live_server}/graphql",
        subprotocols=[PROTOCOL],
        additional_headers=bearer("brand", "b-9"),
    ) as ws:
        await _send(ws, {"type": "connection_init"})
        assert await _receive(ws) == {"type": "connection_ack"}

        messages = await _subscribe(ws, "subscription { ticks }")

    assert messages[0]["payload"] == {"data": {"ticks": "brand:b-9:0"}}


async def test_anonymous_client_subscribes_as_nobody(live_server: str) -> None:
    async with connect(f"ws://{live_server}/graphql", subprotocols=[PROTOCOL]) as ws:
        await _send(ws, {"type": "connection_init", "payload": {}})
        assert await _receive(ws) == {"type": "connection_ack"}

        messages = await _subscribe(ws, "subscription { ticks }")

    assert messages[0]["payload"] == {"data": {"ticks": "None:0"}}


async def test_bad_token_at_connection_init_closes_with_4403(live_server: str) -> None:
    async with connect(f"ws://{live_server}/graphql", subprotocols=[PROTOCOL]) as ws:
        await _send(
            ws, {"type": "connection_init", "payload": {"Authorization": "Bearer forged.token.x"}}
        )
        with pytest.raises(ConnectionClosed) as closed:
            await _receive(ws)

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403


async def test_error_inside_a_subscription_is_masked(live_server: str) -> None:
    async with connect(f"ws://{live_server}/graphql", subprotocols=[PROTOCOL]) as ws:
        await _send(ws, {"type": "connection_init"})
        await _receive(ws)

        messages = await _subscribe(ws, "subscription { faulty }")

    assert messages[0]["payload"] == {"data": {"faulty": 1}}
    failure = messages[1]["payload"]["errors"][0]
    assert failure["message"].startswith("Internal error (request id: ")
    assert failure["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "hunter2" not in json.dumps(messages)


async def test_invalid_subscription_gets_a_readable_error(live_server: str) -> None:
    async with connect(f"ws://{live_server}/graphql", subprotocols=[PROTOCOL]) as ws:
        await _send(ws, {"type": "connection_init"})
        await _receive(ws)

        messages = await _subscribe(ws, "subscription { nothingHere }")

    [error] = messages[-1]["payload"]
    assert messages[-1]["type"] == "error"
    assert "nothingHere" in error["message"]
    assert error["extensions"]["code"] == "VALIDATION"


async def test_websocket_handshake_carries_the_request_id(live_server: str) -> None:
    async with connect(
        f"ws://{live_server}/graphql",
        subprotocols=[PROTOCOL],
        additional_headers={"X-Request-ID": "ws-conn-1"},
    ) as ws:
        assert ws.response is not None
        assert ws.response.headers["X-Request-ID"] == "ws-conn-1"
        assert ws.subprotocol == PROTOCOL

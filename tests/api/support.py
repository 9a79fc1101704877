"""The toy schema and helpers the API tests import: the serving layer, tested without the domain."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any

import strawberry
from strawberry.types import Info

from domain.errors import InvalidTransition, NotFound
from graphql_api.http.auth import issue_token
from graphql_api.http.context import RequestContext
from graphql_api.http.health import ProjectionReadiness, ReadinessReport
from graphql_api.http.limits import Limits, schema_extensions

SECRET = "test-signing-key-" + "k" * 48


@strawberry.type
class Node:
    level: int

    @strawberry.field
    def child(self) -> Node:
        return Node(level=self.level + 1)


@strawberry.type
class Query:
    @strawberry.field
    def whoami(self, info: Info[RequestContext, None]) -> str | None:
        viewer = info.context.viewer
        return None if viewer.actor is None else str(viewer.actor)

    @strawberry.field
    def correlation_id(self, info: Info[RequestContext, None]) -> str:
        return info.context.command_context().correlation_id

    @strawberry.field
    def campaign_state(self, campaign_id: str) -> str:
        raise InvalidTransition("approve a draft", "PITCHED", ["accept pitch", "decline pitch"])

    @strawberry.field
    def creator_name(self, creator_id: str) -> str | None:
        raise NotFound("creator", creator_id, field="creatorId")

    @strawberry.field
    def broken(self) -> str | None:
        raise RuntimeError("SELECT password FROM accounts failed on db-7.internal")

    @strawberry.field
    def node(self) -> Node:
        return Node(level=1)


@strawberry.type
class Mutation:
    @strawberry.mutation
    def ping(self) -> str:
        return "pong"


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def ticks(self, info: Info[RequestContext, None]) -> AsyncGenerator[str, None]:
        for tick in range(3):
            yield f"{info.context.viewer.actor}:{tick}"
            await asyncio.sleep(0)

    @strawberry.subscription
    async def faulty(self) -> AsyncGenerator[int, None]:
        yield 1
        raise RuntimeError("connection to postgres://ledger:hunter2@db failed")


def build_schema(limits: Limits | None = None) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=schema_extensions(limits),
    )


@dataclass
class FakeReadiness:
    """A readiness check whose answer each test sets."""

    report: ReadinessReport = field(
        default_factory=lambda: ReadinessReport(
            store_reachable=True,
            projections=(
                ProjectionReadiness(
                    "creator_reputation", running=True, position=40, head_position=42, lag=2
                ),
            ),
        )
    )
    failure: Exception | None = None
    delay_seconds: float = 0.0

    async def __call__(self) -> ReadinessReport:
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        if self.failure is not None:
            raise self.failure
        return self.report


def bearer(role: str, sub: str, secret: str = SECRET) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(secret, role, sub, 600)}"}


class JsonLog:
    """The JSON lines logged during a test."""

    def __init__(self, stream: io.StringIO) -> None:
        self._stream = stream

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self._stream.getvalue().splitlines()]

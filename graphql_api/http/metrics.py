"""Prometheus metrics for the API: traffic per GraphQL operation, events written, projection lag.

Each app owns its :class:`Metrics` (its own ``CollectorRegistry``), so tests
and several apps in one process never collide on metric names. Operation
names come from clients, so they are admitted as label values only up to a
fixed number; the rest are counted as ``other`` and nameless ones as
``anonymous``, which keeps the series count bounded whatever clients send.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass

from graphql import GraphQLError
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from graphql_api.http.errors import is_masked, should_mask_error

LagCallback = Callable[[], Mapping[str, int]]

ANONYMOUS = "anonymous"
OTHER = "other"
_OPERATION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

logger = logging.getLogger(__name__)


class Metrics:
    """The API's metrics and the registry ``GET /metrics`` renders."""

    def __init__(self, *, max_operation_labels: int = 100) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "ledger_graphql_requests",
            "GraphQL HTTP requests by operation name and outcome (ok, error, internal, rejected).",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "ledger_graphql_request_duration_seconds",
            "GraphQL HTTP request latency by operation name and outcome.",
            ["operation", "outcome"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.events_written = Counter(
            "ledger_events_written",
            "Domain events appended to the event store by this process.",
            registry=self.registry,
        )
        self.websocket_connections = Gauge(
            "ledger_websocket_connections",
            "Open GraphQL websocket connections.",
            registry=self.registry,
        )
        self.response_cache_lookups = Counter(
            "ledger_response_cache_lookups",
            "GraphQL queries by how the response cache answered: hit (stored bytes served),"
            " miss (executed and stored) or uncacheable (executed, not storable).",
            ["result"],
            registry=self.registry,
        )
        self.persisted_queries = Counter(
            "ledger_persisted_queries",
            "Automatic persisted query lookups: hit, miss (hash unknown), registered, mismatch.",
            ["result"],
            registry=self.registry,
        )
        for result in ("hit", "miss", "uncacheable"):
            self.response_cache_lookups.labels(result)
        for result in ("hit", "miss", "registered", "mismatch"):
            self.persisted_queries.labels(result)
        self._lag = _ProjectionLagCollector()
        self.registry.register(self._lag)
        self._max_operation_labels = max_operation_labels
        self._operation_labels: set[str] = set()

    def watch_projection_lag(self, callback: LagCallback) -> None:
        """Report ``callback()`` (projection name → events behind) as ``ledger_projection_lag``.

        Called at scrape time in a worker thread, so it may query the store.
        """
        self._lag.callback = callback

    def record_events_written(self, count: int) -> None:
        if count > 0:
            self.events_written.inc(count)

    def observe_request(self, operation: str | None, outcome: str, seconds: float) -> None:
        label = self.operation_label(operation)
        self.requests.labels(label, outcome).inc()
        self.latency.labels(label, outcome).observe(seconds)

    def operation_label(self, operation: str | None) -> str:
        if not operation or not _OPERATION_NAME.fullmatch(operation):
            return ANONYMOUS
        if operation in self._operation_labels:
            return operation
        if len(self._operation_labels) >= self._max_operation_labels:
            return OTHER
        self._operation_labels.add(operation)
        return operation

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _ProjectionLagCollector(Collector):
    def __init__(self) -> None:
        self.callback: LagCallback | None = None

    def describe(self) -> Iterable[Metric]:
        # Declared so registering does not call collect() (and the callback) early.
        return [self._family()]

    def collect(self) -> Iterable[Metric]:
        family = self._family()
        if self.callback is not None:
            try:
                lags = self.callback()
            except Exception:
                logger.exception("could not read projection lag for /metrics")
                lags = {}
            for name, lag in sorted(lags.items()):
                family.add_metric([name], lag)
        return [family]

    @staticmethod
    def _family() -> GaugeMetricFamily:
        return GaugeMetricFamily(
            "ledger_projection_lag",
            "Events in the store that a projection has not processed yet.",
            labels=["projection"],
        )


@dataclass
class _Observation:
    operation: str | None = None
    outcome: str | None = None


_observation: ContextVar[_Observation | None] = ContextVar("ledger_observation", default=None)


class OperationObserver(SchemaExtension):
    """Tells the metrics middleware which operation a request ran and how it went."""

    def on_operation(self) -> Iterator[None]:
        yield
        observation = _observation.get()
        if observation is None:
            return
        context = self.execution_context
        observation.operation = context.operation_name
        observation.outcome = _outcome(getattr(context.result, "errors", None) or [])


def observe_served(operation: str | None) -> None:
    """Tell the metrics middleware that a stored response answered ``operation``:
    traffic like any other, though no extension ran."""
    observation = _observation.get()
    if observation is not None:
        observation.operation = operation
        observation.outcome = "ok"


def _outcome(errors: list[GraphQLError]) -> str:
    if not errors:
        return "ok"
    if any(is_masked(e) or should_mask_error(e) for e in errors):
        return "internal"
    return "error"


class MetricsMiddleware:
    """Times GraphQL HTTP requests and counts open websockets on ``path``."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, path: str = "/graphql") -> None:
        self.app = app
        self.metrics = metrics
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"] == self.path:
            self.metrics.websocket_connections.inc()
            try:
                await self.app(scope, receive, send)
            finally:
                self.metrics.websocket_connections.dec()
            return
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        observation = _Observation()
        token = _observation.set(observation)
        status = 500
        started = time.perf_counter()

        async def send_and_observe(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_observe)
        finally:
            _observation.reset(token)
            outcome = observation.outcome or ("internal" if status >= 500 else "rejected")
            # A 2xx without an operation is the GraphiQL page, not API traffic.
            if observation.outcome is not None or status >= 400:
                self.metrics.observe_request(
                    observation.operation, outcome, time.perf_counter() - started
                )


def metrics_endpoint(metrics: Metrics) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(_: Request) -> Response:
        # Off the event loop: the lag callback may query the store.
        body = await run_in_threadpool(metrics.render)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return endpoint

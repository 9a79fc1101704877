"""The ASGI application: the GraphQL endpoint plus health, readiness and metrics.

Middleware order matters and is fixed here: the request id is assigned first
(so every log line, error and response carries it), then the request is
timed, then abuse limits refuse what they must before GraphQL sees the body.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Route, WebSocketRoute
from starlette.types import Lifespan
from strawberry import Schema

from graphql_api.http.auth import check_secret
from graphql_api.http.context import ContextGetter, default_context_getter
from graphql_api.http.graphiql import assets_mount
from graphql_api.http.health import ReadinessCheck, ReadinessProbe, healthz
from graphql_api.http.limits import Limits, RequestLimitsMiddleware
from graphql_api.http.metrics import LagCallback, Metrics, MetricsMiddleware, metrics_endpoint
from graphql_api.http.persisted_queries import PersistedQueries
from graphql_api.http.request_id import HEADER, RequestIdMiddleware
from graphql_api.http.response_cache import ResponseCache
from graphql_api.http.view import LedgerGraphQL

GRAPHQL_PATH = "/graphql"
_PROBE_PATHS = ("/healthz", "/readyz", "/metrics")


def create_app(
    schema: Schema,
    *,
    secret: str,
    readiness: ReadinessCheck,
    context_getter: ContextGetter = default_context_getter,
    lag_callback: LagCallback | None = None,
    metrics: Metrics | None = None,
    limits: Limits | None = None,
    allowed_origins: Sequence[str] = (),
    max_projection_lag: int | None = None,
    readiness_timeout_seconds: float = 2.0,
    lifespan: Lifespan[Starlette] | None = None,
    response_cache: ResponseCache | None = None,
) -> Starlette:
    """The API app for ``schema`` (build it with ``extensions=schema_extensions()``).

    ``allowed_origins`` are the browser origins (portals) allowed to call the
    API cross-site, over HTTP (CORS) and websockets alike. Without a
    ``response_cache`` every query executes and nothing is marked cacheable.
    """
    check_secret(secret)
    limits = limits or Limits()
    metrics = metrics or Metrics()
    if lag_callback is not None:
        metrics.watch_projection_lag(lag_callback)
    graphql = LedgerGraphQL(
        schema,
        secret=secret,
        context_getter=context_getter,
        allowed_origins=allowed_origins,
        response_cache=response_cache,
        persisted_queries=PersistedQueries(metrics),
    )
    probe = ReadinessProbe(readiness, readiness_timeout_seconds, max_projection_lag)
    routes = [
        Route(GRAPHQL_PATH, graphql, name="graphql"),
        WebSocketRoute(GRAPHQL_PATH, graphql, name="graphql-ws"),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", probe.endpoint, methods=["GET"]),
        Route("/metrics", metrics_endpoint(metrics), methods=["GET"]),
        assets_mount(),
    ]
    middleware = [
        Middleware(RequestIdMiddleware, quiet_paths=_PROBE_PATHS),
        Middleware(MetricsMiddleware, metrics=metrics, path=GRAPHQL_PATH),
        Middleware(RequestLimitsMiddleware, limits=limits, path=GRAPHQL_PATH),
    ]
    if allowed_origins:
        middleware.insert(
            1,
            Middleware(
                CORSMiddleware,
                allow_origins=list(allowed_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type", "If-None-Match", HEADER],
                expose_headers=[HEADER, "ETag"],
                max_age=600,
            ),
        )
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.metrics = metrics
    return app

"""The ASGI application uvicorn serves:
``uvicorn --factory graphql_api.http.server:create_server_app``.

Each worker process builds its own services from the environment. On the
embedded default (SQLite) the projections run in a background thread of this
process, woken by its own saves; on PostgreSQL the server only listens for the
progress of ``campaign-ledger project`` workers, unless
``LEDGER_EMBEDDED_PROJECTIONS=1`` asks it to project too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from starlette.applications import Starlette

from domain.infrastructure.settings import Settings
from graphql_api.http.app import create_app
from graphql_api.http.context import RequestContext
from graphql_api.http.health import ReadinessReport
from graphql_api.http.json_logging import configure_logging
from graphql_api.http.signing_key import resolve_jwt_secret
from graphql_api.ledger_context import LedgerContext, Services
from graphql_api.schema import build_schema
from graphql_api.services import (
    open_services,
    projection_lag,
    readiness_report,
    response_cache_of,
    runs_projections_in_process,
)


def create_server_app() -> Starlette:
    configure_logging()
    settings = Settings.from_env()
    return build_app(
        settings, open_services(settings), embedded=runs_projections_in_process(settings)
    )


def build_app(settings: Settings, services: Services, *, embedded: bool) -> Starlette:
    """The API over given services; the app's lifespan starts and stops the read side."""

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if embedded:
            services.read_side.start_embedded()
        # On PostgreSQL other processes may move the read models too: listening keeps
        # this process's positions, and so its response cache, current.
        services.read_side.start_listening()
        try:
            yield
        finally:
            await to_thread.run_sync(services.read_side.close)
            await to_thread.run_sync(services.ledger.close)

    async def context_getter(base: RequestContext) -> RequestContext:
        return LedgerContext(**base.base_fields(), services=services)

    async def readiness() -> ReadinessReport:
        return await to_thread.run_sync(readiness_report, services)

    return create_app(
        build_schema(),
        secret=resolve_jwt_secret(settings),
        readiness=readiness,
        context_getter=context_getter,
        lag_callback=lambda: projection_lag(services),
        metrics=services.metrics,
        lifespan=lifespan,
        response_cache=response_cache_of(settings, services),
    )

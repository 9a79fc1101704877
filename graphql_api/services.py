"""Building the process-wide services from settings: the event store (the
``Ledger``), the read side with every projection, and the metrics."""

from __future__ import annotations

import os

from domain.application import Ledger
from domain.infrastructure.settings import Settings
from graphql_api.http.health import ProjectionReadiness, ReadinessReport
from graphql_api.http.metrics import Metrics
from graphql_api.http.response_cache import ResponseCache
from graphql_api.ledger_context import Services
from projections.catalog import all_projections
from projections.machinery.runtime import ReadSide

READ_THREADS = 40
"""anyio's default limit of worker threads, which every read runs on. SQLite keeps
one idle connection per such thread: a new connection costs a schema load on its
first query, which under concurrent reads was most of a cached read's time."""
POSTGRES_READ_CONNECTIONS = 10
"""Connections each API process may hold on PostgreSQL; reads beyond wait for one."""


def open_services(settings: Settings, *, metrics: Metrics | None = None) -> Services:
    ledger = Ledger(settings)
    try:
        pool_size = READ_THREADS if settings.backend == "sqlite" else POSTGRES_READ_CONNECTIONS
        read_side = ReadSide(settings, ledger, all_projections(), pool_size=pool_size)
    except BaseException:
        ledger.close()
        raise
    return Services(ledger=ledger, read_side=read_side, metrics=metrics or Metrics())


def response_cache_of(settings: Settings, services: Services) -> ResponseCache | None:
    """The API's response cache over this process's view of the read models, unless
    ``LEDGER_RESPONSE_CACHE=0`` turned it off."""
    if not settings.response_cache:
        return None
    ledger = services.ledger
    return ResponseCache(
        services.read_side.hub, today=lambda: ledger.clock().date(), metrics=services.metrics
    )


def runs_projections_in_process(settings: Settings) -> bool:
    """Embedded (SQLite) always; on PostgreSQL only when asked, since production
    runs ``campaign-ledger project`` workers instead."""
    flag = os.environ.get("LEDGER_EMBEDDED_PROJECTIONS", "").lower()
    return settings.backend == "sqlite" or flag in {"1", "true", "yes"}


def readiness_report(services: Services) -> ReadinessReport:
    """Store reachable, projections running, and their lag — blocking; run in a thread."""
    try:
        statuses = services.read_side.status()
    except Exception as error:
        return ReadinessReport(store_reachable=False, detail=type(error).__name__)
    active = [s for s in statuses if s.active]
    return ReadinessReport(
        store_reachable=True,
        projections=tuple(
            ProjectionReadiness(
                name=s.name,
                running=s.processing is not False and s.last_error is None,
                position=s.position,
                head_position=s.head_position,
                lag=s.lag,
            )
            for s in active
        ),
    )


def projection_lag(services: Services) -> dict[str, int]:
    return {s.name: s.lag for s in services.read_side.status() if s.active}

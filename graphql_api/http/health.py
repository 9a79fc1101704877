"""Liveness and readiness probes.

``/healthz`` answers as long as the process serves HTTP, so an orchestrator
restarts only a wedged process. ``/readyz`` asks the application whether it
can do useful work (store reachable, projections running and, optionally,
close enough to the head) and answers 503 otherwise, so a load balancer stops
routing to it without killing it. The check is bounded in time: a hanging
database must make the probe fail, not hang.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProjectionReadiness:
    """One projection as the readiness probe reports it (positions are store positions)."""

    name: str
    running: bool
    position: int | None
    head_position: int | None
    lag: int

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "running": self.running,
            # Strings, as in the GraphQL API: store positions are 64-bit.
            "position": None if self.position is None else str(self.position),
            "headPosition": None if self.head_position is None else str(self.head_position),
            "lag": self.lag,
        }


@dataclass(frozen=True)
class ReadinessReport:
    store_reachable: bool
    projections: tuple[ProjectionReadiness, ...] = ()
    detail: str | None = None

    def is_ready(self, max_projection_lag: int | None = None) -> bool:
        return (
            self.store_reachable
            and all(p.running for p in self.projections)
            and (
                max_projection_lag is None
                or all(p.lag <= max_projection_lag for p in self.projections)
            )
        )

    def to_json(self, max_projection_lag: int | None = None) -> dict[str, object]:
        return {
            "status": "ready" if self.is_ready(max_projection_lag) else "unavailable",
            "store": {"reachable": self.store_reachable},
            "projections": [p.to_json() for p in self.projections],
            "maxProjectionLag": max_projection_lag,
            "detail": self.detail,
        }


ReadinessCheck = Callable[[], Awaitable[ReadinessReport]]


@dataclass(frozen=True)
class ReadinessProbe:
    """Runs the application's readiness check within a time limit and serves the answer."""

    check: ReadinessCheck
    timeout_seconds: float = 2.0
    max_projection_lag: int | None = None

    async def report(self) -> ReadinessReport:
        try:
            with anyio.fail_after(self.timeout_seconds):
                return await self.check()
        except TimeoutError:
            logger.warning("readiness check timed out", extra={"timeout_s": self.timeout_seconds})
            return ReadinessReport(store_reachable=False, detail="readiness check timed out")
        except Exception:
            logger.exception("readiness check failed")
            return ReadinessReport(store_reachable=False, detail="readiness check failed")

    async def endpoint(self, _: Request) -> JSONResponse:
        report = await self.report()
        ready = report.is_ready(self.max_projection_lag)
        return JSONResponse(
            report.to_json(self.max_projection_lag),
            status_code=200 if ready else 503,
            headers={"Cache-Control": "no-store"},
        )


async def healthz(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})

"""A load figure repeated: the median of each repeat's rate, p50 and p99, so one
noisy repeat on a shared machine does not make the figure."""

from __future__ import annotations

import statistics
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from graphql_api.cli.bench.client import LoadResult


@dataclass(frozen=True)
class Figure:
    rate: float
    p50: float
    p99: float
    requests: int
    errors: int
    repeats: int

    @classmethod
    def of(cls, results: list[LoadResult]) -> Figure:
        if not results:
            raise ValueError("a figure needs at least one measured repeat")
        return cls(
            rate=statistics.median(r.rate for r in results),
            p50=statistics.median(r.percentile(0.5) for r in results),
            p99=statistics.median(r.percentile(0.99) for r in results),
            requests=sum(r.requests for r in results),
            errors=sum(r.errors for r in results),
            repeats=len(results),
        )

    def latency(self) -> str:
        return f"p50 {self.p50:.1f} ms, p99 {self.p99:.1f} ms"

    def text(self, unit: str = "req/s") -> str:
        errors = f", {self.errors} errors" if self.errors else ""
        return f"{self.rate:,.0f} {unit} ({self.latency()}{errors})"

    def data(self) -> dict[str, Any]:
        return {
            "rate": round(self.rate, 2),
            "p50_ms": round(self.p50, 3),
            "p99_ms": round(self.p99, 3),
            "requests": self.requests,
            "errors": self.errors,
            "repeats": self.repeats,
        }


async def repeated(repeats: int, measure: Callable[[], Awaitable[LoadResult]]) -> Figure:
    """``measure`` run ``repeats`` times, one after the other."""
    return Figure.of([await measure() for _ in range(max(1, repeats))])

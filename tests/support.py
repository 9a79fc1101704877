"""Helpers tests import, as opposed to fixtures they request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

postgres_only = pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)]
)
"""For a test about PostgreSQL alone: runs it with ``backend`` = postgres only."""

CLOCK_START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FakeClock:
    """A clock that moves only when a test says so, so recorded times are exact.

    It is a ``domain.context.Clock``: calling it returns the current time.
    """

    def __init__(self, start: datetime = CLOCK_START) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start")
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move forward by ``timedelta(**delta)`` and return the new time."""
        self.now += timedelta(**delta)
        return self.now

    def __repr__(self) -> str:
        return f"FakeClock({self.now.isoformat()})"

"""Helpers tests import, as opposed to fixtures they request."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
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


def postgres_required() -> bool:
    """Whether PostgreSQL tests must fail rather than skip without a server
    (``LEDGER_REQUIRE_POSTGRES`` set, as in CI)."""
    return os.environ.get("LEDGER_REQUIRE_POSTGRES", "").lower() not in {"", "0", "false", "no"}


def skip_or_fail(reason: str) -> None:
    """Skips the test for want of PostgreSQL (or what it needs), or fails it when
    :func:`postgres_required`."""
    if postgres_required():
        pytest.fail(f"{reason}\nLEDGER_REQUIRE_POSTGRES is set, so this fails.", pytrace=False)
    pytest.skip(reason)


def eventually(
    predicate: Callable[[], bool],
    what: str,
    *,
    timeout: float = 60.0,
    interval: float = 0.05,
    alive: Callable[[], bool] | subprocess.Popen[bytes] | None = None,
) -> None:
    """Bounded wait on another process's observable state (cross-process tests only):
    fails once ``timeout`` passes, or at once if the process ``alive`` names exits."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if isinstance(alive, subprocess.Popen):
            if alive.poll() is not None:
                raise AssertionError(f"process exited ({alive.returncode}) before {what}")
        elif alive is not None and not alive():
            raise AssertionError(f"a process exited before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)

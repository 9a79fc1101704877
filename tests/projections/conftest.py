"""Fixtures for the projection tests.

``settings`` (every backend) and ``clock`` come from tests/conftest.py; here
are the test application, a factory of ReadSides closed after each test, and
``open_driver``: the in-process scenario driver with the read models a test
module reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest

from domain.infrastructure.settings import Settings
from projections.machinery.base import Projection
from projections.machinery.runtime import ReadSide
from tests.ledger_driver import LedgerDriver
from tests.projections.projection_testkit import CountingProjection, LedgerTestApp, make_app
from tests.support import FakeClock


@pytest.fixture
def event_app(settings: Settings) -> Iterator[LedgerTestApp]:
    application = make_app(settings)
    yield application
    application.close()


@pytest.fixture
def open_read_side(
    settings: Settings, event_app: LedgerTestApp, clock: FakeClock
) -> Iterator[Callable[..., ReadSide]]:
    """Build ReadSides on the test's settings; all are closed after the test."""
    opened: list[ReadSide] = []

    def build(*projections: Projection, batch_size: int = 500) -> ReadSide:
        read_side = ReadSide(
            settings,
            event_app,
            projections or (CountingProjection(),),
            batch_size=batch_size,
            clock=clock,
        )
        opened.append(read_side)
        return read_side

    yield build
    for read_side in reversed(opened):
        read_side.close()


@pytest.fixture
def open_driver(settings: Settings, clock: FakeClock) -> Iterator[Callable[..., LedgerDriver]]:
    """Opens a :class:`~tests.ledger_driver.LedgerDriver` with the given projections;
    every one opened is closed after the test."""
    with ExitStack() as stack:
        yield lambda *projections: stack.enter_context(
            LedgerDriver.open(settings, clock, *projections)
        )

"""Fixtures of the domain scenarios: a ``Ledger`` on each backend's empty store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from domain.application import Ledger
from domain.infrastructure.settings import Settings
from tests.support import FakeClock


@pytest.fixture
def ledger(settings: Settings, clock: FakeClock) -> Iterator[Ledger]:
    """The application service on an empty store, timed by the fake clock."""
    ledger = Ledger(settings, clock=clock)
    yield ledger
    ledger.close()

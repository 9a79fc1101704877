"""Fixtures of the reliability suite: real server and worker processes, a private
PostgreSQL cluster, and the collector of the figures every test reports.

``settings`` (tests/conftest.py) gives each test an empty store on SQLite and on
PostgreSQL; here it is handed to real processes through the environment.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.infrastructure.settings import Settings
from tests.reliability.figures import Figures
from tests.reliability.private_postgres import PrivateCluster, find_bin_dir
from tests.reliability.processes import LedgerServer, Processes, ledger_env
from tests.support import skip_or_fail

_FIGURES = pytest.StashKey[Figures]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_FIGURES] = Figures()


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    figures = config.stash.get(_FIGURES, None)
    if figures is None or not figures.records:
        return
    default = Path(tempfile.gettempdir()) / "ledger-reliability-figures.json"
    path = Path(os.environ.get("LEDGER_RELIABILITY_REPORT") or default)
    figures.write(path)
    terminalreporter.section("reliability figures")
    for line in figures.lines():
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"(written to {path})")


@pytest.fixture(scope="session")
def figures(request: pytest.FixtureRequest) -> Figures:
    return request.config.stash[_FIGURES]


@pytest.fixture
def env(settings: Settings) -> dict[str, str]:
    """The environment that points a ledger process at this test's empty store."""
    return ledger_env(settings.data_dir, settings.database_url)


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    started = Processes(tmp_path)
    try:
        yield started
    finally:
        started.close()


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LedgerServer]:
    """One embedded server for a whole module of tests that only talk to it over HTTP."""
    root = tmp_path_factory.mktemp("server")
    started = Processes(root)
    try:
        yield started.server(ledger_env(root / "var"))
    finally:
        started.close()


@pytest.fixture
def private_postgres() -> Iterator[PrivateCluster]:
    """A running PostgreSQL cluster that only this test uses (and may stop and start)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        reason = "no PostgreSQL server binaries (initdb, pg_ctl) installed"
        skip_or_fail(reason)
    cluster = PrivateCluster(bin_dir)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.remove()

"""The product as a person meets it: ``campaign-ledger serve`` started in its own
process on an empty embedded store, which it fills with the demo market on its
first start, and then used over real HTTP (and, in the browser tests, GraphiQL).

One server serves the whole session; starting it (seeding included) is the
slow part.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from domain.context import Role
from domain.infrastructure.settings import Settings
from graphql_api.http.auth import issue_token
from tests.cli.support import ROOT, SECRET, Cli

START_TIMEOUT = 180.0


@dataclass(frozen=True)
class Server:
    url: str
    cli: Cli
    log: Path

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"

    def token(self, role: str, subject: str | None = None) -> str:
        """What ``campaign-ledger token`` prints, signed in-process with the same key."""
        return issue_token(SECRET, Role(role), subject or role, 600)

    def graphql(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = httpx.post(
            self.graphql_url,
            json={"query": query, "variables": variables or {}},
            headers=headers,
            timeout=30,
        )
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``campaign-ledger serve`` on a fresh store, once every projection has caught up."""
    home = tmp_path_factory.mktemp("served")
    cli = Cli.on(Settings(data_dir=home / "var"))
    port = _free_port()
    log = home / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            cli.command("serve", "--port", str(port)),
            cwd=ROOT,
            env=cli.env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    served = Server(url=f"http://127.0.0.1:{port}", cli=cli, log=log)
    try:
        _wait_until_ready(served, process)
        yield served
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_ready(server: Server, process: subprocess.Popen[bytes]) -> None:
    """Polls /readyz until it answers 200 with every projection at the head."""
    deadline = time.monotonic() + START_TIMEOUT
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{server.log.read_text()}")
        try:
            response = httpx.get(f"{server.url}/readyz", timeout=5)
        except httpx.TransportError as error:
            last = repr(error)
        else:
            last = response.text
            report = response.json()
            if response.status_code == 200 and all(p["lag"] == 0 for p in report["projections"]):
                return
        time.sleep(0.25)
    pytest.fail(f"the server was not ready within {START_TIMEOUT:.0f} s; last answer: {last}")

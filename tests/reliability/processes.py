"""Real processes for the reliability tests: the API server as operators run it
(``campaign-ledger serve``), projection workers (``campaign-ledger project``)
and one-shot CLI commands, all on 127.0.0.1 with bounded waits."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.api.support import SECRET
from tests.support import eventually

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def ledger_command() -> list[str]:
    """The installed ``campaign-ledger`` console script beside this Python, else the module."""
    script = Path(sys.executable).with_name("campaign-ledger")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "graphql_api.cli"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def ledger_env(data_dir: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a ledger process: this test's store and signing key, quiet logs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")}
    env.update(
        LEDGER_DATA_DIR=str(data_dir),
        LEDGER_JWT_SECRET=SECRET,
        LEDGER_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(REPO),
    )
    if database_url:
        env["LEDGER_DATABASE_URL"] = database_url
    env.update(extra)
    return env


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli(env: Mapping[str, str], *args: str, timeout: float = 180.0) -> CliResult:
    """One ``campaign-ledger`` command to completion."""
    done = subprocess.run(
        [*ledger_command(), *args],
        env=dict(env),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


@dataclass
class LedgerProcess:
    """A long-running ``campaign-ledger`` subcommand, its output kept in a log file."""

    args: list[str]
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    kills: int = 0

    def spawn(self) -> None:
        log = self.log_path.open("ab")
        try:
            self.process = subprocess.Popen(
                [*ledger_command(), *self.args],
                env=self.env,
                cwd=REPO,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        finally:
            log.close()
        self.starts += 1

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when the host dies or the OOM killer strikes."""
        if self.alive():
            assert self.process is not None
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(30)
            self.kills += 1

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM and wait; SIGKILL if it does not go in time."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)
        return self.process.returncode

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@dataclass
class LedgerServer(LedgerProcess):
    """``campaign-ledger serve`` on a fixed local port, so clients reconnect after a restart."""

    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        self.args = ["serve", "--no-demo", "--host", HOST, "--port", str(self.port)]
        self.spawn()
        try:
            eventually(
                self._healthy, "the server to answer /healthz", timeout=timeout, alive=self.alive
            )
        except AssertionError as error:
            raise AssertionError(f"{error}\n--- server log ---\n{self.log()[-4000:]}") from None

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    def readiness(self) -> dict[str, object] | None:
        try:
            body: dict[str, object] = httpx.get(f"{self.url}/readyz", timeout=5.0).json()
        except (httpx.HTTPError, ValueError):
            return None
        return body

    def caught_up(self) -> bool:
        """Ready, with every projection at the head of the store."""
        report = self.readiness()
        if report is None or report.get("status") != "ready":
            return False
        projections = report.get("projections")
        assert isinstance(projections, list)
        return bool(projections) and all(p["lag"] == 0 for p in projections)


def start_server(env: dict[str, str], log_path: Path) -> LedgerServer:
    server = LedgerServer(args=[], env=env, log_path=log_path)
    server.start()
    return server


def start_worker(env: dict[str, str], log_path: Path) -> LedgerProcess:
    worker = LedgerProcess(args=["project"], env=env, log_path=log_path)
    worker.spawn()
    return worker


def have(binary: str) -> bool:
    return shutil.which(binary) is not None


class Processes:
    """Starts servers and workers for one test; whatever is still running is killed after it."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.started: list[LedgerProcess] = []

    def server(self, env: dict[str, str], name: str = "server") -> LedgerServer:
        server = start_server(env, self.log_dir / f"{name}.log")
        self.started.append(server)
        return server

    def worker(self, env: dict[str, str], name: str) -> LedgerProcess:
        worker = start_worker(env, self.log_dir / f"{name}.log")
        self.started.append(worker)
        return worker

    def close(self) -> None:
        for process in reversed(self.started):
            process.kill()

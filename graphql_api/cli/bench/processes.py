"""The processes a bench run starts — the API under uvicorn, the baselines'
server, a PostgreSQL projection worker, the probes — and only those: each is
stopped by the handle that started it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql_api.cli.bench.client import LOOPBACK
from graphql_api.cli.bench.probes import peak_rss_mb

READY_TIMEOUT = 300.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Started:
    """A child process of this run, with where its output goes."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    port: int | None = None

    def peak_rss_mb(self) -> float:
        return peak_rss_mb(self.process.pid)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 30.0) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)


def _start(
    name: str, command: list[str], env: dict[str, str], logs: Path, port: int | None
) -> Started:
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{name}.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
    return Started(name, process, log, port)


def uvicorn_command(factory: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        factory,
        "--host",
        LOOPBACK,
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]


def start_server(name: str, factory: str, env: dict[str, str], logs: Path) -> Started:
    port = free_port()
    started = _start(name, uvicorn_command(factory, port), env, logs, port)
    wait_healthy(started)
    return started


def start_worker(env: dict[str, str], logs: Path) -> Started:
    command = [sys.executable, "-c", "from graphql_api.cli import main; main()", "project"]
    return _start("projection-worker", command, env, logs, None)


def wait_healthy(started: Started) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    url = f"http://{LOOPBACK}:{started.port}/healthz"
    while time.monotonic() < deadline:
        if not started.alive():
            raise RuntimeError(f"{started.name} exited; see {started.log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{started.name} did not become healthy; see {started.log}")


def run_probe(name: str, args: dict[str, Any], env: dict[str, str], logs: Path) -> dict[str, Any]:
    """Run a probe to completion in its own process and return its JSON."""
    logs.mkdir(parents=True, exist_ok=True)
    args_file = logs / f"probe-{name}.json"
    args_file.write_text(json.dumps(args), encoding="utf-8")
    with (logs / f"probe-{name}.log").open("ab") as err:
        done = subprocess.run(
            [sys.executable, "-m", "graphql_api.cli.bench.probes", name, f"@{args_file}"],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=err,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"probe {name} failed; see {logs / f'probe-{name}.log'}")
    result: dict[str, Any] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return result

"""The embedded (SQLite) data directory fills up under a running server, and later
is read-only when the server starts.

Disk full: writes are refused with a clear, typed, retryable error while reads go
on; once there is space again the same process recovers by itself and the refused
mutation, retried with its idempotency key, is applied exactly once. Read-only:
the server refuses to start, promptly, naming the directory; once it is writable
again it starts and nothing was lost. Afterwards both SQLite files pass
``PRAGMA integrity_check`` and ``campaign-ledger verify`` passes.

The data directory is a small tmpfs mounted for the test (so the disk really is
full), resized and remounted read-only and back; it is always unmounted. (A
mounted file system cannot turn read-only under a process that has files open
for writing — the kernel refuses — so read-only is met at start-up.)
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.graphql_driver import (
    CAMPAIGN,
    Reply,
    call,
    creator_token,
    leaks,
    mutation,
    register_brand,
    register_creator,
    terms,
)
from tests.reliability.figures import Figures
from tests.reliability.load import Op, new_run
from tests.reliability.processes import LedgerProcess, Processes, ledger_env, run_cli
from tests.reliability.store_audit import audit, export_events
from tests.support import eventually

SMALL = "3m"
ROOMY = "64m"
MAX_WRITES_TO_FILL = 4_000
MESSAGE = "x" * 4_000


class Tmpfs:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _mount(self, *options: str) -> None:
        subprocess.run(["mount", *options], check=True, capture_output=True, timeout=30)

    def mount(self, size: str) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        self._mount("-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(self.path))

    def remount(self, option: str) -> None:
        self._mount("-o", f"remount,{option}", str(self.path))

    def unmount(self) -> None:
        subprocess.run(
            ["umount", "-l", str(self.path)], check=False, capture_output=True, timeout=30
        )


@pytest.fixture
def small_disk(tmp_path: Path, processes: Processes) -> Iterator[Tmpfs]:
    """A 3 MiB tmpfs; ``processes`` first, so servers are gone before it is unmounted."""
    disk = Tmpfs(tmp_path / "small-disk")
    try:
        disk.mount(SMALL)
    except (subprocess.CalledProcessError, FileNotFoundError, PermissionError) as error:
        pytest.skip(f"cannot mount a tmpfs here ({error}); the disk-full test needs one")
    try:
        yield disk
    finally:
        processes.close()
        disk.unmount()


@dataclass
class Writer:
    """One brand portal pitching to creators, each pitch under its own idempotency key."""

    http: httpx.AsyncClient
    brand_id: str
    creator_ids: list[str]
    run: str
    ops: list[Op] = field(default_factory=list)
    refusals: list[Reply] = field(default_factory=list)

    def op(self) -> Op:
        number = len(self.ops)
        key = f"{self.run}-disk-{number}"
        target = self.creator_ids[number % len(self.creator_ids)]
        op = Op(
            0,
            number,
            "pitchCampaign",
            {
                "brandId": self.brand_id,
                "creatorId": target,
                "message": f"{key} {MESSAGE}",
                "terms": terms(),
                "idempotencyKey": key,
            },
            ("brand", self.brand_id),
        )
        self.ops.append(op)
        return op

    async def send(self, op: Op) -> Reply:
        op.attempts += 1
        reply = await call(
            self.http,
            mutation("pitchCampaign", CAMPAIGN),
            {"input": op.input},
            who=op.who,
            request_id=f"{op.key}-a{op.attempts}",
        )
        op.replies.append(reply)
        outcome = reply.outcome()
        if outcome == "OK":
            op.outcome = "OK"
            op.aggregate_id = reply.result()["campaign"]["id"]
            op.version = reply.result()["version"]
        else:
            self.refusals.append(reply)
        return reply

    async def until_refused(self, limit: int) -> Op:
        for _ in range(limit):
            op = self.op()
            if (await self.send(op)).outcome() != "OK":
                return op
        raise AssertionError(f"{limit} writes and the disk never filled up")


async def _read_works(http: httpx.AsyncClient, creator_id: str) -> bool:
    reply = await call(
        http,
        "query($id: ID!) { creator(id: $id) { id handle } }",
        {"id": creator_id},
        who=creator_token(creator_id),
    )
    return reply.status == 200 and reply.body.get("data", {}).get("creator") is not None


def _integrity(path: Path) -> str:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        result = str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    connection.close()
    return result


@pytest.mark.slow
async def test_a_full_or_read_only_data_dir_refuses_writes_clearly_and_recovers(
    small_disk: Tmpfs, processes: Processes, figures: Figures
) -> None:
    env = ledger_env(small_disk.path)
    server = processes.server(env)
    run = new_run()
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        brand_id = await register_brand(http, f"Brand {run}")
        creator_ids = [await register_creator(http, f"d{run}.{i}") for i in range(4)]
        writer = Writer(http, brand_id, creator_ids, run)

        refused_full = await writer.until_refused(MAX_WRITES_TO_FILL)
        full_reply = refused_full.replies[-1]
        writes_until_full = len(writer.ops)
        reads_while_full = await _read_works(http, creator_ids[0])
        small_disk.remount(f"size={ROOMY}")
        retried_full = await writer.send(refused_full)
        after_space = [await writer.send(writer.op()) for _ in range(5)]

    # A server (re)started onto a read-only data dir must fail fast and say why.
    assert server.stop() in (0, -signal.SIGTERM)
    small_disk.remount("ro")
    refused_start = LedgerProcess(server.args, env, server.log_path.with_name("read-only.log"))
    refused_start.spawn()
    assert refused_start.process is not None
    read_only_exit = refused_start.process.wait(60)
    read_only_message = refused_start.log().strip().splitlines()[-1]
    small_disk.remount("rw")
    server.start()
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        writer.http = http
        after_rw = [await writer.send(writer.op()) for _ in range(5)]

    started = time.monotonic()
    eventually(server.caught_up, "the projections to catch up once writable", timeout=120)
    caught_up_seconds = time.monotonic() - started
    verify = run_cli(env, "verify")
    found = audit([op for op in writer.ops if op.outcome == "OK"], export_events(env))
    integrity = {p.name: _integrity(p) for p in small_disk.path.glob("*.sqlite")}

    figures.record(
        "disk_faults[sqlite]",
        requests=sum(op.attempts for op in writer.ops),
        writes_until_full=writes_until_full,
        full_error=f"{full_reply.outcome()}: {full_reply.result().get('message')}",
        reads_served_while_full=reads_while_full,
        read_only_start=f"exit {read_only_exit}: {read_only_message}",
        server_kills_or_crashes=server.kills,
        projections_caught_up_seconds=round(caught_up_seconds, 1),
        integrity_check=",".join(sorted(set(integrity.values()))),
        acknowledged=found.acknowledged,
        lost=len(found.lost),
        duplicated=len(found.duplicated),
        verify_exit=verify.returncode,
    )
    assert full_reply.status == 200, full_reply.text
    assert not leaks(full_reply.text), full_reply.text
    assert full_reply.outcome() == "UNAVAILABLE", full_reply.text
    assert "disk is full" in full_reply.result()["message"]
    assert reads_while_full
    assert retried_full.outcome() == "OK"
    assert all(reply.outcome() == "OK" for reply in after_space + after_rw)
    assert read_only_exit == 1
    assert f"the data directory {small_disk.path} is not writable" in read_only_message
    assert server.alive()
    assert server.kills == 0
    assert set(integrity.values()) == {"ok"}, integrity
    assert found.clean, found
    assert verify.returncode == 0, verify.stderr

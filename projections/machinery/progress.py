"""How processes learn that projections moved, without polling.

A :class:`ProgressHub` is one process's view of projection positions, with a
condition variable that waiters block on. It is fed in-process by the engine
after each commit (embedded mode) and, on PostgreSQL, by a
:class:`PostgresProgressListener` thread that LISTENs on ``PROGRESS_CHANNEL`` —
the engine issues ``pg_notify`` inside each batch transaction, so a
notification is delivered exactly when, and only if, the batch committed.

Several schemas may share one database (and so one channel); payloads carry
their schema as ``scope`` and listeners ignore other scopes.

The hub also knows, for each projection version, since which position its
tables have stood as they are: a batch that handled none of its events moved
the position but changed nothing. It knows this exactly only for batches it
heard of one after another (each says where it started and the last event it
handled); whenever it learns a position any other way it assumes the tables
changed there. The response cache serves an answer read at position ``p``
while ``p`` lies in that unchanged range (docs/operations.md, "Response cache").
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import psycopg

logger = logging.getLogger(__name__)

PROGRESS_CHANNEL = "ledger_projection_progress"

Key = tuple[str, int]


def encode_progress(
    scope: str,
    name: str,
    version: int,
    position: int,
    start: int | None = None,
    changed: int | None = None,
) -> str:
    """A committed batch: from ``start`` to ``position``, ``changed`` the last event it
    handled (None if none); a payload without ``start`` says only where it stands."""
    message: dict[str, object] = {
        "scope": scope,
        "kind": "progress",
        "name": name,
        "version": version,
        "position": position,
    }
    if start is not None:
        message.update(start=start, changed=changed)
    return json.dumps(message)


def encode_change(scope: str, kind: str, name: str, version: int) -> str:
    """A registry switch or a reset to zero: listeners reload what they know."""
    return json.dumps({"scope": scope, "kind": kind, "name": name, "version": version})


class ProgressHub:
    """Known positions of projection versions and which version is active.

    Positions only grow here except on an explicit reset, so a stale snapshot
    read by one thread can never hide a newer position published by another.
    ``required`` are the projections this process queries: each must have an
    active version at the position. Registry entries of projections the
    process does not know (say, one retired from the code) are not waited
    for; without ``required``, every active projection is.
    """

    def __init__(self, required: Iterable[str] = ()) -> None:
        self._condition = threading.Condition()
        self._positions: dict[Key, int] = {}
        self._unchanged_since: dict[Key, int] = {}
        self._active: dict[str, int] = {}
        self._required = frozenset(required)
        self._following = False
        self._needs_listener = False

    def publish(self, name: str, version: int, position: int) -> None:
        """``name`` v``version`` stands at ``position``, changed for all the hub knows."""
        with self._condition:
            if position > self._positions.get((name, version), -1):
                self._positions[(name, version)] = position
                self._unchanged_since[(name, version)] = position
                self._condition.notify_all()

    def committed(
        self, name: str, version: int, start: int, position: int, changed: int | None
    ) -> None:
        """A batch took ``name`` v``version`` from ``start`` to ``position``; ``changed`` is
        the last event it handled, None if it handled none (an engine commit listener)."""
        key = (name, version)
        with self._condition:
            known = self._positions.get(key, -1)
            if position <= known:
                return
            if start != known or key not in self._unchanged_since:
                self._unchanged_since[key] = position
            elif changed is not None:
                self._unchanged_since[key] = changed
            self._positions[key] = position
            self._condition.notify_all()

    def observe(self, positions: Mapping[Key, int], active: Mapping[str, int]) -> None:
        """Merge a snapshot read from the tracking and registry tables."""
        with self._condition:
            for key, position in positions.items():
                if position > self._positions.get(key, -1):
                    self._positions[key] = position
                    self._unchanged_since[key] = position
            self._active = dict(active)
            self._condition.notify_all()

    def expect_listener(self) -> None:
        """Other processes' commits reach this hub only through a listener: while it does
        not follow, :meth:`stands_at` vouches for nothing."""
        with self._condition:
            self._needs_listener = True

    def follow(self, following: bool) -> None:
        """Whether every commit of every process reaches this hub now (a listener is
        connected and has loaded the tracking table), so :meth:`stand` can be trusted."""
        with self._condition:
            self._following = following

    def stand(self, names: Iterable[str]) -> tuple[tuple[str, int, int], ...] | None:
        """``(name, active version, position)`` of each named projection, sorted by name,
        while the hub follows every commit; None when it does not or a name is unknown."""
        with self._condition:
            if not self._following:
                return None
            found = []
            for name in sorted(names):
                version = self._active.get(name)
                position = None if version is None else self._positions.get((name, version))
                if version is None or position is None:
                    return None
                found.append((name, version, position))
            return tuple(found)

    def reset(self, name: str, version: int) -> None:
        with self._condition:
            self._positions[(name, version)] = 0
            self._unchanged_since[(name, version)] = 0

    def stands_at(self, stands: Iterable[tuple[str, int, int]]) -> bool:
        """Whether, for each ``(name, version, position)``, that version of ``name`` is
        still active and its tables are still as they were at that position, as far as
        this process knows: no batch since handled an event of it. Never while a listener
        this hub needs is not following (it could have missed another process's commit)."""
        with self._condition:
            if self._needs_listener and not self._following:
                return False
            return all(
                self._active.get(name) == version
                and self._unchanged_since.get((name, version), position + 1)
                <= position
                <= self._positions.get((name, version), -1)
                for name, version, position in stands
            )

    def reached(self, position: int) -> bool:
        with self._condition:
            return self._reached(position)

    def wait(self, position: int, timeout: float) -> bool:
        with self._condition:
            return self._condition.wait_for(lambda: self._reached(position), timeout)

    def _reached(self, position: int) -> bool:
        names = self._required or self._active.keys()
        return all(
            name in self._active and self._positions.get((name, self._active[name]), -1) >= position
            for name in names
        )


class Wakeup:
    """A self-pipe so a thread blocked in ``select`` on a socket can be woken."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        self._lock = threading.Lock()
        self._closed = False
        os.set_blocking(self._read, False)
        os.set_blocking(self._write, False)

    def fileno(self) -> int:
        return self._read

    def set(self) -> None:
        with self._lock:
            if self._closed:
                return
            with contextlib.suppress(OSError):
                os.write(self._write, b"x")

    def drain(self) -> None:
        try:
            while os.read(self._read, 512):
                pass
        except (BlockingIOError, OSError):
            pass

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            os.close(self._read)
            os.close(self._write)


def wait_readable(connection: psycopg.Connection[Any], wakeup: Wakeup, timeout: float) -> list[str]:
    """Block until notifications arrive, ``wakeup`` is set, or ``timeout`` passes.

    Notifications psycopg already read while running other statements are
    returned without blocking.
    """
    payloads = [n.payload for n in connection.notifies(timeout=0)]
    if payloads:
        return payloads
    readable, _, _ = select.select([connection.fileno(), wakeup.fileno()], [], [], timeout)
    if wakeup.fileno() in readable:
        wakeup.drain()
    return [n.payload for n in connection.notifies(timeout=0)]


class PostgresProgressListener:
    """A thread feeding a hub from ``PROGRESS_CHANNEL`` for processes that do
    not run the projections themselves (API servers beside ``project`` workers).

    After each (re)connection it LISTENs first and then calls ``load`` to read
    the tracking tables once, so nothing committed in between is missed.
    """

    def __init__(
        self,
        conninfo: str,
        scope: str,
        hub: ProgressHub,
        load: Callable[[], None],
        *,
        reconnect_delay: float = 1.0,
    ) -> None:
        self._conninfo = conninfo
        self._scope = scope
        self._hub = hub
        self._load = load
        self._reconnect_delay = reconnect_delay
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self._wakeup = Wakeup()
        self._thread = threading.Thread(target=self._run, name="projection-progress", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wait_ready(self, timeout: float) -> bool:
        """True once listening; for start-up ordering and tests."""
        return self._ready.wait(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wakeup.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._hub.follow(False)
        self._wakeup.close()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    connection.execute(f"LISTEN {PROGRESS_CHANNEL}")
                    self._load()
                    self._hub.follow(True)
                    self._ready.set()
                    while not self._stopping.is_set():
                        for payload in wait_readable(connection, self._wakeup, 60.0):
                            self._handle(payload)
                    self._hub.follow(False)
            except Exception:
                self._hub.follow(False)
                self._ready.clear()
                logger.exception("projection progress listener lost its connection")
                self._stopping.wait(self._reconnect_delay)

    def _handle(self, payload: str) -> None:
        try:
            message = json.loads(payload)
        except ValueError:
            return
        if message.get("scope") != self._scope:
            return
        if message.get("kind") == "progress":
            name, version, position = message["name"], int(message["version"]), message["position"]
            if message.get("start") is None:
                self._hub.publish(name, version, int(position))
            else:
                changed = message.get("changed")
                self._hub.committed(
                    name,
                    version,
                    int(message["start"]),
                    int(position),
                    None if changed is None else int(changed),
                )
            return
        if message.get("kind") == "reset":
            self._hub.reset(message["name"], int(message["version"]))
        self._load()

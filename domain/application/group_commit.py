"""Group commit: commands that arrive together are saved in one transaction.

A write costs a durable commit — an ``fsync`` on SQLite, a commit with its table
lock on PostgreSQL — and the commit, not the deciding, is what a write mostly
waits on. So the thread that finds no commit in progress becomes the leader:
it takes every command waiting (its own first), decides them one by one on
their aggregates — a later command on the same aggregate sees the earlier
one's events — and saves all of them in one transaction, while the commands
that arrive meanwhile wait for the next leader. Alone, a command is its own
leader and pays nothing for this. A store that commits transactions in parallel
(PostgreSQL) gets several lanes — leaders at once, each with its own batch; a
single-writer store (SQLite) one.

A refusal fails that command alone: it is decided before anything is saved,
and a decision that fails records nothing. If the shared save itself is
refused by the store (another process wrote one of the aggregates first, a
unique value was claimed twice), each command of the batch is run again on
its own, with the usual retries, so neighbours never fail for each other.
Every caller is answered only once the commit that holds its events is
durable.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from domain.base import LedgerAggregate

MAX_BATCH = 64
"""Commands saved together at most; more wait for the next commit."""


@dataclass(eq=False)
class Job:
    """One command on its way through a commit, and its outcome."""

    run_alone: Callable[[], Any]
    """The command through the one-at-a-time pipeline (the fallback)."""
    decide: Callable[[Batch], Any]
    """Decides the command on the batch's aggregates; returns what the commit needs."""
    exclusive_key: object = None
    """A key no two commands of one batch may share (an idempotency record)."""
    outcome: Any = None
    error: BaseException | None = None
    taken: bool = False
    """In a batch being committed (by whichever leader took it)."""
    done: bool = False


@dataclass
class Batch:
    jobs: list[Job]
    aggregates: dict[UUID, LedgerAggregate] = field(default_factory=dict)
    """Every aggregate a job of the batch has loaded, as the batch's decisions left it."""
    tainted: bool = False
    """A refused decision changed a shared aggregate before refusing: the batch is not
    saved as one, each job runs alone instead."""


class GroupCommit:
    def __init__(
        self,
        commit: Callable[[Batch, list[tuple[Job, Any]]], None],
        *,
        lanes: int = 1,
        max_batch: int = MAX_BATCH,
    ) -> None:
        self._commit = commit
        self._lanes = lanes
        self._max_batch = max_batch
        self._waiting: list[Job] = []
        self._committing = 0
        self._changed = threading.Condition()
        self.batches = 0
        self.grouped = 0
        """How many commits there were, and how many commands they held in all."""

    @property
    def lanes(self) -> int:
        """How many commits may be in flight at once."""
        return self._lanes

    @property
    def waiting(self) -> int:
        """Commands queued for the next commit (not those being committed)."""
        with self._changed:
            return len(self._waiting)

    def run(self, job: Job) -> Any:
        """The job's outcome, once the commit holding it is durable (or its error)."""
        with self._changed:
            self._waiting.append(job)
        while True:
            with self._changed:
                while not job.done and (job.taken or self._committing >= self._lanes):
                    self._changed.wait()
                if job.done:
                    break
                self._committing += 1
                batch = self._take()
            try:
                self._lead(batch)
            finally:
                with self._changed:
                    self._committing -= 1
                    self._changed.notify_all()
        if job.error is not None:
            raise job.error
        return job.outcome

    def _take(self) -> Batch:
        """The waiting jobs in arrival order, at most one per exclusive key."""
        taken: list[Job] = []
        left: list[Job] = []
        keys: set[object] = set()
        for job in self._waiting:
            key = job.exclusive_key
            if len(taken) >= self._max_batch or (key is not None and key in keys):
                left.append(job)
                continue
            if key is not None:
                keys.add(key)
            job.taken = True
            taken.append(job)
        self._waiting = left
        return Batch(taken)

    def _lead(self, batch: Batch) -> None:
        decided: list[tuple[Job, Any]] = []
        for job in batch.jobs:
            try:
                decided.append((job, job.decide(batch)))
            except BaseException as error:  # the caller re-raises it, whatever it is
                job.error = error
                job.done = True
        self.batches += 1
        self.grouped += len(batch.jobs)
        if batch.tainted:
            self.alone([job for job, _ in decided])
            return
        try:
            self._commit(batch, decided)
        except BaseException as error:
            for job, _ in decided:
                if not job.done:
                    job.error, job.done = error, True
        for job, _ in decided:
            job.done = True

    @staticmethod
    def alone(jobs: list[Job]) -> None:
        """Runs each job through the one-at-a-time pipeline (after a refused shared save)."""
        for job in jobs:
            try:
                job.outcome = job.run_alone()
            except BaseException as error:
                job.error = error
            job.done = True

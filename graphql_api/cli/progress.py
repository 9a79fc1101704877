"""Progress for long CLI work: a rich bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

PLAIN_INTERVAL_SECONDS = 2.0


class Reporter(Protocol):
    def __call__(self, label: str, done: int, total: int) -> None: ...


@contextmanager
def progress_reporter() -> Iterator[Reporter]:
    """Yields ``report(label, done, total)``; call it as often as you like."""
    if sys.stderr.isatty():
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=False,
        ) as bar:
            tasks: dict[str, TaskID] = {}

            def report(label: str, done: int, total: int) -> None:
                if label not in tasks:
                    tasks[label] = bar.add_task(label, total=total or None)
                bar.update(tasks[label], completed=done, total=total or None)

            yield report
        return
    last: dict[str, float] = {}

    def plain(label: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = total and done >= total
        if not finished and now - last.get(label, 0.0) < PLAIN_INTERVAL_SECONDS:
            return
        last[label] = now
        share = f" ({100 * done / total:.0f}%)" if total else ""
        print(f"{label}: {done}/{total}{share}", file=sys.stderr, flush=True)

    yield plain

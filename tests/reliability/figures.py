"""The figures each reliability test produced, so docs/reliability.md quotes a real run.

Tests call ``figures.record(name, requests=…, kills=…, lost=0)``; at the end of
the session every record is printed as one line in pytest's summary and written
as JSON to ``$LEDGER_RELIABILITY_REPORT`` (default: the session's temp dir).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Figures:
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def record(self, name: str, **numbers: Any) -> None:
        self.records.setdefault(name, {}).update(numbers)

    def add(self, name: str, **numbers: int) -> None:
        """Adds to counts kept across the parametrized cases of one test."""
        record = self.records.setdefault(name, {})
        for key, value in numbers.items():
            record[key] = record.get(key, 0) + value

    def maximum(self, name: str, **numbers: float) -> None:
        record = self.records.setdefault(name, {})
        for key, value in numbers.items():
            record[key] = max(record.get(key, value), value)

    def lines(self) -> list[str]:
        return [
            f"{name}: " + ", ".join(f"{key}={value}" for key, value in numbers.items())
            for name, numbers in sorted(self.records.items())
        ]

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = {
            "seconds": round(time.monotonic() - self.started, 1),
            "tests": dict(sorted(self.records.items())),
        }
        path.write_text(json.dumps(body, indent=2, default=str) + "\n", encoding="utf-8")

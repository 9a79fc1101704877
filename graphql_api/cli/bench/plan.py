"""How much a bench run does, and what it carries from step to step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from domain.infrastructure.settings import Settings
from graphql_api.cli.bench.processes import Started
from graphql_api.cli.bench.report import Section
from graphql_api.demo import MarketSize


@dataclass(frozen=True)
class Plan:
    """How much of everything one run does; ``--smoke`` shrinks it all."""

    seconds: float
    max_requests: int
    ryw_samples: int
    replay_events: int
    replay_samples: int
    calibrate_seconds: float

    @classmethod
    def full(cls, seconds: float) -> Plan:
        return cls(seconds, 200_000, 300, 1_000, 40, min(seconds, 10.0))

    @classmethod
    def smoke(cls) -> Plan:
        return cls(0.5, 300, 10, 60, 3, 0.3)


@dataclass
class Run:
    settings: Settings
    size: MarketSize | None
    plan: Plan
    logs: Path
    progress: Callable[[str], None]
    env: dict[str, str] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    started: list[Started] = field(default_factory=list)

    def section(self, title: str) -> Section:
        return self.sections.setdefault(title, Section(title))

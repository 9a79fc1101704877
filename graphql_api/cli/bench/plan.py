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
    replay_events: int
    replay_samples: int
    calibrate_seconds: float
    repeats: int = 1
    read_clients: int = 16
    write_share: float = 0.1
    # The read shapes measured under load (all are recorded and checked against the
    # baselines); see :mod:`graphql_api.cli.bench.read_shapes`.
    shapes: tuple[str, ...] = ("d", "a", "b", "c")

    def repeats_text(self) -> str:
        """How a figure was made, for the report's notes."""
        if self.repeats == 1:
            return f"one run of {self.seconds:g} s"
        return f"the median of {self.repeats} repeats of {self.seconds:g} s"

    @classmethod
    def full(cls, seconds: float, repeats: int = 3, read_clients: int = 16) -> Plan:
        return cls(
            seconds=seconds,
            max_requests=200_000,
            replay_events=1_000,
            replay_samples=40,
            calibrate_seconds=min(seconds, 10.0),
            repeats=repeats,
            read_clients=read_clients,
        )

    @classmethod
    def smoke(cls) -> Plan:
        return cls(
            seconds=0.3,
            max_requests=300,
            replay_events=60,
            replay_samples=3,
            calibrate_seconds=0.2,
            repeats=1,
            read_clients=4,
            shapes=("d",),
        )


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

"""The simulation's machinery: the market's size and participants, a simulated
clock, ids from the seeded generator, a scheduler that interleaves the steps of
many campaigns in time, and the one way a step runs a command.

A step is a generator: it runs commands through :meth:`DemoMarket.do` and
yields how long to wait before its next move, so campaigns progress side by
side on one clock and the simulation stops at a cut-off wherever each one is.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid5

from domain.application import CommandResult, Ledger
from domain.application.commands import Command
from domain.catalog import ContentFormat, Platform, Tier
from domain.context import Actor
from domain.errors import LedgerError
from domain.infrastructure.bulk_load import forget_cached_aggregates
from domain.profile import tier_for

START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
CORRELATION_NAMESPACE = UUID("6f1c3e0a-58b4-4c1e-9a53-4d2f7c1b8e90")
DAY = timedelta(days=1)

Step = Generator[timedelta, None, None]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class MarketSize:
    creators: int = 60
    brands: int = 12
    campaigns: int = 150
    seed: int = 7
    days: int = 540


@dataclass
class DemoStats:
    brands: int = 0
    creators: int = 0
    campaigns: int = 0
    commands: int = 0
    refused: int = 0
    events: int = 0
    seconds: float = 0.0
    refusals: list[str] = field(default_factory=list)


@dataclass
class CreatorProfile:
    """A registered creator and the traits that drive how it behaves."""

    id: UUID
    handle: str
    niches: tuple[str, ...]
    followers: dict[Platform, int]
    rates: dict[tuple[Platform, ContentFormat], int]
    quality: float
    punctuality: float
    diligence: float
    engagement: float
    churn: float

    @property
    def tier(self) -> Tier:
        return tier_for(self.followers.values())


@dataclass
class BrandProfile:
    """A registered brand, its traits, and its briefs with their end dates."""

    id: UUID
    industry: str
    niches: tuple[str, ...]
    rater_bias: float
    punctuality: float
    fussiness: float
    briefs: list[tuple[UUID, date]] = field(default_factory=list)


class DemoMarket:
    def __init__(self, size: MarketSize) -> None:
        self.size = size
        self.rng = random.Random(size.seed)
        self.now = START
        self.end = START + timedelta(days=size.days)
        self.stats = DemoStats()
        self.creators: list[CreatorProfile] = []
        self.brands: list[BrandProfile] = []
        self.niche_matches: dict[tuple[str, ...], list[CreatorProfile]] = {}
        self.ledger: Ledger | None = None
        self._queue: list[tuple[datetime, int, Step]] = []
        self._sequence = itertools.count()

    # --- the clock and ids the ledger is given ---------------------------------
    def clock(self) -> datetime:
        return self.now

    def new_id(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    # --- running --------------------------------------------------------------
    def schedule(self, at: datetime, step: Step) -> None:
        if at <= self.end:
            heapq.heappush(self._queue, (at, next(self._sequence), step))

    def drain(self, progress: Progress | None) -> None:
        finished = 0
        while self._queue:
            at, _, step = heapq.heappop(self._queue)
            self.now = max(self.now, at)
            try:
                delay = next(step)
            except StopIteration:
                finished += 1
                if progress and finished % 200 == 0:
                    progress(min(finished, self.size.campaigns), self.size.campaigns)
                continue
            self.schedule(self.now + delay, step)
        if progress:
            progress(self.size.campaigns, self.size.campaigns)

    def do(self, actor: Actor, command: Callable[..., Any]) -> Any:
        """``command(ledger, context)`` as ``actor``, a moment later; ``None`` if refused."""
        assert self.ledger is not None
        self.now += timedelta(seconds=self.rng.randint(1, 90))
        self.stats.commands += 1
        try:
            return command(self.ledger, self.ledger.context(actor, self._correlation_id()))
        except LedgerError as error:
            forget_cached_aggregates(self.ledger)
            self.stats.refused += 1
            if len(self.stats.refusals) < 20:
                self.stats.refusals.append(f"{type(error).__name__}: {error.message}")
            return None

    def run(self, actor: Actor, command: Callable[..., Command]) -> CommandResult | None:
        """The command ``command()`` builds, run as ``actor`` a moment later; ``None`` if
        refused. Built only once the moment has passed, so it may read the new time."""
        return self.do(actor, lambda ledger, ctx: ledger.execute(ctx, command()))  # type: ignore[no-any-return]

    def _correlation_id(self) -> str:
        """One per command, like one per API request, but a function of the seed."""
        return uuid5(CORRELATION_NAMESPACE, f"{self.size.seed}/{self.stats.commands}").hex

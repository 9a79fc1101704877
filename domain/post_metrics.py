"""A post's counters at one moment, and what they add up to.

The one definition of the metric fields (the ``PostMetricsRecorded`` event
carries the same names) and of engagements — likes + comments + shares +
saves — which every read of post performance uses.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any


def engagements(likes: int, comments: int, shares: int, saves: int) -> int:
    """The interactions a post earned; the numerator of every engagement rate."""
    return likes + comments + shares + saves


@dataclass(frozen=True)
class MetricsSnapshot:
    observed_at: datetime
    followers: int
    reach: int | None
    impressions: int | None
    views: int | None
    likes: int
    comments: int
    shares: int
    saves: int

    @classmethod
    def of(cls, recorded: Any) -> MetricsSnapshot:
        """The snapshot a ``PostMetricsRecorded`` event (or any record with the same
        field names) carries."""
        return cls(**{name: getattr(recorded, name) for name in METRIC_FIELDS})

    @property
    def engagements(self) -> int:
        return engagements(self.likes, self.comments, self.shares, self.saves)

    @property
    def engagement_rate(self) -> float | None:
        """Engagements ÷ followers at this snapshot."""
        return self.engagements / self.followers if self.followers else None

    @property
    def engagement_rate_by_reach(self) -> float | None:
        return self.engagements / self.reach if self.reach else None


METRIC_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(MetricsSnapshot))
"""Every field of a metrics snapshot, the moment first."""

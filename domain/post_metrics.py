"""A post's counters, at one moment or summed over a campaign's posts.

The one definition of the metric fields (the ``PostMetricsRecorded`` event
carries the same names, the campaign summaries read model the same columns) and
of engagements — likes + comments + shares + saves — which every read of post
performance uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any


def engagements(likes: int, comments: int, shares: int, saves: int) -> int:
    """The interactions a post earned; the numerator of every engagement rate."""
    return likes + comments + shares + saves


@dataclass(frozen=True)
class MetricCounts:
    """Followers and interactions; reach, impressions and views where reported."""

    followers: int
    reach: int | None
    impressions: int | None
    views: int | None
    likes: int
    comments: int
    shares: int
    saves: int

    @property
    def engagements(self) -> int:
        return engagements(self.likes, self.comments, self.shares, self.saves)

    @property
    def engagement_rate(self) -> float | None:
        """Engagements ÷ followers."""
        return self.engagements / self.followers if self.followers else None

    @property
    def engagement_rate_by_reach(self) -> float | None:
        return self.engagements / self.reach if self.reach else None


COUNT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(MetricCounts))
"""The counters of a post, in the order of the ``PostMetricsRecorded`` event."""


@dataclass(frozen=True)
class MetricsSnapshot(MetricCounts):
    """A post's counters observed at one moment."""

    observed_at: datetime

    @classmethod
    def of(cls, recorded: Any) -> MetricsSnapshot:
        """The snapshot a ``PostMetricsRecorded`` event (or any record with the same
        field names) carries."""
        return cls(**{name: getattr(recorded, name) for name in METRIC_FIELDS})


METRIC_FIELDS: tuple[str, ...] = ("observed_at", *COUNT_FIELDS)
"""Every field of a metrics snapshot, the moment first."""


@dataclass(frozen=True)
class MetricTotals(MetricCounts):
    """Sums over a campaign's posts, each at its latest snapshot; ``followers`` is the
    sum of each post's follower count, the denominator of a pooled engagement rate.
    Reach, impressions and views are None when no measured post reported them."""

    posts_measured: int

    @classmethod
    def of_latest(cls, snapshots: Iterable[MetricsSnapshot]) -> MetricTotals | None:
        """The totals over each post's latest snapshot; None without any."""
        latest = list(snapshots)
        if not latest:
            return None
        sums: dict[str, Any] = {
            name: _sum_known(getattr(m, name) for m in latest) for name in COUNT_FIELDS
        }
        return cls(posts_measured=len(latest), **sums)


def _sum_known(values: Iterable[int | None]) -> int | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None

"""A creator's audience over time, for the reputation projection: the tier and retention.

Each platform's latest following (as the Creator aggregate keeps it) gives the
tier; the full history of ``FollowersRecorded`` observations gives, for every
sponsored post, the last following before it and the first one at least 28 days
after it — the audience retention around sponsored content. Those two numbers
are stored on the post and recomputed whenever an observation for its platform
arrives, in whatever order observations are recorded (once per batch of events:
only the reputation's derived columns read them, and those are refreshed after).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from datetime import timedelta

from projections.formulas import RETENTION_DELAY_DAYS
from projections.machinery.base import ProjectionTx, TableSpec
from projections.store.columns import moment_text, parse_moment

FOLLOWER_HISTORY = TableSpec(
    columns={
        "creator_id": "TEXT",
        "platform": "TEXT",
        "observed_at": "TEXT",
        "followers": "INTEGER NOT NULL",
    },
    primary_key=("creator_id", "platform", "observed_at"),
)
"""Every observation per (creator, platform, observed_at); the later event wins a tie."""
ACCOUNTS = TableSpec(
    columns={
        "creator_id": "TEXT",
        "platform": "TEXT",
        "followers": "INTEGER NOT NULL",
        "observed_at": "TEXT NOT NULL",
    },
    primary_key=("creator_id", "platform"),
)
"""The latest following per platform, as the Creator aggregate keeps it: the tier's input."""


def record_followers(
    tx: ProjectionTx, creator_id: str, platform: str, followers: int, observed_at: str
) -> None:
    """Store an observation; the caller then refreshes the platform's retention windows."""
    observe_account(tx, creator_id, platform, followers, observed_at)
    tx.write(
        f"INSERT INTO {tx.table('follower_history')}"
        " (creator_id, platform, observed_at, followers) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (creator_id, platform, observed_at) DO UPDATE"
        " SET followers = excluded.followers",
        (creator_id, platform, observed_at, followers),
    )


def refresh_windows(tx: ProjectionTx, stale: list[tuple[str, str]]) -> None:
    """Recompute the retention window of each post of the stale (creator, platform)s."""
    wanted = set(stale)
    posts = [
        row
        for row in tx.fetchall_in(
            "SELECT creator_id, platform, published_at, followers_before, followers_after,"
            f" campaign_id, deliverable_id, post_no FROM {tx.table('posts')}"
            " WHERE creator_id IN ({})",
            sorted({creator_id for creator_id, _ in stale}),
        )
        if (row[0], row[1]) in wanted
    ]
    observations: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for creator_id, platform, observed_at, followers in tx.fetchall_in(
        "SELECT creator_id, platform, observed_at, followers"
        f" FROM {tx.table('follower_history')} WHERE creator_id IN ({{}})",
        sorted({row[0] for row in posts}),
    ):
        if (creator_id, platform) in wanted:
            observations[creator_id, platform].append((observed_at, followers))
    timelines = {pair: _Timeline(sorted(seen)) for pair, seen in observations.items()}
    changed = []
    for creator_id, platform, published_at, *window, campaign_id, deliverable_id, post_no in posts:
        timeline = timelines.get((creator_id, platform), _Timeline([]))
        new = timeline.window(published_at)
        if list(new) != window:
            changed.append((*new, campaign_id, deliverable_id, post_no))
    tx.executemany(
        f"UPDATE {tx.table('posts')} SET followers_before = ?, followers_after = ?"
        " WHERE campaign_id = ? AND deliverable_id = ? AND post_no = ?",
        changed,
    )


class _Timeline:
    """One (creator, platform)'s follower observations, in ``observed_at`` order."""

    def __init__(self, observations: list[tuple[str, int]]) -> None:
        self.moments = [observed_at for observed_at, _ in observations]
        self.followers = [followers for _, followers in observations]

    def window(self, published_at: str) -> tuple[int | None, int | None]:
        """The followers of the last observation before publication and of the first
        one ≥ 28 days after it."""
        before = bisect_left(self.moments, published_at) - 1
        after = bisect_left(self.moments, _retention_from(published_at))
        return (
            self.followers[before] if before >= 0 else None,
            self.followers[after] if after < len(self.followers) else None,
        )


def observe_account(
    tx: ProjectionTx, creator_id: str, platform: str, followers: int, observed_at: str
) -> None:
    """Keep the newest observation per platform; a tie goes to the later event."""
    table = tx.table("accounts")
    tx.write(
        f"INSERT INTO {table} (creator_id, platform, followers, observed_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (creator_id, platform) DO UPDATE"
        " SET followers = excluded.followers, observed_at = excluded.observed_at"
        f" WHERE {table}.observed_at <= excluded.observed_at",
        (creator_id, platform, followers, observed_at),
    )


def followers_around(
    tx: ProjectionTx, creator_id: str, platform: str, published_at: str
) -> tuple[int | None, int | None]:
    """The last observation before publication and the first one ≥ 28 days after it."""
    history = tx.table("follower_history")
    row = tx.fetchone(
        f"SELECT (SELECT followers FROM {history} WHERE creator_id = ? AND platform = ?"
        " AND observed_at < ? ORDER BY observed_at DESC LIMIT 1),"
        f" (SELECT followers FROM {history} WHERE creator_id = ? AND platform = ?"
        " AND observed_at >= ? ORDER BY observed_at LIMIT 1)",
        (creator_id, platform, published_at, creator_id, platform, _retention_from(published_at)),
    )
    assert row is not None
    return row[0], row[1]


def _retention_from(published_at: str) -> str:
    """When a post's "after" observation may start: 28 days after publication."""
    return moment_text(parse_moment(published_at) + timedelta(days=RETENTION_DELAY_DAYS))

"""A creator's audience over time, for the reputation projection: the tier and retention.

Each platform's latest following (as the Creator aggregate keeps it) gives the
tier; the full history of ``FollowersRecorded`` observations gives, for every
sponsored post, the last following before it and the first one at least 28 days
after it — the audience retention around sponsored content. Those two numbers
are stored on the post and recomputed whenever an observation for its platform
arrives, in whatever order observations are recorded.
"""

from __future__ import annotations

from datetime import timedelta

from projections.base import ProjectionTx, TableSpec
from projections.columns import moment_text, parse_moment
from projections.formulas import RETENTION_DELAY_DAYS

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
    """Store an observation and refresh the retention window of the platform's posts."""
    observe_account(tx, creator_id, platform, followers, observed_at)
    tx.execute(
        f"INSERT INTO {tx.table('follower_history')}"
        " (creator_id, platform, observed_at, followers) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (creator_id, platform, observed_at) DO UPDATE"
        " SET followers = excluded.followers",
        (creator_id, platform, observed_at, followers),
    )
    posts = tx.fetchall(
        f"SELECT campaign_id, deliverable_id, post_no, published_at FROM {tx.table('posts')}"
        " WHERE creator_id = ? AND platform = ?",
        (creator_id, platform),
    )
    for campaign_id, deliverable_id, post_no, published_at in posts:
        before, after = followers_around(tx, creator_id, platform, published_at)
        tx.execute(
            f"UPDATE {tx.table('posts')} SET followers_before = ?, followers_after = ?"
            " WHERE campaign_id = ? AND deliverable_id = ? AND post_no = ?",
            (before, after, campaign_id, deliverable_id, post_no),
        )


def observe_account(
    tx: ProjectionTx, creator_id: str, platform: str, followers: int, observed_at: str
) -> None:
    """Keep the newest observation per platform; a tie goes to the later event."""
    table = tx.table("accounts")
    tx.execute(
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
    after_from = parse_moment(published_at) + timedelta(days=RETENTION_DELAY_DAYS)
    before = tx.scalar(
        f"SELECT followers FROM {history} WHERE creator_id = ? AND platform = ?"
        " AND observed_at < ? ORDER BY observed_at DESC LIMIT 1",
        (creator_id, platform, published_at),
    )
    after = tx.scalar(
        f"SELECT followers FROM {history} WHERE creator_id = ? AND platform = ?"
        " AND observed_at >= ? ORDER BY observed_at LIMIT 1",
        (creator_id, platform, moment_text(after_from)),
    )
    return before, after

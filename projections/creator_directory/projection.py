"""Creator directory: the searchable profile of every creator.

Brands look for creators by tier, niche, platform, price of a content format,
causes and reputation, sorted by score, following or price. Every filter runs
in SQL on indexed child tables (niches, causes, accounts, rate-card lines), so
a search reads one page of creators, never the whole directory.

Followers and tier mirror :class:`domain.creator.Creator`: a platform's count
is its latest observation by ``observed_at`` (a late-arriving older one does
not overwrite it), and the tier comes from the largest following. The rate
card is the latest published one; each publication replaces every line.
Entries are read in :mod:`projections.creator_directory.queries` and searched in
:mod:`projections.creator_directory.search`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.domain import DomainEventProtocol

from domain.catalog import Origin
from domain.creator import Creator
from domain.profile import creator_types, tier_for
from projections.machinery.base import (
    Projection,
    ProjectionTx,
    TableSpec,
    events_of,
    topics_of,
)
from projections.store.columns import (
    amount_text,
    hundredths,
    json_list,
    moment_text,
    parse_json_list,
)
from projections.store.readstore import Value

NAME = "creator_directory"


class CreatorDirectory(Projection):
    name = NAME
    version = 1
    tables = {
        "creators": TableSpec(
            columns={
                "creator_id": "TEXT",
                "handle": "TEXT NOT NULL",
                "display_name": "TEXT NOT NULL",
                "origin": "TEXT NOT NULL",
                "country": "TEXT NOT NULL",
                "languages": "JSON NOT NULL",
                "niches": "JSON NOT NULL",
                "causes": "JSON NOT NULL",
                "tier": "TEXT NOT NULL",
                "max_followers": "INTEGER NOT NULL",
                "creator_types": "JSON NOT NULL",
                "rate_card_version": "INTEGER NOT NULL",
                "registered_at": "TEXT NOT NULL",
                "updated_at": "TEXT NOT NULL",
                "version": "INTEGER NOT NULL",
            },
            primary_key=("creator_id",),
            indexes=(("tier", "creator_id"), ("max_followers", "creator_id")),
        ),
        "niches": TableSpec(
            columns={"creator_id": "TEXT", "niche": "TEXT"},
            primary_key=("creator_id", "niche"),
            indexes=(("niche", "creator_id"),),
        ),
        "causes": TableSpec(
            columns={"creator_id": "TEXT", "cause": "TEXT"},
            primary_key=("creator_id", "cause"),
            indexes=(("cause", "creator_id"),),
        ),
        "accounts": TableSpec(
            columns={
                "creator_id": "TEXT",
                "platform": "TEXT",
                "handle": "TEXT NOT NULL",
                "followers": "INTEGER NOT NULL",
                "observed_at": "TEXT NOT NULL",
            },
            primary_key=("creator_id", "platform"),
            indexes=(("platform", "creator_id"),),
        ),
        "rates": TableSpec(
            columns={
                "creator_id": "TEXT",
                "platform": "TEXT",
                "format": "TEXT",
                "price_amount": "TEXT NOT NULL",
                "currency": "TEXT NOT NULL",
                "price_cents": "INTEGER NOT NULL",
                "compensation": "TEXT NOT NULL",
            },
            primary_key=("creator_id", "platform", "format"),
            indexes=(
                ("platform", "format", "currency", "price_cents"),
                ("currency", "price_cents"),
            ),
        ),
    }
    topics = topics_of(*events_of(Creator))

    def handle(self, event: DomainEventProtocol[Any], tx: ProjectionTx) -> None:
        match event:
            case Creator.Registered():
                _register(tx, event)
            case Creator.Event():
                _apply(tx, event)
                _batch(tx).touch(event)


def _apply(tx: ProjectionTx, event: Creator.Event) -> None:
    creator_id = str(event.originator_id)
    match event:
        case Creator.PlatformAccountLinked():
            tx.write(
                f"INSERT INTO {tx.table('accounts')}"
                " (creator_id, platform, handle, followers, observed_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    creator_id,
                    event.platform,
                    event.handle,
                    event.followers,
                    moment_text(event.timestamp),
                ),
            )
        case Creator.FollowersRecorded():
            tx.write(
                f"UPDATE {tx.table('accounts')} SET followers = ?, observed_at = ?"
                " WHERE creator_id = ? AND platform = ? AND observed_at <= ?",
                (
                    event.followers,
                    moment_text(event.observed_at),
                    creator_id,
                    event.platform,
                    moment_text(event.observed_at),
                ),
            )
        case Creator.RateCardPublished():
            _replace_rate_card(tx, creator_id, event)
        case Creator.CausesDeclared():
            _replace_tags(tx, "causes", "cause", creator_id, event.causes)


def _register(tx: ProjectionTx, event: Creator.Registered) -> None:
    creator_id = str(event.originator_id)
    origin = Origin(event.origin)
    row: dict[str, Value] = {
        "creator_id": creator_id,
        "handle": event.handle,
        "display_name": event.display_name,
        "origin": origin.value,
        "country": event.country,
        "languages": json_list(event.languages),
        "niches": json_list(event.niches),
        "causes": json_list(()),
        "tier": tier_for(()).value,
        "max_followers": 0,
        "creator_types": json_list(creator_types(origin, (), ())),
        "rate_card_version": 0,
        "registered_at": moment_text(event.timestamp),
        "updated_at": moment_text(event.timestamp),
        "version": event.originator_version,
    }
    tx.write(
        f"INSERT INTO {tx.table('creators')} ({', '.join(row)})"
        f" VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )
    _replace_tags(tx, "niches", "niche", creator_id, event.niches)


def _replace_tags(
    tx: ProjectionTx, logical: str, column: str, creator_id: str, tags: Iterable[str]
) -> None:
    table = tx.table(logical)
    tx.write(f"DELETE FROM {table} WHERE creator_id = ?", (creator_id,))
    tx.executemany(
        f"INSERT INTO {table} (creator_id, {column}) VALUES (?, ?)",
        [(creator_id, tag) for tag in dict.fromkeys(tags)],
    )


def _replace_rate_card(tx: ProjectionTx, creator_id: str, event: Creator.RateCardPublished) -> None:
    rates = tx.table("rates")
    tx.write(f"DELETE FROM {rates} WHERE creator_id = ?", (creator_id,))
    tx.executemany(
        f"INSERT INTO {rates} (creator_id, platform, format, price_amount, currency,"
        " price_cents, compensation) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                creator_id,
                line.platform.value,
                line.format.value,
                amount_text(line.price.amount),
                line.price.currency,
                hundredths(line.price.amount),
                line.compensation.value,
            )
            for line in event.lines
        ],
    )


@dataclass
class _Profiles:
    """The creators a batch touched, and what their latest event of the batch moves.

    Every creator event but registration moves ``updated_at`` and ``version``, and the
    tier and creator types follow the followings and causes: all are written once per
    creator at the end of the batch, from the rows as the batch left them. No handler
    reads a creator's row, so the result is the same as writing after each event.
    """

    touched: dict[str, dict[str, Value]] = field(default_factory=dict)

    def touch(self, event: Creator.Event) -> None:
        moved = self.touched.setdefault(str(event.originator_id), {})
        moved["updated_at"] = moment_text(event.timestamp)
        moved["version"] = event.originator_version
        match event:
            case Creator.CausesDeclared():
                moved["causes"] = json_list(event.causes)
            case Creator.RateCardPublished():
                moved["rate_card_version"] = event.card_version

    def flush(self, tx: ProjectionTx) -> None:
        ids = sorted(self.touched)
        followers: dict[str, list[int]] = {creator_id: [] for creator_id in ids}
        for creator_id, count in tx.fetchall_in(
            f"SELECT creator_id, followers FROM {tx.table('accounts')} WHERE creator_id IN ({{}})",
            ids,
        ):
            followers[creator_id].append(int(count))
        updates: list[tuple[Value, ...]] = []
        for creator_id, origin, causes, card_version in tx.fetchall_in(
            f"SELECT creator_id, origin, causes, rate_card_version FROM {tx.table('creators')}"
            " WHERE creator_id IN ({})",
            ids,
        ):
            moved = self.touched[creator_id]
            causes = str(moved.get("causes", causes))
            counts = followers[creator_id]
            types = creator_types(Origin(origin), parse_json_list(causes), counts)
            updates.append(
                (
                    causes,
                    max(counts, default=0),
                    tier_for(counts).value,
                    json_list(types),
                    moved.get("rate_card_version", card_version),
                    moved["updated_at"],
                    moved["version"],
                    creator_id,
                )
            )
        missing = set(ids) - {row[-1] for row in updates}
        if missing:
            raise LookupError(f"creators {sorted(missing)} were never registered")
        tx.executemany(
            f"UPDATE {tx.table('creators')} SET causes = ?, max_followers = ?, tier = ?,"
            " creator_types = ?, rate_card_version = ?, updated_at = ?, version = ?"
            " WHERE creator_id = ?",
            updates,
        )


def _batch(tx: ProjectionTx) -> _Profiles:
    return tx.batch_state("profiles", _Profiles)

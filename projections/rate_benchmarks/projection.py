"""Rate benchmarks: what creators ask and what brands agree to pay, per format and tier.

Two kinds of sample per (platform, content format, tier, currency):

- **rate card**: each line of a creator's current card. A new card replaces
  the creator's previous lines, and the lines carry the creator's *current*
  tier, so when new follower counts move a creator to another tier the
  samples move with them;
- **agreed fee**: on ``AgreementConcluded``, the agreed cash divided by the
  total units due (rounded half-even to hundredths), one sample per
  deliverable, under the creator's tier *at conclusion* — what was agreed
  then stays what it was.

The projection tracks followers itself (latest observation per platform, as
:class:`domain.creator.Creator` does) and the terms on the table of each
campaign until it concludes, because neither event carries the other's data.
The quartiles are computed when read (:mod:`projections.rate_benchmarks.queries`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.domain import DomainEventProtocol

from domain.campaign import Campaign
from domain.catalog import Tier
from domain.creator import Creator
from domain.profile import tier_for
from domain.terms import Terms
from projections.machinery.base import Projection, ProjectionTx, TableSpec, topics_of
from projections.store.columns import hundredths, moment_text

NAME = "rate_benchmarks"
_GROUP = ("platform", "format", "tier", "currency")
_SAMPLE_COLUMNS = {
    "platform": "TEXT NOT NULL",
    "format": "TEXT NOT NULL",
    "tier": "TEXT NOT NULL",
    "currency": "TEXT NOT NULL",
    "amount_cents": "INTEGER NOT NULL",
}


class RateBenchmarks(Projection):
    name = NAME
    version = 1
    tables = {
        "accounts": TableSpec(
            columns={
                "creator_id": "TEXT",
                "platform": "TEXT",
                "followers": "INTEGER NOT NULL",
                "observed_at": "TEXT NOT NULL",
            },
            primary_key=("creator_id", "platform"),
        ),
        "tiers": TableSpec(
            columns={"creator_id": "TEXT", "tier": "TEXT NOT NULL"}, primary_key=("creator_id",)
        ),
        "offers": TableSpec(
            columns={
                "campaign_id": "TEXT",
                "creator_id": "TEXT NOT NULL",
                "terms": "JSON NOT NULL",
            },
            primary_key=("campaign_id",),
        ),
        "card_samples": TableSpec(
            columns={"creator_id": "TEXT", **_SAMPLE_COLUMNS},
            primary_key=("creator_id", "platform", "format"),
            indexes=((*_GROUP, "amount_cents"),),
        ),
        "fee_samples": TableSpec(
            columns={
                "campaign_id": "TEXT",
                "deliverable_id": "TEXT",
                "creator_id": "TEXT NOT NULL",
                **_SAMPLE_COLUMNS,
            },
            primary_key=("campaign_id", "deliverable_id"),
            indexes=((*_GROUP, "amount_cents"),),
        ),
    }
    topics = topics_of(
        Creator.PlatformAccountLinked,
        Creator.FollowersRecorded,
        Creator.RateCardPublished,
        Campaign.Pitched,
        Campaign.CounterOffered,
        Campaign.PitchDeclined,
        Campaign.PitchWithdrawn,
        Campaign.CampaignCancelled,
        Campaign.AgreementConcluded,
    )

    def handle(self, event: DomainEventProtocol[Any], tx: ProjectionTx) -> None:
        subject = str(event.originator_id)
        match event:
            case Creator.PlatformAccountLinked():
                tx.write(
                    f"INSERT INTO {tx.table('accounts')}"
                    " (creator_id, platform, followers, observed_at) VALUES (?, ?, ?, ?)",
                    (subject, event.platform, event.followers, moment_text(event.timestamp)),
                )
                tx.batch_state("retier", _Retier).creators[subject] = None
            case Creator.FollowersRecorded():
                observed = moment_text(event.observed_at)
                tx.write(
                    f"UPDATE {tx.table('accounts')} SET followers = ?, observed_at = ?"
                    " WHERE creator_id = ? AND platform = ? AND observed_at <= ?",
                    (event.followers, observed, subject, event.platform, observed),
                )
                tx.batch_state("retier", _Retier).creators[subject] = None
            case Creator.RateCardPublished():
                tier = _tier(tx, subject)
                samples = tx.table("card_samples")
                tx.write(f"DELETE FROM {samples} WHERE creator_id = ?", (subject,))
                tx.executemany(
                    f"INSERT INTO {samples} (creator_id, platform, format, tier, currency,"
                    " amount_cents) VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (
                            subject,
                            line.platform.value,
                            line.format.value,
                            tier.value,
                            line.price.currency,
                            hundredths(line.price.amount),
                        )
                        for line in event.lines
                    ],
                )
            case Campaign.Pitched():
                tx.write(
                    f"INSERT INTO {tx.table('offers')} (campaign_id, creator_id, terms)"
                    " VALUES (?, ?, ?)",
                    (subject, str(event.creator_id), _terms_json(event.terms)),
                )
            case Campaign.CounterOffered():
                tx.write(
                    f"UPDATE {tx.table('offers')} SET terms = ? WHERE campaign_id = ?",
                    (_terms_json(event.terms), subject),
                )
            case Campaign.AgreementConcluded():
                _conclude(tx, subject)
            case (
                Campaign.PitchDeclined() | Campaign.PitchWithdrawn() | Campaign.CampaignCancelled()
            ):
                tx.write(f"DELETE FROM {tx.table('offers')} WHERE campaign_id = ?", (subject,))


def _terms_json(terms: Terms) -> str:
    return json.dumps(terms.to_json(), sort_keys=True, separators=(",", ":"))


@dataclass
class _Retier:
    """The creators whose following a batch changed. A creator's tier follows its
    largest following, and its current rate-card samples follow the tier: both are
    recomputed once, at the end of the batch or when a handler needs the tier."""

    creators: dict[str, None] = field(default_factory=dict)

    def flush(self, tx: ProjectionTx) -> None:
        _retier(tx, list(self.creators))


def _tier(tx: ProjectionTx, creator_id: str) -> Tier:
    pending = tx.batch_state("retier", _Retier).creators
    if creator_id in pending:
        del pending[creator_id]
        _retier(tx, [creator_id])
    stored = tx.scalar(f"SELECT tier FROM {tx.table('tiers')} WHERE creator_id = ?", (creator_id,))
    return Tier(stored) if stored else tier_for(())


def _retier(tx: ProjectionTx, creator_ids: list[str]) -> None:
    followers: dict[str, list[int]] = {creator_id: [] for creator_id in creator_ids}
    for creator_id, count in tx.fetchall_in(
        f"SELECT creator_id, followers FROM {tx.table('accounts')} WHERE creator_id IN ({{}})",
        creator_ids,
    ):
        followers[creator_id].append(int(count))
    tiers = [(creator_id, tier_for(counts).value) for creator_id, counts in followers.items()]
    tx.executemany(
        f"INSERT INTO {tx.table('tiers')} (creator_id, tier) VALUES (?, ?)"
        " ON CONFLICT (creator_id) DO UPDATE SET tier = excluded.tier",
        tiers,
    )
    tx.executemany(
        f"UPDATE {tx.table('card_samples')} SET tier = ? WHERE creator_id = ? AND tier <> ?",
        [(tier, creator_id, tier) for creator_id, tier in tiers],
    )


def _conclude(tx: ProjectionTx, campaign_id: str) -> None:
    """The agreed cash per unit, one sample per deliverable, at the tier of today."""
    offers = tx.table("offers")
    row = tx.fetchone(
        f"SELECT creator_id, terms FROM {offers} WHERE campaign_id = ?", (campaign_id,)
    )
    if row is None:
        raise LookupError(f"campaign {campaign_id} concluded without an offer on the table")
    creator_id, text = row
    tx.write(f"DELETE FROM {offers} WHERE campaign_id = ?", (campaign_id,))
    terms = Terms.from_json(json.loads(text))
    cash = terms.compensation.cash
    if cash is None:
        return
    per_unit = hundredths(cash.amount / terms.units_due)
    tier = _tier(tx, creator_id).value
    tx.executemany(
        f"INSERT INTO {tx.table('fee_samples')} (campaign_id, deliverable_id, creator_id,"
        " platform, format, tier, currency, amount_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                campaign_id,
                d.deliverable_id,
                creator_id,
                d.platform.value,
                d.format.value,
                tier,
                cash.currency,
                per_unit,
            )
            for d in terms.deliverables
        ],
    )

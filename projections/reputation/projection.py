"""The ``creator_reputation`` projection: the raw material of docs/reputation.md per creator.

Each event moves counters of its creator, the campaign's facts or a sponsored
post's row (tables in :mod:`projections.reputation.tables`); what derives from
them is refreshed once per batch (:mod:`projections.reputation.batch`), so the
creator directory can sort by score in SQL
(:func:`projections.reputation.queries.score_sql`). Queries live in
:mod:`projections.reputation.queries`.

Double-blind: a brand's rating waits in ``sealed_feedback``, which no query
reads, until ``FeedbackRevealed``; it counts only if the campaign's agreement
concluded. The creator's rating of the brand is the brand-feedback projection's.
"""

from __future__ import annotations

import json
from datetime import UTC, date
from typing import Any

from eventsourcing.domain import DomainEventProtocol

from domain.base import LedgerAggregate
from domain.campaign import Campaign
from domain.catalog import Party
from domain.creator import Creator
from domain.terms import Terms
from projections import reference_time, revealed_ratings
from projections.machinery.base import Projection, ProjectionTx
from projections.reputation import audience
from projections.reputation.batch import batch_of, bump, campaign_facts, creator_of, ensure_creator
from projections.reputation.tables import NAME, POST_METRICS, TABLES
from projections.store.columns import moment_text


class CreatorReputationProjection(Projection):
    name = NAME
    version = 1
    tables = TABLES
    topics = reference_time.LEDGER_TOPICS

    def handle(self, event: DomainEventProtocol[Any], tx: ProjectionTx) -> None:
        assert isinstance(event, LedgerAggregate.Event)
        creator_id = _apply(tx, event)
        if creator_id is not None:
            batch_of(tx).creators[creator_id] = None
        reference_time.advance(tx, event.timestamp)


def _deliverables(terms: Terms) -> str:
    return json.dumps(
        {
            d.deliverable_id: {"platform": d.platform.value, "due_on": d.due_on.isoformat()}
            for d in terms.deliverables
        },
        sort_keys=True,
    )


# --- events --------------------------------------------------------------------------
def _apply(tx: ProjectionTx, event: LedgerAggregate.Event) -> str | None:
    """Fold one event into the rows; returns the creator whose derived columns changed."""
    match event:
        case Creator.Registered():
            return _creator_registered(tx, event)
        case Creator.PlatformAccountLinked():
            return _account_linked(tx, event)
        case Creator.FollowersRecorded():
            return _followers_recorded(tx, event)
        case Campaign.Pitched():
            return _pitched(tx, event)
        case Campaign.CounterOffered():
            return _counter_offered(tx, event)
        case Campaign.AgreementConcluded():
            return _concluded(tx, event)
        case Campaign.CampaignCancelled():
            return _cancelled(tx, event)
        case Campaign.CampaignCompleted():
            return _completed(tx, event)
        case Campaign.PostPublished():
            return _published(tx, event)
        case Campaign.PostMetricsRecorded():
            return _metrics(tx, event)
        case Campaign.GiveawayWinnersDrawn():
            return _winners_drawn(tx, event)
        case Campaign.PrizeDelivered():
            return _prize_delivered(tx, event)
        case Campaign.FeedbackSubmitted():
            return _feedback_submitted(tx, event)
        case Campaign.FeedbackRevealed():
            return _feedback_revealed(tx, event)
    return None


def _creator_registered(tx: ProjectionTx, event: Creator.Registered) -> str | None:
    ensure_creator(tx, str(event.originator_id))
    return None


def _account_linked(tx: ProjectionTx, event: Creator.PlatformAccountLinked) -> str | None:
    creator_id = str(event.originator_id)
    audience.observe_account(
        tx, creator_id, event.platform, event.followers, moment_text(event.timestamp)
    )
    return creator_id


def _followers_recorded(tx: ProjectionTx, event: Creator.FollowersRecorded) -> str | None:
    creator_id = str(event.originator_id)
    audience.record_followers(
        tx, creator_id, event.platform, event.followers, moment_text(event.observed_at)
    )
    batch_of(tx).windows[creator_id, event.platform] = None
    return creator_id


def _pitched(tx: ProjectionTx, event: Campaign.Pitched) -> str | None:
    tx.write(
        f"INSERT INTO {tx.table('campaigns')} (campaign_id, creator_id, brand_id, deliverables,"
        " units_due, units_published, concluded) VALUES (?, ?, ?, ?, ?, 0, 0)"
        " ON CONFLICT (campaign_id) DO NOTHING",
        (
            str(event.originator_id),
            str(event.creator_id),
            str(event.brand_id),
            _deliverables(event.terms),
            event.terms.units_due,
        ),
    )
    batch_of(tx).creator_of.setdefault(str(event.originator_id), str(event.creator_id))
    return None


def _counter_offered(tx: ProjectionTx, event: Campaign.CounterOffered) -> str | None:
    """Offers alternate until one is accepted, so the latest offer is the agreed one."""
    tx.write(
        f"UPDATE {tx.table('campaigns')} SET deliverables = ?, units_due = ? WHERE campaign_id = ?",
        (_deliverables(event.terms), event.terms.units_due, str(event.originator_id)),
    )
    return None


def _concluded(tx: ProjectionTx, event: Campaign.AgreementConcluded) -> str | None:
    campaign_id = str(event.originator_id)
    tx.write(
        f"UPDATE {tx.table('campaigns')} SET concluded = 1 WHERE campaign_id = ?", (campaign_id,)
    )
    creator_id = creator_of(tx, campaign_id)
    bump(tx, creator_id, concluded=1)
    return creator_id


def _cancelled(tx: ProjectionTx, event: Campaign.CampaignCancelled) -> str | None:
    """Only a concluded agreement's cancellation counts; the creator's also leaves its
    unpublished units due."""
    campaign_id = str(event.originator_id)
    campaign = campaign_facts(tx, campaign_id)
    tx.write(
        f"UPDATE {tx.table('campaigns')} SET cancelled_by = ? WHERE campaign_id = ?",
        (event.by, campaign_id),
    )
    if not campaign.concluded:
        return None
    if Party(event.by) is Party.BRAND:
        bump(tx, campaign.creator_id, cancelled_by_brand=1)
    else:
        abandoned = max(campaign.units_due - campaign.units_published, 0)
        bump(tx, campaign.creator_id, cancelled_by_creator=1, units_abandoned=abandoned)
    return campaign.creator_id


def _completed(tx: ProjectionTx, event: Campaign.CampaignCompleted) -> str | None:
    creator_id = creator_of(tx, str(event.originator_id))
    bump(tx, creator_id, completed=1)
    return creator_id


def _published(tx: ProjectionTx, event: Campaign.PostPublished) -> str | None:
    """On time means published (UTC date) on or before the deliverable's ``due_on``."""
    campaign_id = str(event.originator_id)
    campaign = campaign_facts(tx, campaign_id)
    deliverable = campaign.deliverables[event.deliverable_id]
    on_time = event.published_at.astimezone(UTC).date() <= date.fromisoformat(deliverable["due_on"])
    published_at = moment_text(event.published_at)
    before, after = audience.followers_around(
        tx, campaign.creator_id, deliverable["platform"], published_at
    )
    tx.write(
        f"INSERT INTO {tx.table('posts')} (campaign_id, deliverable_id, post_no, creator_id,"
        " platform, published_at, due_on, on_time, disclosed, followers_before,"
        " followers_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            campaign_id,
            event.deliverable_id,
            event.post_no,
            campaign.creator_id,
            deliverable["platform"],
            published_at,
            deliverable["due_on"],
            int(on_time),
            int(event.disclosed),
            before,
            after,
        ),
    )
    tx.write(
        f"UPDATE {tx.table('campaigns')} SET units_published = units_published + 1"
        " WHERE campaign_id = ?",
        (campaign_id,),
    )
    bump(
        tx,
        campaign.creator_id,
        units_published=1,
        units_on_time=int(on_time),
        posts_disclosed=int(event.disclosed),
    )
    return campaign.creator_id


def _metrics(tx: ProjectionTx, event: Campaign.PostMetricsRecorded) -> str | None:
    """Keeps the latest snapshot: by ``observed_at``, ties to the later event."""
    campaign_id = str(event.originator_id)
    observed_at = moment_text(event.observed_at)
    assignments = ", ".join(f"{metric} = ?" for metric in POST_METRICS)
    tx.write(
        f"UPDATE {tx.table('posts')} SET observed_at = ?, snapshot_version = ?, {assignments}"
        " WHERE campaign_id = ? AND deliverable_id = ? AND post_no = ? AND (observed_at IS NULL"
        " OR observed_at < ? OR (observed_at = ? AND snapshot_version < ?))",
        (
            observed_at,
            event.originator_version,
            *(getattr(event, metric) for metric in POST_METRICS),
            campaign_id,
            event.deliverable_id,
            event.post_no,
            observed_at,
            observed_at,
            event.originator_version,
        ),
    )
    return creator_of(tx, campaign_id)


def _winners_drawn(tx: ProjectionTx, event: Campaign.GiveawayWinnersDrawn) -> str | None:
    creator_id = creator_of(tx, str(event.originator_id))
    bump(tx, creator_id, winners_drawn=len(event.winners))
    return creator_id


def _prize_delivered(tx: ProjectionTx, event: Campaign.PrizeDelivered) -> str | None:
    creator_id = creator_of(tx, str(event.originator_id))
    bump(tx, creator_id, prizes_delivered=1)
    return creator_id


def _feedback_submitted(tx: ProjectionTx, event: Campaign.FeedbackSubmitted) -> str | None:
    if Party(event.by) is Party.BRAND:
        revealed_ratings.seal(tx, event, "sealed_feedback")
    return None


def _feedback_revealed(tx: ProjectionTx, event: Campaign.FeedbackRevealed) -> str | None:
    campaign_id = str(event.originator_id)
    campaign = campaign_facts(tx, campaign_id)
    revealed = revealed_ratings.unseal(tx, campaign_id, "sealed_feedback")
    if not campaign.concluded:
        return None
    for submission in revealed:
        revealed_ratings.add_to_sums(
            tx, "dimension_ratings", "creator_id", campaign.creator_id, submission
        )
        bump(
            tx,
            campaign.creator_id,
            ratings=1,
            would_work_again=int(submission.would_work_again),
            rating_s0=submission.weight,
            rating_s1=submission.weight * submission.mean,
        )
    return campaign.creator_id

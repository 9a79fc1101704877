"""The ``brand_feedback`` projection: what working with a brand is like, per brand.

Stored raw, per campaign: state, agreed cash and payment terms, delivery (when
the last unit due was published), payments, change requests; per post the
latest metrics snapshot; per currency the reported sales uplift; and the S0/S1
sums of creators' revealed ratings of the brand (tables in
:mod:`projections.brand_feedback.tables`). Everything that depends on "now" —
overdue payments, rating recency — is computed when read, from t_ref
(:mod:`projections.brand_feedback.queries`).

Double-blind as for reputation: both sides' feedback waits in
``sealed_feedback`` until ``FeedbackRevealed``. The creator's side becomes the
brand's rating; the brand's side feeds the brand's own mean rating given, so
harsh or lenient raters are visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from eventsourcing.domain import DomainEventProtocol

from domain.base import LedgerAggregate
from domain.brand import Brand
from domain.campaign import Campaign
from domain.catalog import CampaignState, Party
from domain.terms import Terms
from projections import reference_time, revealed_ratings
from projections.brand_feedback.tables import BRANDS, NAME, TABLES
from projections.formulas import engagements
from projections.machinery.base import Projection, ProjectionTx
from projections.store.columns import hundredths, moment_text, parse_moment


class BrandFeedbackProjection(Projection):
    name = NAME
    version = 1
    tables = TABLES
    topics = reference_time.LEDGER_TOPICS

    def handle(self, event: DomainEventProtocol[Any], tx: ProjectionTx) -> None:
        assert isinstance(event, LedgerAggregate.Event)
        _apply(tx, event)
        reference_time.advance(tx, event.timestamp)


# --- rows ------------------------------------------------------------------------------
def _ensure_brand(tx: ProjectionTx, brand_id: str) -> None:
    tx.write(
        f"INSERT INTO {tx.table('brands')} (brand_id, ratings, would_work_again, rating_s0,"
        " rating_s1, ratings_given, ratings_given_sum, promo_redemptions)"
        " VALUES (?, 0, 0, 0.0, 0.0, 0, 0.0, 0) ON CONFLICT (brand_id) DO NOTHING",
        (brand_id,),
    )


def _bump_brand(tx: ProjectionTx, brand_id: str, **deltas: float) -> None:
    unknown = set(deltas) - set(BRANDS.columns)
    if unknown:
        raise KeyError(f"no brand columns {sorted(unknown)}")
    _ensure_brand(tx, brand_id)
    assignments = ", ".join(f"{column} = {column} + ?" for column in deltas)
    tx.write(
        f"UPDATE {tx.table('brands')} SET {assignments} WHERE brand_id = ?",
        (*deltas.values(), brand_id),
    )


def _campaign(tx: ProjectionTx, campaign_id: str, *columns: str) -> dict[str, Any]:
    row = tx.fetchone(
        f"SELECT {', '.join(columns)} FROM {tx.table('campaigns')} WHERE campaign_id = ?",
        (campaign_id,),
    )
    if row is None:
        raise LookupError(f"campaign {campaign_id} was never pitched")
    return dict(zip(columns, row, strict=True))


@dataclass
class _Batch:
    """What one batch of events has read: each campaign's brand, which never changes."""

    brand_of: dict[str, str] = field(default_factory=dict)

    def flush(self, tx: ProjectionTx) -> None:
        """Nothing is owed: the brands were only read."""


def _brand_of(tx: ProjectionTx, campaign_id: str) -> str:
    """The campaign's brand, read at most once per batch."""
    known = tx.batch_state("batch", _Batch).brand_of
    if campaign_id not in known:
        known[campaign_id] = str(_campaign(tx, campaign_id, "brand_id")["brand_id"])
    return known[campaign_id]


def _set(tx: ProjectionTx, campaign_id: str, **values: Any) -> None:
    assignments = ", ".join(f"{column} = ?" for column in values)
    tx.write(
        f"UPDATE {tx.table('campaigns')} SET {assignments} WHERE campaign_id = ?",
        (*values.values(), campaign_id),
    )


def _terms(terms: Terms) -> dict[str, Any]:
    cash = terms.compensation.cash
    return {
        "currency": None if cash is None else cash.currency,
        "cash": None if cash is None else hundredths(cash.amount),
        "payment_due_days": terms.payment_due_days,
        "units_due": terms.units_due,
    }


# --- events ----------------------------------------------------------------------------
def _apply(tx: ProjectionTx, event: LedgerAggregate.Event) -> None:
    """Fold one event into the rows; other events change nothing."""
    match event:
        case Brand.Registered():
            _brand_registered(tx, event)
        case Campaign.Pitched():
            _pitched(tx, event)
        case Campaign.CounterOffered():
            _counter_offered(tx, event)
        case Campaign.PitchAccepted():
            _accepted(tx, event)
        case Campaign.PitchDeclined():
            _declined(tx, event)
        case Campaign.PitchWithdrawn():
            _withdrawn(tx, event)
        case Campaign.AgreementConcluded():
            _concluded(tx, event)
        case Campaign.CampaignCancelled():
            _cancelled(tx, event)
        case Campaign.CampaignCompleted():
            _completed(tx, event)
        case Campaign.ChangesRequested():
            _changes_requested(tx, event)
        case Campaign.PostPublished():
            _published(tx, event)
        case Campaign.PostMetricsRecorded():
            _metrics(tx, event)
        case Campaign.PaymentRecorded():
            _payment(tx, event)
        case Campaign.SalesUpliftReported():
            _sales_uplift(tx, event)
        case Campaign.FeedbackSubmitted():
            _feedback_submitted(tx, event)
        case Campaign.FeedbackRevealed():
            _feedback_revealed(tx, event)


def _brand_registered(tx: ProjectionTx, event: Brand.Registered) -> None:
    _ensure_brand(tx, str(event.originator_id))


def _pitched(tx: ProjectionTx, event: Campaign.Pitched) -> None:
    brand_id = str(event.brand_id)
    _ensure_brand(tx, brand_id)
    row = {
        "campaign_id": str(event.originator_id),
        "brand_id": brand_id,
        "state": CampaignState.PITCHED.value,
        "concluded": 0,
        "changes_requested": 0,
        "units_published": 0,
        "paid": 0,
        **_terms(event.terms),
    }
    tx.write(
        f"INSERT INTO {tx.table('campaigns')} ({', '.join(row)})"
        f" VALUES ({', '.join('?' for _ in row)}) ON CONFLICT (campaign_id) DO NOTHING",
        tuple(row.values()),
    )
    tx.batch_state("batch", _Batch).brand_of.setdefault(str(event.originator_id), brand_id)


def _counter_offered(tx: ProjectionTx, event: Campaign.CounterOffered) -> None:
    """Offers alternate until one is accepted, so the latest offer is the agreed one."""
    _set(tx, str(event.originator_id), **_terms(event.terms))


def _accepted(tx: ProjectionTx, event: Campaign.PitchAccepted) -> None:
    _set(tx, str(event.originator_id), state=CampaignState.ACCEPTED.value)


def _declined(tx: ProjectionTx, event: Campaign.PitchDeclined) -> None:
    _set(tx, str(event.originator_id), state=CampaignState.DECLINED.value)


def _withdrawn(tx: ProjectionTx, event: Campaign.PitchWithdrawn) -> None:
    _set(tx, str(event.originator_id), state=CampaignState.WITHDRAWN.value)


def _concluded(tx: ProjectionTx, event: Campaign.AgreementConcluded) -> None:
    _set(tx, str(event.originator_id), state=CampaignState.CONCLUDED.value, concluded=1)


def _cancelled(tx: ProjectionTx, event: Campaign.CampaignCancelled) -> None:
    _set(tx, str(event.originator_id), state=CampaignState.CANCELLED.value)


def _completed(tx: ProjectionTx, event: Campaign.CampaignCompleted) -> None:
    _set(tx, str(event.originator_id), state=CampaignState.COMPLETED.value)


def _changes_requested(tx: ProjectionTx, event: Campaign.ChangesRequested) -> None:
    tx.write(
        f"UPDATE {tx.table('campaigns')} SET changes_requested = changes_requested + 1"
        " WHERE campaign_id = ?",
        (str(event.originator_id),),
    )


def _published(tx: ProjectionTx, event: Campaign.PostPublished) -> None:
    """Delivery is when the last unit due is published (the latest ``published_at``,
    as the Campaign aggregate has it); payment is due ``payment_due_days`` after."""
    campaign_id = str(event.originator_id)
    campaign = _campaign(
        tx,
        campaign_id,
        "units_due",
        "units_published",
        "last_published_at",
        "delivered_at",
        "payment_due_days",
    )
    published = campaign["units_published"] + 1
    last = max(filter(None, (campaign["last_published_at"], moment_text(event.published_at))))
    changes: dict[str, Any] = {"units_published": published, "last_published_at": last}
    if campaign["delivered_at"] is None and published >= campaign["units_due"]:
        delivered_on = parse_moment(last).date()
        changes.update(
            state=CampaignState.DELIVERED.value,
            delivered_at=last,
            due_on=(delivered_on + timedelta(days=campaign["payment_due_days"])).isoformat(),
        )
    _set(tx, campaign_id, **changes)


def _metrics(tx: ProjectionTx, event: Campaign.PostMetricsRecorded) -> None:
    table = tx.table("posts")
    brand_id = _brand_of(tx, str(event.originator_id))
    tx.write(
        f"INSERT INTO {table} (campaign_id, deliverable_id, post_no, brand_id, observed_at,"
        " snapshot_version, reach, impressions, interactions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (campaign_id, deliverable_id, post_no) DO UPDATE SET"
        " observed_at = excluded.observed_at, snapshot_version = excluded.snapshot_version,"
        " reach = excluded.reach, impressions = excluded.impressions,"
        f" interactions = excluded.interactions WHERE {table}.observed_at < excluded.observed_at"
        f" OR ({table}.observed_at = excluded.observed_at"
        f" AND {table}.snapshot_version < excluded.snapshot_version)",
        (
            str(event.originator_id),
            event.deliverable_id,
            event.post_no,
            brand_id,
            moment_text(event.observed_at),
            event.originator_version,
            event.reach,
            event.impressions,
            engagements(event.likes, event.comments, event.shares, event.saves),
        ),
    )


def _payment(tx: ProjectionTx, event: Campaign.PaymentRecorded) -> None:
    """Payments never exceed the agreed cash, so it is paid in full when the sum reaches
    it, on the latest ``paid_at`` of the payments (whatever order they were recorded in)."""
    campaign_id = str(event.originator_id)
    campaign = _campaign(tx, campaign_id, "cash", "paid", "last_paid_at")
    paid = campaign["paid"] + hundredths(event.amount.amount)
    last = max(filter(None, (campaign["last_paid_at"], moment_text(event.paid_at))))
    changes: dict[str, Any] = {"paid": paid, "last_paid_at": last}
    if campaign["cash"] is not None and paid >= campaign["cash"]:
        changes["paid_in_full_at"] = last
    _set(tx, campaign_id, **changes)


def _sales_uplift(tx: ProjectionTx, event: Campaign.SalesUpliftReported) -> None:
    brand_id = _brand_of(tx, str(event.originator_id))
    table = tx.table("uplift")
    uplift = hundredths(event.during.amount) - hundredths(event.baseline.amount)
    tx.write(
        f"INSERT INTO {table} (brand_id, currency, uplift, reports) VALUES (?, ?, ?, 1)"
        " ON CONFLICT (brand_id, currency) DO UPDATE SET"
        f" uplift = {table}.uplift + excluded.uplift, reports = {table}.reports + 1",
        (brand_id, event.currency, uplift),
    )
    _bump_brand(tx, brand_id, promo_redemptions=event.promo_code_redemptions)


def _feedback_submitted(tx: ProjectionTx, event: Campaign.FeedbackSubmitted) -> None:
    revealed_ratings.seal(tx, event, "sealed_feedback")


def _feedback_revealed(tx: ProjectionTx, event: Campaign.FeedbackRevealed) -> None:
    campaign_id = str(event.originator_id)
    campaign = _campaign(tx, campaign_id, "brand_id", "concluded")
    revealed = revealed_ratings.unseal(tx, campaign_id, "sealed_feedback")
    if not campaign["concluded"]:
        return
    brand_id = campaign["brand_id"]
    for submission in revealed:
        if submission.party is Party.CREATOR:
            revealed_ratings.add_to_sums(tx, "dimension_ratings", "brand_id", brand_id, submission)
            _bump_brand(
                tx,
                brand_id,
                ratings=1,
                would_work_again=int(submission.would_work_again),
                rating_s0=submission.weight,
                rating_s1=submission.weight * submission.mean,
            )
        else:
            _bump_brand(tx, brand_id, ratings_given=1, ratings_given_sum=submission.mean)

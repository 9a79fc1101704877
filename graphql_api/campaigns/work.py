# mypy: disable-error-code="untyped-decorator"
"""The work after the agreement: drafts, posts with their metric series, giveaways.

Output types built from :mod:`domain.campaign_view`; a giveaway's entries can
run to tens of thousands of handles, so they are paged rather than listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import strawberry

from domain import campaign_view as cv
from domain.errors import ValidationError
from domain.post_metrics import MetricsSnapshot as DomainMetrics
from domain.post_metrics import MetricTotals
from graphql_api.connections import Connection, connection, decode_cursor, page_size
from graphql_api.money import MoneyType
from graphql_api.records import from_record

GIVEAWAY_ENTRIES = "giveaway-entries"


@strawberry.type(
    description="A draft of one deliverable with the creator's honest pros and cons; "
    "status is SUBMITTED, CHANGES_REQUESTED, APPROVED or PUBLISHED."
)
class Draft:
    deliverable_id: str
    draft_no: int
    caption: str
    media_urls: list[str]
    pros: list[str]
    cons: list[str]
    status: str
    change_notes: str | None
    submitted_at: datetime
    reviewed_at: datetime | None

    @classmethod
    def from_domain(cls, draft: cv.Draft) -> Draft:
        return from_record(cls, draft)


@strawberry.type(
    description="A post's counters at one moment; engagements = likes + comments + shares + saves."
)
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
    engagements: int
    engagement_rate: float | None = strawberry.field(description="Engagements ÷ followers.")
    engagement_rate_by_reach: float | None = strawberry.field(
        description="Engagements ÷ reach, where reach is known."
    )

    @classmethod
    def from_domain(cls, snapshot: DomainMetrics) -> MetricsSnapshot:
        return from_record(cls, snapshot)


@strawberry.type(description="A published post of a deliverable and its metric time series.")
class Post:
    deliverable_id: str
    post_no: int
    url: str
    published_at: datetime
    caption: str
    paid_partnership_flag: bool
    disclosed: bool = strawberry.field(
        description="Whether the post carries a disclosure tag or the paid-partnership flag."
    )
    disclosure_tags: list[str]
    due_on: date
    on_time: bool
    metrics: list[MetricsSnapshot]
    latest_metrics: MetricsSnapshot | None

    @classmethod
    def from_domain(cls, post: cv.Post) -> Post:
        latest = post.latest_metrics
        return from_record(
            cls,
            post,
            metrics=[MetricsSnapshot.from_domain(m) for m in post.metrics],
            latest_metrics=None if latest is None else MetricsSnapshot.from_domain(latest),
        )


@strawberry.type(
    description="Totals over a campaign's posts, each at its latest snapshot; reach, "
    "impressions and views are null when no measured post reported them."
)
class CampaignMetrics:
    posts_measured: int
    followers: int
    reach: int | None
    impressions: int | None
    views: int | None
    likes: int
    comments: int
    shares: int
    saves: int
    engagements: int

    @classmethod
    def from_summary(cls, totals: MetricTotals | None) -> CampaignMetrics | None:
        return None if totals is None else from_record(cls, totals)

    @classmethod
    def from_posts(cls, posts: Iterable[cv.Post]) -> CampaignMetrics | None:
        latest = (post.latest_metrics for post in posts)
        return cls.from_summary(MetricTotals.of_latest(m for m in latest if m is not None))


@strawberry.type(description="A prize on its way to a winner.")
class Shipment:
    winner: str
    carrier: str
    tracking_ref: str
    shipped_at: datetime
    delivered_at: datetime | None

    @classmethod
    def from_domain(cls, shipment: cv.Shipment) -> Shipment:
        return from_record(cls, shipment)


@strawberry.type(description="A follower who entered a giveaway, by handle.")
class GiveawayEntry:
    handle: str


@strawberry.type(
    description="A giveaway with its verifiable draw: the seed's SHA-256 is committed at "
    "announcement and the seed revealed at the draw, so anyone can recompute the winners."
)
class Giveaway:
    giveaway_id: str
    prize: str
    prize_value: MoneyType | None
    winner_count: int
    entry_rules: list[str]
    announced_at: datetime
    closes_at: datetime
    seed_commitment: str
    entry_count: int
    closed_at: datetime | None
    entries_digest: str | None
    seed: str | None
    winners: list[str] | None
    shipments: list[Shipment]
    giveaway: strawberry.Private[cv.Giveaway]

    @classmethod
    def from_domain(cls, giveaway: cv.Giveaway) -> Giveaway:
        return from_record(
            cls,
            giveaway,
            prize_value=MoneyType.maybe(giveaway.prize_value),
            entry_count=len(giveaway.entries),
            shipments=[Shipment.from_domain(s) for s in giveaway.shipments.values()],
            giveaway=giveaway,
        )

    @strawberry.field(description="Entries in the order they were recorded.")
    def entries(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[GiveawayEntry]:
        size = page_size(first)
        start = 0 if after is None else _entry_index(after) + 1
        entries = self.giveaway.entries
        page = list(enumerate(entries[start : start + size], start))
        return connection(
            GIVEAWAY_ENTRIES,
            page,
            key=lambda item: item[0],
            node=lambda item: GiveawayEntry(handle=item[1]),
            total_count=len(entries),
            has_next=start + size < len(entries),
            has_previous=start > 0,
        )


def _entry_index(cursor: str) -> int:
    index = decode_cursor(GIVEAWAY_ENTRIES, cursor)
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValidationError("the cursor is not valid", field="after")
    return index


@strawberry.type(description="Post analytics the creator reported for a period.")
class PerformanceReport:
    period_start: date
    period_end: date
    reach: int
    impressions: int
    engagements: int
    clicks: int | None
    followers_gained: int | None
    notes: str | None
    reported_at: datetime

    @classmethod
    def from_domain(cls, report: cv.PerformanceReport) -> PerformanceReport:
        return from_record(cls, report)


@strawberry.type(description="Sales the brand reported: before (baseline) and during the campaign.")
class SalesUplift:
    baseline: MoneyType
    during: MoneyType
    uplift: MoneyType
    promo_code_redemptions: int
    period_start: date | None
    period_end: date | None
    reported_at: datetime

    @classmethod
    def from_domain(cls, report: cv.SalesUplift) -> SalesUplift:
        return from_record(
            cls,
            report,
            baseline=MoneyType.from_domain(report.baseline),
            during=MoneyType.from_domain(report.during),
            uplift=MoneyType.from_domain(report.uplift),
        )


@strawberry.type(description="A payment the brand recorded, with when it was paid.")
class Payment:
    amount: MoneyType
    paid_at: datetime
    reference: str

    @classmethod
    def from_domain(cls, payment: cv.Payment) -> Payment:
        return from_record(cls, payment, amount=MoneyType.from_domain(payment.amount))

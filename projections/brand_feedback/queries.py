"""Reading brand feedback: what creators say about a brand and what its record shows.

Computed at read time from the raw rows of :mod:`projections.brand_feedback.projection`
and the projection's t_ref, never the wall clock: whether a payment is overdue
depends on t_ref, so a rebuild at any later moment reads the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.catalog import CREATOR_RATING_DIMENSIONS, CampaignState
from domain.money import Money
from projections.brand_feedback.tables import NAME
from projections.formulas import (
    FORMULA_VERSION,
    Rate,
    bayesian_average,
    days_since_epoch,
    median,
    reference_factor,
)
from projections.reference_time import reference_time
from projections.revealed_ratings import DimensionRating, dimension_ratings
from projections.store.columns import from_hundredths, parse_moment
from projections.store.query import QueryTx, reading
from projections.store.readstore import ReadStore, Row, in_lists

MANY_CHANGE_REQUESTS = 2
"""More change requests than this in one campaign signal little creative freedom."""


@dataclass(frozen=True)
class PaymentRecord:
    """Payments of delivered campaigns with cash, as of t_ref.

    A payment is due ``payment_due_days`` after delivery; it is on time when the
    payments reach the agreed cash on or before that date (UTC).
    """

    due: int
    """Delivered campaigns with cash, so with a due date."""
    paid_in_full: int
    paid_on_time: int
    unpaid_overdue: int
    """Due before t_ref's date and not paid in full."""
    on_time: Rate
    """Paid on time ÷ (paid in full + unpaid overdue): payments not yet due are left out."""
    median_days_late: float | None
    """Over the campaigns paid in full after their due date; None when none was late."""


@dataclass(frozen=True)
class StateCount:
    state: CampaignState
    count: int


@dataclass(frozen=True)
class CurrencySpend:
    """Cash of concluded agreements (committed) and payments recorded (paid)."""

    committed: Money
    paid: Money


@dataclass(frozen=True)
class CurrencyCost:
    """Paid cash against the results of the campaigns agreed in that currency."""

    currency: str
    paid: Decimal
    engagements: int
    impressions: int
    cost_per_engagement: Decimal | None
    """Paid ÷ engagements, to 4 places; None without engagements."""
    cpm: Decimal | None
    """Paid ÷ impressions × 1000, to 4 places; None without impressions."""


@dataclass(frozen=True)
class BrandFeedback:
    brand_id: str
    formula_version: int
    t_ref: datetime | None
    overall_rating: float | None
    """Bayesian, recency-weighted mean of creators' revealed ratings; None before any."""
    rating_count: int
    dimension_ratings: tuple[DimensionRating, ...]
    would_work_again: Rate
    payments: PaymentRecord
    creative_freedom_signal: Rate
    """Concluded campaigns with more than two change requests ÷ concluded campaigns."""
    campaigns_by_state: tuple[StateCount, ...]
    spend: tuple[CurrencySpend, ...]
    reach: int
    impressions: int
    engagements: int
    costs: tuple[CurrencyCost, ...]
    sales_uplift: tuple[Money, ...]
    """Σ (during − baseline) of reported sales, per currency."""
    promo_code_redemptions: int
    mean_rating_given: float | None
    """Mean of the overall means of the brand's revealed ratings of creators."""
    ratings_given: int


_BRAND_COLUMNS = (
    "ratings",
    "would_work_again",
    "rating_s0",
    "rating_s1",
    "ratings_given",
    "ratings_given_sum",
    "promo_redemptions",
)
_CAMPAIGN_COLUMNS = (
    "campaign_id",
    "state",
    "concluded",
    "changes_requested",
    "currency",
    "cash",
    "due_on",
    "paid",
    "paid_in_full_at",
)


def brand_feedback(store: ReadStore, brand_id: UUID | str) -> BrandFeedback | None:
    """The feedback view of one brand; None for a brand the projection has not seen."""
    return brand_feedbacks(store, [brand_id]).get(str(brand_id))


def brand_feedbacks(store: ReadStore, brand_ids: Iterable[UUID | str]) -> dict[str, BrandFeedback]:
    """Feedback views keyed by brand id (as text); brands the projection has not seen
    are left out."""
    with reading(store) as qtx:
        return read_brand_feedbacks(qtx, brand_ids)


def read_brand_feedbacks(qtx: QueryTx, brand_ids: Iterable[UUID | str]) -> dict[str, BrandFeedback]:
    """:func:`brand_feedbacks` inside a read the caller already holds.

    One query per table and one for t_ref, whatever the number of brands (per
    :data:`~projections.store.readstore.IN_LIST_SIZE` of them), for the API's DataLoader.
    """
    ids = sorted({str(brand_id) for brand_id in brand_ids})
    if not ids:
        return {}
    brands = _grouped(qtx, "brands", _BRAND_COLUMNS, ids)
    t_ref = reference_time(qtx, NAME)
    campaigns = _grouped(qtx, "campaigns", _CAMPAIGN_COLUMNS, ids)
    posts = _grouped(qtx, "posts", ("campaign_id", "reach", "impressions", "interactions"), ids)
    ratings = _grouped(qtx, "dimension_ratings", ("dimension", "ratings", "s0", "s1"), ids)
    uplift = _grouped(qtx, "uplift", ("currency", "uplift"), ids)
    return {
        brand_id: _feedback(
            brand_id,
            dict(zip(_BRAND_COLUMNS, row, strict=True)),
            t_ref,
            [dict(zip(_CAMPAIGN_COLUMNS, values, strict=True)) for values in campaigns[brand_id]],
            posts[brand_id],
            ratings[brand_id],
            uplift[brand_id],
        )
        for brand_id, (row,) in brands.items()
    }


def _feedback(
    brand_id: str,
    brand: dict[str, Any],
    t_ref: datetime | None,
    campaigns: list[dict[str, Any]],
    posts: list[Row],
    ratings: list[Row],
    uplift: list[Row],
) -> BrandFeedback:
    k = 1.0 if t_ref is None else reference_factor(days_since_epoch(t_ref))
    concluded = [c for c in campaigns if c["concluded"]]
    return BrandFeedback(
        brand_id=brand_id,
        formula_version=FORMULA_VERSION,
        t_ref=t_ref,
        overall_rating=(
            bayesian_average(brand["rating_s0"], brand["rating_s1"], k)
            if brand["ratings"]
            else None
        ),
        rating_count=brand["ratings"],
        dimension_ratings=dimension_ratings(ratings, k, CREATOR_RATING_DIMENSIONS),
        would_work_again=Rate(brand["would_work_again"], brand["ratings"]),
        payments=payment_record(campaigns, None if t_ref is None else t_ref.date()),
        creative_freedom_signal=Rate(
            sum(1 for c in concluded if c["changes_requested"] > MANY_CHANGE_REQUESTS),
            len(concluded),
        ),
        campaigns_by_state=tuple(
            StateCount(state, sum(1 for c in campaigns if c["state"] == state.value))
            for state in CampaignState
        ),
        spend=_spend(campaigns),
        reach=sum(reach or 0 for _, reach, _, _ in posts),
        impressions=sum(impressions or 0 for _, _, impressions, _ in posts),
        engagements=sum(interactions for _, _, _, interactions in posts),
        costs=_costs(campaigns, posts),
        sales_uplift=tuple(Money(from_hundredths(amount), currency) for currency, amount in uplift),
        promo_code_redemptions=brand["promo_redemptions"],
        mean_rating_given=(
            brand["ratings_given_sum"] / brand["ratings_given"] if brand["ratings_given"] else None
        ),
        ratings_given=brand["ratings_given"],
    )


def payment_record(campaigns: Iterable[dict[str, Any]], today: date | None) -> PaymentRecord:
    """The payment record of campaign rows (``cash``, ``due_on``, ``paid_in_full_at``)
    as of ``today`` (t_ref's date; None before any event)."""
    due = paid = on_time = overdue = 0
    days_late: list[float] = []
    for campaign in campaigns:
        if campaign["cash"] is None or campaign["due_on"] is None:
            continue
        due += 1
        due_on = date.fromisoformat(campaign["due_on"])
        if campaign["paid_in_full_at"] is not None:
            paid += 1
            late = (parse_moment(campaign["paid_in_full_at"]).date() - due_on).days
            if late > 0:
                days_late.append(float(late))
            else:
                on_time += 1
        elif today is not None and due_on < today:
            overdue += 1
    return PaymentRecord(
        due=due,
        paid_in_full=paid,
        paid_on_time=on_time,
        unpaid_overdue=overdue,
        on_time=Rate(on_time, paid + overdue),
        median_days_late=median(days_late),
    )


def _grouped(
    qtx: QueryTx, logical: str, columns: Sequence[str], brand_ids: Sequence[str]
) -> defaultdict[str, list[Row]]:
    """Rows of ``columns`` by brand id, each brand's ordered by the first column."""
    table = qtx.table(NAME, logical)
    grouped: defaultdict[str, list[Row]] = defaultdict(list)
    for chunk in in_lists(brand_ids):
        for brand_id, *values in qtx.fetchall(
            f"SELECT brand_id, {', '.join(columns)} FROM {table}"
            f" WHERE brand_id IN ({', '.join('?' * len(chunk))})"
            f" ORDER BY brand_id, {columns[0]}",
            chunk,
        ):
            grouped[brand_id].append(tuple(values))
    return grouped


def _spend(campaigns: list[dict[str, Any]]) -> tuple[CurrencySpend, ...]:
    committed: dict[str, int] = defaultdict(int)
    paid: dict[str, int] = defaultdict(int)
    for campaign in campaigns:
        currency = campaign["currency"]
        if currency is None:
            continue
        if campaign["concluded"]:
            committed[currency] += campaign["cash"]
        paid[currency] += campaign["paid"]
    return tuple(
        CurrencySpend(
            committed=Money(from_hundredths(committed[currency]), currency),
            paid=Money(from_hundredths(paid[currency]), currency),
        )
        for currency in sorted(committed.keys() | {c for c, amount in paid.items() if amount})
    )


def _costs(campaigns: list[dict[str, Any]], posts: list[Any]) -> tuple[CurrencyCost, ...]:
    currency_of = {c["campaign_id"]: c["currency"] for c in campaigns if c["currency"]}
    paid: dict[str, int] = defaultdict(int)
    for campaign in campaigns:
        if campaign["currency"] and campaign["concluded"]:
            paid[campaign["currency"]] += campaign["paid"]
    interactions: dict[str, int] = defaultdict(int)
    impressions: dict[str, int] = defaultdict(int)
    for campaign_id, _, seen, engaged in posts:
        currency = currency_of.get(campaign_id)
        if currency is not None:
            interactions[currency] += engaged
            impressions[currency] += seen or 0
    costs = []
    for currency in sorted(paid):
        amount = from_hundredths(paid[currency])
        costs.append(
            CurrencyCost(
                currency=currency,
                paid=amount,
                engagements=interactions[currency],
                impressions=impressions[currency],
                cost_per_engagement=_per(amount, interactions[currency]),
                cpm=_per(amount * 1000, impressions[currency]),
            )
        )
    return tuple(costs)


def _per(amount: Decimal, count: int) -> Decimal | None:
    if count == 0:
        return None
    return amount / count

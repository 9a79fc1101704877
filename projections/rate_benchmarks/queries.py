"""Reading rate benchmarks: quartiles of rate-card prices and of agreed fees per group.

Quartiles are by linear interpolation (:func:`projections.formulas.quartiles`),
computed when read from the samples the projection keeps.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from domain.catalog import ContentFormat, Platform, Tier
from projections.formulas import quartiles
from projections.rate_benchmarks.projection import NAME
from projections.store.columns import amount_text, from_hundredths
from projections.store.query import QueryTx, reading
from projections.store.readstore import ReadStore, Value


@dataclass(frozen=True)
class Distribution:
    """Quartiles of one kind of sample; amounts are decimal strings in the group's currency."""

    sample_count: int
    p25: str
    median: str
    p75: str


@dataclass(frozen=True)
class RateBenchmark:
    platform: Platform
    format: ContentFormat
    tier: Tier
    currency: str
    rate_card: Distribution | None
    """Prices on creators' current rate cards; None without samples."""
    agreed_fee: Distribution | None
    """Cash per unit in concluded agreements; None without samples."""


Group = tuple[str, str, str, str]


def rate_benchmarks(
    store: ReadStore,
    *,
    platform: Platform | None = None,
    format: ContentFormat | None = None,
    tier: Tier | None = None,
    currency: str | None = None,
) -> list[RateBenchmark]:
    """Benchmarks of every group with samples, in platform, format and tier order."""
    conditions = ["1 = 1"]
    params: list[Value] = []
    for column, value in (
        ("platform", platform),
        ("format", format),
        ("tier", tier),
        ("currency", currency.upper() if currency else None),
    ):
        if value is not None:
            conditions.append(f"{column} = ?")
            params.append(str(value))
    where = " AND ".join(conditions)
    with reading(store) as q:
        cards = dict(_distributions(q, "card_samples", where, params))
        fees = dict(_distributions(q, "fee_samples", where, params))
    return [
        RateBenchmark(
            platform=Platform(group[0]),
            format=ContentFormat(group[1]),
            tier=Tier(group[2]),
            currency=group[3],
            rate_card=cards.get(group),
            agreed_fee=fees.get(group),
        )
        for group in sorted(cards.keys() | fees.keys(), key=_group_order)
    ]


def _distributions(
    q: QueryTx, logical: str, where: str, params: list[Value]
) -> Iterator[tuple[Group, Distribution]]:
    """Streams the samples group by group, so only one group's amounts are in memory."""
    rows = q.iterate(
        f"SELECT platform, format, tier, currency, amount_cents FROM {q.table(NAME, logical)}"
        f" WHERE {where} ORDER BY platform, format, tier, currency, amount_cents",
        params,
    )
    for group, members in itertools.groupby(rows, key=lambda row: tuple(row[:4])):
        amounts = [from_hundredths(int(row[4])) for row in members]
        figures = quartiles(amounts)
        assert figures is not None
        yield (
            (str(group[0]), str(group[1]), str(group[2]), str(group[3])),
            Distribution(
                sample_count=len(amounts),
                p25=amount_text(figures.p25),
                median=amount_text(figures.median),
                p75=amount_text(figures.p75),
            ),
        )


_PLATFORMS = list(Platform)
_FORMATS = list(ContentFormat)
_TIERS = list(Tier)


def _group_order(group: Group) -> tuple[int, int, int, str]:
    return (
        _PLATFORMS.index(Platform(group[0])),
        _FORMATS.index(ContentFormat(group[1])),
        _TIERS.index(Tier(group[2])),
        group[3],
    )
